//! The months a plan covers and the month it is made in: a leaf value, shared by the
//! settings that store it, the model that plans over it and the front ends that
//! override it (docs/model.md, "Today and the plan window").
//!
//! `today` is the planning date: months before it are history (what the data records
//! as realised), months from it on are the plan. The front ends read the clock once,
//! at the edge, and pass its month in; the vault's settings may fix `today` (to replay
//! an old plan) and the window; a command's request overrides both. [`Horizon::resolve`]
//! is the one rule for all of them.

use crate::month::Month;
use crate::{Error, Result};

/// The planning date, the first month computed and charted, and how many months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Horizon {
    /// The month the plan is made in ("today").
    pub today: Month,
    /// The first month computed and charted (months before `today` are history).
    pub start: Month,
    pub months: u32,
}

/// Months of history shown before `today` when nothing else is chosen.
pub const DEFAULT_HISTORY_MONTHS: i32 = 24;
/// Months computed when nothing else is chosen: two years of history, four ahead.
pub const DEFAULT_MONTHS: u32 = 72;
/// The longest window a request may ask for (a file or a command line).
pub const MAX_REQUEST_MONTHS: u32 = 240;

/// What a command asks for: each part overrides the settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WindowRequest {
    #[serde(default)]
    pub today: Option<Month>,
    #[serde(default)]
    pub start: Option<Month>,
    #[serde(default)]
    pub months: Option<u32>,
}

/// What the vault's settings fix (`None`: follow the default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowSettings {
    pub planning_date: Option<Month>,
    pub start: Option<Month>,
    pub months: Option<u32>,
}

impl Horizon {
    /// The default window around `today`: 24 months of history, 72 months in all.
    pub fn around(today: Month) -> Horizon {
        Horizon { today, start: today.plus(-DEFAULT_HISTORY_MONTHS), months: DEFAULT_MONTHS }
    }

    /// The window a command plans: the request, else the settings, else the default
    /// around `clock` (the current month, read by the front end).
    ///
    /// ```
    /// use packplan_core::horizon::{Horizon, WindowRequest, WindowSettings};
    /// let clock = "2026-12".parse().unwrap();
    /// let w = Horizon::resolve(&WindowRequest::default(), &WindowSettings::default(), clock).unwrap();
    /// assert_eq!((w.today.to_string(), w.start.to_string(), w.months), ("2026-12".into(), "2024-12".into(), 72));
    /// let fixed = WindowSettings { planning_date: Some("2026-07".parse().unwrap()), ..Default::default() };
    /// let w = Horizon::resolve(&WindowRequest::default(), &fixed, clock).unwrap();
    /// assert_eq!(w.start.to_string(), "2024-07");
    /// ```
    pub fn resolve(request: &WindowRequest, settings: &WindowSettings, clock: Month) -> Result<Horizon> {
        let today = request.today.or(settings.planning_date).unwrap_or(clock);
        let window = Horizon {
            today,
            start: request.start.or(settings.start).unwrap_or(today.plus(-DEFAULT_HISTORY_MONTHS)),
            months: request.months.or(settings.months).unwrap_or(DEFAULT_MONTHS),
        };
        window.validate()?;
        Ok(window)
    }

    /// A window the model can plan: plausible years and 1 to 240 months.
    pub fn validate(&self) -> Result<()> {
        for (what, m) in [("today", self.today), ("the first month", self.start)] {
            if !(2020..=2040).contains(&m.year()) {
                return Err(Error::invalid(format!(
                    "{what} is {m}, which is implausible for a plan; choose a month from 2020 to 2040"
                )));
            }
        }
        if !(1..=MAX_REQUEST_MONTHS).contains(&self.months) {
            return Err(Error::invalid(format!(
                "a window of {} months cannot be planned; choose 1 to {MAX_REQUEST_MONTHS} months",
                self.months
            )));
        }
        if self.end() <= self.today {
            return Err(Error::invalid(format!(
                "the window {} to {} ends before today ({}), so nothing is left to plan; start later or plan more months",
                self.start,
                self.end().plus(-1),
                self.today
            )));
        }
        Ok(())
    }

    /// The month after the last one planned.
    pub fn end(&self) -> Month {
        self.start.plus(self.months as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    #[test]
    fn the_request_beats_the_settings_which_beat_the_clock() {
        let settings = WindowSettings { planning_date: Some(m("2026-06")), start: Some(m("2025-01")), months: None };
        let request = WindowRequest { today: None, start: Some(m("2026-01")), months: Some(36) };
        let w = Horizon::resolve(&request, &settings, m("2027-03")).unwrap();
        assert_eq!(w, Horizon { today: m("2026-06"), start: m("2026-01"), months: 36 });
        let w = Horizon::resolve(&WindowRequest::default(), &settings, m("2027-03")).unwrap();
        assert_eq!(w, Horizon { today: m("2026-06"), start: m("2025-01"), months: 72 });
        let w = Horizon::resolve(&WindowRequest::default(), &WindowSettings::default(), m("2027-03")).unwrap();
        assert_eq!(w, Horizon { today: m("2027-03"), start: m("2025-03"), months: 72 });
        let bad = WindowRequest { months: Some(0), ..Default::default() };
        assert!(Horizon::resolve(&bad, &settings, m("2027-03")).unwrap_err().to_string().contains("0 months"));
    }
}
