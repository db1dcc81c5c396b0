//! The capacity model: packaging geometry and yields, a multi-period supply
//! network, Monte Carlo uncertainty, order delivery, TCO and concentration.
//! Pure computation: a validated input goes in, results come out; no I/O.
