//! Sprint ids and their calendar: `YYYY-SNN` is the two-week sprint N of an ISO year,
//! starting on the Monday of ISO week 2N-1; 26 sprints a year.

use crate::instant::{civil_from_days, days_from_civil};

/// Days in a sprint.
pub(super) const DAYS: i64 = 14;

/// A validated sprint id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SprintId {
    year: i64,
    /// 1 to 26.
    number: u32,
}

impl SprintId {
    pub(super) fn parse(id: &str) -> Option<Self> {
        let b = id.as_bytes();
        if b.len() != 8 || b[4] != b'-' || b[5] != b'S' {
            return None;
        }
        let digits = |s: &[u8]| -> Option<u32> {
            s.iter().try_fold(0u32, |acc, &d| {
                d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
            })
        };
        let year = digits(&b[0..4])?;
        let number = digits(&b[6..8])?;
        // Four-digit years on both sides of the sprint, and a week 2N-1 every ISO year has.
        ((1000..=9998).contains(&year) && (1..=26).contains(&number)).then_some(Self {
            year: i64::from(year),
            number,
        })
    }

    /// Days since the epoch of the sprint's first day.
    pub(super) fn start_days(self) -> i64 {
        iso_week1_monday(self.year) + (i64::from(self.number) - 1) * DAYS
    }

    /// The sprint `n` sprints after this one, `None` past the last four-digit year.
    pub(super) fn after(self, n: u32) -> Option<Self> {
        let index = self.year * 26 + i64::from(self.number) - 1 + i64::from(n);
        let year = index.div_euclid(26);
        (year <= 9998).then_some(Self {
            year,
            number: index.rem_euclid(26) as u32 + 1,
        })
    }

    /// `YYYY-SNN`.
    pub(super) fn id(self) -> String {
        format!("{}-S{:02}", self.year, self.number)
    }

    /// The id of the sprint `ago` sprints before this one.
    pub(super) fn before(self, ago: u64) -> String {
        let index = self.year * 26 + i64::from(self.number) - 1 - ago as i64;
        format!("{}-S{:02}", index.div_euclid(26), index.rem_euclid(26) + 1)
    }
}

/// Days since the epoch of the Monday that starts ISO week 1 (the week holding 4 January).
fn iso_week1_monday(year: i64) -> i64 {
    let jan4 = days_from_civil(year, 1, 4);
    // 1970-01-01 was a Thursday: weekday 3 counting from Monday = 0.
    jan4 - (jan4 + 3).rem_euclid(7)
}

/// `YYYY-MM-DD` of a day since the epoch.
pub(super) fn date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprint_ids_map_to_two_week_sprints_from_iso_week_1() {
        let start = |id: &str| Some(date(SprintId::parse(id)?.start_days()));
        // The example sprint.
        assert_eq!(start("2026-S24").as_deref(), Some("2026-11-16"));
        // ISO week 1 of 2026 starts in 2025.
        assert_eq!(start("2026-S01").as_deref(), Some("2025-12-29"));
        assert_eq!(start("2021-S01").as_deref(), Some("2021-01-04"));
        assert_eq!(start("2026-S27"), None);
        assert_eq!(start("2026-S00"), None);
        assert_eq!(start("2026-24"), None);
        assert_eq!(start("２026-S24"), None);
        let s02 = SprintId::parse("2026-S02").unwrap();
        assert_eq!(s02.before(3), "2025-S25");
        assert_eq!(s02.after(25).map(SprintId::id).as_deref(), Some("2027-S01"));
        assert_eq!(SprintId::parse("9998-S26").unwrap().after(1), None);
    }
}
