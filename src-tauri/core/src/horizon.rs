//! The months a plan covers: a first month and a count. A leaf value, shared by the
//! settings that store it, the model that plans over it and the front ends that
//! override it.

use crate::month::Month;

/// The first month planned and how many months are planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    pub start: Month,
    pub months: u32,
}

impl Default for Horizon {
    fn default() -> Self {
        Horizon { start: Month::from_number(2025 * 12), months: 60 }
    }
}
