//! Calendar months (`YYYY-MM`), the time step of every capacity figure and plan.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result};

/// A calendar month, stored as its absolute number `year * 12 + (month - 1)`.
///
/// ```
/// use packplan_core::month::Month;
/// let m: Month = "2026-03".parse().unwrap();
/// assert_eq!(m.to_string(), "2026-03");
/// assert_eq!(m.plus(10).to_string(), "2027-01");
/// assert_eq!(m.months_until("2026-12".parse().unwrap()), 9);
/// assert!("2026-13".parse::<Month>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ts_rs::TS)]
pub struct Month(#[ts(type = "string")] i32);

impl Month {
    /// `year`-`month`, with `month` from 1 to 12.
    pub fn new(year: i32, month: u32) -> Result<Month> {
        if !(1..=12).contains(&month) || !(1900..=2200).contains(&year) {
            return Err(Error::invalid(format!(
                "{year}-{month:02} is not a month; use YYYY-MM with a month from 01 to 12"
            )));
        }
        Ok(Month(year * 12 + month as i32 - 1))
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1 to 12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    /// The absolute month number (what chart month axes use).
    pub fn number(self) -> i32 {
        self.0
    }

    pub fn from_number(n: i32) -> Month {
        Month(n)
    }

    pub fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }

    /// Months from `self` to `later` (negative if `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        later.0 - self.0
    }
}

impl FromStr for Month {
    type Err = Error;
    fn from_str(s: &str) -> Result<Month> {
        let bad = || Error::invalid(format!("{s:?} is not a month; use YYYY-MM, for example 2026-03"));
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        Month::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?)
    }
}

/// The months' short English names, January first.
pub const NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Month {
    /// The month as a reader says it: `Nov 2026`.
    pub fn words(self) -> String {
        format!("{} {}", NAMES[(self.month() as usize + 11) % 12], self.year())
    }

    /// A month that may lie past the plan's horizon, as a reader says it: `Nov 2026`, or
    /// `beyond` when there is none.
    pub fn words_or_beyond(month: Option<Month>) -> String {
        month.map(Month::words).unwrap_or_else(|| "beyond".into())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl fmt::Debug for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Month({self})")
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_print_and_count() {
        let m = Month::new(2028, 12).unwrap();
        assert_eq!(m.plus(1).to_string(), "2029-01");
        assert_eq!(m.plus(-12).to_string(), "2027-12");
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2028-12\"");
        assert_eq!(serde_json::from_str::<Month>("\"2028-12\"").unwrap(), m);
        for bad in ["2028-00", "2028-1", "28-01", "2028/01", "", "abcd-ef"] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
    }

    #[test]
    fn months_read_as_people_say_them() {
        assert_eq!(Month::new(2026, 11).unwrap().words(), "Nov 2026");
        assert_eq!(Month::new(2027, 1).unwrap().words(), "Jan 2027");
        assert_eq!(Month::words_or_beyond(Some(Month::new(2027, 12).unwrap())), "Dec 2027");
        assert_eq!(Month::words_or_beyond(None), "beyond");
    }
}
