//! A linear program in the plain form the network writes: maximise `c·x` subject to
//! rows `a·x <= b` and `x >= 0`. It is solved with good_lp's pure-Rust solver
//! (microlp), its dual gives the shadow prices, and it can be written as an MPS
//! file so a user can check any scenario's program in another solver.

use std::fmt::Write as _;

use good_lp::{microlp, Expression, ProblemVariables, Solution as _, SolverModel, Variable};

use crate::{Error, ErrorKind, Result};

/// One variable: its name (for MPS and messages) and objective coefficient.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    pub name: String,
    pub objective: f64,
}

/// One constraint row `Σ coeff·x <= rhs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub name: String,
    pub coeffs: Vec<(usize, f64)>,
    pub rhs: f64,
}

/// Maximise `Σ objective·x` subject to every row and `x >= 0`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Program {
    pub name: String,
    pub vars: Vec<Var>,
    pub rows: Vec<Row>,
}

/// An optimal solution.
#[derive(Debug, Clone, PartialEq)]
pub struct Solved {
    pub objective: f64,
    pub x: Vec<f64>,
}

impl Program {
    pub fn new(name: &str) -> Program {
        Program { name: name.into(), ..Program::default() }
    }

    pub fn add_var(&mut self, name: String, objective: f64) -> usize {
        self.vars.push(Var { name, objective });
        self.vars.len() - 1
    }

    pub fn add_row(&mut self, name: String, coeffs: Vec<(usize, f64)>, rhs: f64) -> usize {
        self.rows.push(Row { name, coeffs, rhs });
        self.rows.len() - 1
    }

    /// Solves the program to optimality.
    pub fn solve(&self) -> Result<Solved> {
        let mut problem = ProblemVariables::new();
        let xs: Vec<Variable> = self.vars.iter().map(|_| problem.add(good_lp::variable().min(0.0))).collect();
        let mut objective = Expression::with_capacity(self.vars.len());
        for (v, x) in self.vars.iter().zip(&xs) {
            if v.objective != 0.0 {
                objective.add_mul(v.objective, *x);
            }
        }
        let mut model = problem.maximise(objective).using(microlp);
        for row in &self.rows {
            let mut e = Expression::with_capacity(row.coeffs.len());
            for &(i, a) in &row.coeffs {
                e.add_mul(a, xs[i]);
            }
            model.add_constraint(e.leq(row.rhs));
        }
        let solution = model.solve().map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!(
                    "the linear program {} could not be solved ({e}); export it with `packplan model lp` and report it",
                    self.name
                ),
            )
        })?;
        let x: Vec<f64> = xs.iter().map(|v| solution.value(*v).max(0.0)).collect();
        let objective = self.vars.iter().zip(&x).map(|(v, x)| v.objective * x).sum();
        Ok(Solved { objective, x })
    }

    /// The dual program: minimise `b·y` subject to `Aᵀy >= c`, `y >= 0`, written in the
    /// same maximising form (maximise `-b·y` with rows `-Aᵀy <= -c`).
    pub fn dual(&self) -> Program {
        let mut dual = Program::new(&format!("{} (dual)", self.name));
        for row in &self.rows {
            dual.add_var(format!("y_{}", row.name), -row.rhs);
        }
        let mut columns: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.vars.len()];
        for (r, row) in self.rows.iter().enumerate() {
            for &(i, a) in &row.coeffs {
                columns[i].push((r, -a));
            }
        }
        for (v, column) in self.vars.iter().zip(columns) {
            dual.add_row(format!("d_{}", v.name), column, -v.objective);
        }
        dual
    }

    /// Shadow prices of the rows: the gain in objective per unit of extra right-hand
    /// side, from an optimal solution of the dual.
    pub fn shadow_prices(&self) -> Result<Vec<f64>> {
        Ok(self.dual().solve()?.x)
    }

    /// The program as a free-format MPS file. MPS minimises, so the objective row
    /// `COST` holds the negated coefficients: the MPS optimum is minus ours.
    pub fn to_mps(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "* Packplan supply network: {}", self.name);
        let _ = writeln!(
            out,
            "* maximise the objective = minimise COST; our optimum is -(COST optimum). All variables >= 0."
        );
        let _ = writeln!(out, "NAME {}", mps_name(&self.name));
        out.push_str("ROWS\n N COST\n");
        for row in &self.rows {
            let _ = writeln!(out, " L {}", mps_name(&row.name));
        }
        let mut columns: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.vars.len()];
        for (r, row) in self.rows.iter().enumerate() {
            for &(i, a) in &row.coeffs {
                columns[i].push((r, a));
            }
        }
        out.push_str("COLUMNS\n");
        for (v, column) in self.vars.iter().zip(&columns) {
            let name = mps_name(&v.name);
            if v.objective != 0.0 {
                let _ = writeln!(out, " {name} COST {}", num(-v.objective));
            }
            for &(r, a) in column {
                let _ = writeln!(out, " {name} {} {}", mps_name(&self.rows[r].name), num(a));
            }
            if v.objective == 0.0 && column.is_empty() {
                let _ = writeln!(out, " {name} COST 0");
            }
        }
        out.push_str("RHS\n");
        for row in &self.rows {
            if row.rhs != 0.0 {
                let _ = writeln!(out, " RHS {} {}", mps_name(&row.name), num(row.rhs));
            }
        }
        out.push_str("ENDATA\n");
        out
    }

    /// Checks `x` against every row and bound, within `tolerance` (relative to the row's size).
    pub fn is_feasible(&self, x: &[f64], tolerance: f64) -> bool {
        x.len() == self.vars.len()
            && x.iter().all(|v| *v >= -tolerance)
            && self.rows.iter().all(|row| {
                let lhs: f64 = row.coeffs.iter().map(|&(i, a)| a * x[i]).sum();
                lhs <= row.rhs + tolerance * (1.0 + row.rhs.abs())
            })
    }
}

