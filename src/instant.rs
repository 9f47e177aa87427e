//! RFC 3339 timestamps and calendar dates, parsed to instants so offsets are applied
//! before comparing.

/// A point in UTC time, ordered as time runs. A leap second (`23:59:60`) has no place in
/// a count of nanoseconds since the epoch (the next day's first second would take it), so
/// each second since 1970-01-01T00:00:00Z carries a rank: 0 for the second itself, 1 for
/// a leap second inserted after it. Instants are only compared and formatted, never
/// subtracted, so the rank costs nothing elsewhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(i128);

const NANOS: i128 = 1_000_000_000;

impl Instant {
    /// An ordinary instant, `nanos` nanoseconds since 1970-01-01T00:00:00Z.
    pub fn from_unix_nanos(nanos: i128) -> Self {
        Self::ranked(nanos.div_euclid(NANOS), 0, nanos.rem_euclid(NANOS))
    }

    /// Second `secs` since the epoch (`rank` 1: the leap second after it), plus `nanos`.
    fn ranked(secs: i128, rank: i128, nanos: i128) -> Self {
        Self((secs * 2 + rank) * NANOS + nanos)
    }

    /// (seconds since the epoch, whether it is the leap second after them, nanoseconds).
    fn parts(self) -> (i128, bool, i128) {
        let ranked = self.0.div_euclid(NANOS);
        (
            ranked.div_euclid(2),
            ranked.rem_euclid(2) == 1,
            self.0.rem_euclid(NANOS),
        )
    }
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u32, |acc, d| {
        acc.checked_mul(10)?.checked_add(u32::from(d - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DD` into days since the epoch; `None` when it is not a real date.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i64::from(digits(&b[0..4])?);
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Parses an RFC 3339 date-time (`2026-11-17T10:02:00Z`, `...+02:00`, fractional
/// seconds allowed) into an instant; `None` when it is not one. Second `60` is a leap
/// second, valid only at 23:59:60 UTC (once the offset is applied): anywhere else it names
/// no instant, and reading it as the next second would tie it with that second.
pub fn parse_rfc3339(s: &str) -> Option<Instant> {
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let days = parse_date(&s[0..10])?;
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos: i128 = 0;
    if rest.first() == Some(&b'.') {
        let frac_len = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac_len == 0 {
            return None;
        }
        let frac = &rest[1..=frac_len];
        for i in 0..9 {
            let d = frac.get(i).map_or(0, |c| i128::from(c - b'0'));
            nanos = nanos * 10 + d;
        }
        rest = &rest[1 + frac_len..];
    }
    let offset_secs: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let oh = digits(&[*h1, *h2])?;
            let om = digits(&[*m1, *m2])?;
            if oh > 23 || om > 59 {
                return None;
            }
            let secs = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    if second == 60 {
        // The leap second follows second 59 of the same minute, which must be the last
        // minute of a UTC day.
        let before = days * 86_400 + i64::from(hour * 3600 + minute * 60 + 59) - offset_secs;
        if before.rem_euclid(86_400) != 86_399 {
            return None;
        }
        return Some(Instant::ranked(i128::from(before), 1, nanos));
    }
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset_secs;
    Some(Instant::ranked(i128::from(secs), 0, nanos))
}

/// Whether `s` is a date-time that would be valid but for its second `60` outside the
/// last minute of a UTC day, so the refusal can say why.
pub fn misplaced_leap_second(s: &str) -> bool {
    if s.get(17..19) != Some("60") || parse_rfc3339(s).is_some() {
        return false;
    }
    let ordinary = format!("{}59{}", &s[..17], &s[19..]);
    parse_rfc3339(&ordinary).is_some()
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (inverse of `days_from_civil`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Formats an instant as RFC 3339 in UTC, with fractional seconds only when present.
pub fn format_utc(instant: Instant) -> String {
    let (secs, leap, nanos) = instant.parts();
    let days = i64::try_from(secs.div_euclid(86_400)).unwrap_or(0);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (rem / 3600, rem % 3600 / 60, rem % 60 + i128::from(leap));
    let mut out = format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}");
    if nanos > 0 {
        let frac = format!("{nanos:09}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_applied() {
        assert_eq!(
            parse_rfc3339("2026-11-17T10:00:00Z"),
            parse_rfc3339("2026-11-17T12:00:00+02:00")
        );
        assert!(parse_rfc3339("2026-11-17T09:00:00-05:00") > parse_rfc3339("2026-11-17T10:00:00Z"));
        assert_eq!(
            parse_rfc3339("1970-01-01T00:00:00.5Z"),
            Some(Instant::from_unix_nanos(500_000_000))
        );
    }

    #[test]
    fn formatting_round_trips() {
        for text in [
            "2026-11-17T10:02:00Z",
            "1969-12-31T23:59:59.5Z",
            "2400-02-29T00:00:00Z",
            "2016-12-31T23:59:60Z",
            "2016-12-31T23:59:60.25Z",
        ] {
            assert_eq!(format_utc(parse_rfc3339(text).unwrap()), text);
        }
        let shifted = parse_rfc3339("2026-11-17T12:00:00+02:00").unwrap();
        assert_eq!(format_utc(shifted), "2026-11-17T10:00:00Z");
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(parse_date("2026-02-29"), None);
        assert!(parse_date("2024-02-29").is_some());
        assert_eq!(parse_rfc3339("2026-11-17T24:00:00Z"), None);
        assert_eq!(parse_rfc3339("2026-11-17 10:00:00"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn a_leap_second_ends_a_utc_day_and_nothing_else() {
        let at = |s| parse_rfc3339(s).unwrap_or_else(|| panic!("`{s}` is refused"));
        let leap = at("2016-12-31T23:59:60Z");
        assert!(at("2016-12-31T23:59:59.999999999Z") < leap);
        assert!(leap < at("2016-12-31T23:59:60.5Z"));
        assert!(at("2016-12-31T23:59:60.999999999Z") < at("2017-01-01T00:00:00Z"));
        // The same leap second seen from another offset.
        assert_eq!(at("2017-01-01T01:59:60+02:00"), leap);
        assert_eq!(
            format_utc(at("2016-12-31T18:59:60-05:00")),
            "2016-12-31T23:59:60Z"
        );
        for nowhere in [
            "2016-12-31T23:58:60Z",
            "2016-12-31T12:00:60Z",
            "2016-12-31T23:59:60+01:00",
            "2016-12-31T23:59:61Z",
        ] {
            assert_eq!(parse_rfc3339(nowhere), None, "{nowhere}");
        }
    }
}
