//! The capacity model: packaging geometry and yields, a multi-period supply
//! network, Monte Carlo uncertainty, order delivery, TCO and concentration.
//! Pure computation: a validated input goes in, results come out; no I/O.
//! docs/model.md gives every formula; docs/model-input.md the input format.

pub mod assemble;
pub mod bottleneck;
pub mod compare;
pub mod concentration;
pub mod estimate;
pub mod geometry;
pub mod input;
pub mod mix;
pub mod montecarlo;
pub mod network;
pub mod orders;
pub mod program;
pub mod run;
pub mod scenario;
pub mod sensitivity;
pub mod supply;
pub mod tco;
pub mod uncertain;
pub mod yields;