fn mps_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || "_.-[]".contains(c) { c } else { '_' }).collect()
}

fn num(v: f64) -> String {
    format!("{v:.12e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A textbook program: max 3x + 5y, x <= 4, 2y <= 12, 3x + 2y <= 18. Optimum 36 at (2, 6),
    /// shadow prices (0, 1.5, 1).
    fn textbook() -> Program {
        let mut p = Program::new("textbook");
        let x = p.add_var("x".into(), 3.0);
        let y = p.add_var("y".into(), 5.0);
        p.add_row("a".into(), vec![(x, 1.0)], 4.0);
        p.add_row("b".into(), vec![(y, 2.0)], 12.0);
        p.add_row("c".into(), vec![(x, 3.0), (y, 2.0)], 18.0);
        p
    }

    #[test]
    fn solves_a_textbook_program_with_its_shadow_prices() {
        let p = textbook();
        let s = p.solve().unwrap();
        assert!((s.objective - 36.0).abs() < 1e-9);
        assert!((s.x[0] - 2.0).abs() < 1e-9 && (s.x[1] - 6.0).abs() < 1e-9);
        assert!(p.is_feasible(&s.x, 1e-9));
        let y = p.shadow_prices().unwrap();
        assert!(y[0].abs() < 1e-9 && (y[1] - 1.5).abs() < 1e-9 && (y[2] - 1.0).abs() < 1e-9, "{y:?}");
        // strong duality
        let dual = p.dual().solve().unwrap();
        assert!((dual.objective + s.objective).abs() < 1e-9);
    }

    #[test]
    fn writes_mps() {
        let mps = textbook().to_mps();
        assert!(mps.contains("ROWS\n N COST\n L a\n"));
        assert!(mps.contains(" x COST -3.000000000000e0"));
        assert!(mps.contains(" RHS c 1.800000000000e1"));
        assert!(mps.ends_with("ENDATA\n"));
    }
}
