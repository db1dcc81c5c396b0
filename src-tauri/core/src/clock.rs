//! Wall-clock time in the forms Packplan writes: RFC 3339 UTC timestamps and
//! `YYYY-MM-DD` dates, without a time-zone database (all times are UTC).

use std::time::{SystemTime, UNIX_EPOCH};

/// A moment, in whole seconds since 1970-01-01 UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Timestamp {
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        Timestamp(secs)
    }

    /// `2026-11-25T10:00:00Z`
    pub fn rfc3339(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(86_400));
        let s = self.0.rem_euclid(86_400);
        format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
    }

    /// The calendar month of the moment (UTC): what "today" is when no setting fixes it.
    pub fn month(self) -> crate::month::Month {
        let (y, m, _) = civil_from_days(self.0.div_euclid(86_400));
        crate::month::Month::from_number(y as i32 * 12 + m as i32 - 1)
    }

    /// `2026-11-25`
    pub fn date(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(86_400));
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01),
/// after Howard Hinnant's `civil_from_days`.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_moments_format_correctly() {
        assert_eq!(Timestamp(0).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp(951_782_400).date(), "2000-02-29");
        assert_eq!(Timestamp(1_795_600_800).rfc3339(), "2026-11-25T10:00:00Z");
        assert_eq!(Timestamp(-86_400).date(), "1969-12-31");
        assert_eq!(Timestamp(1_795_600_800).month().to_string(), "2026-11");
    }
}
