//! Instants as a run's report writes them: the squad's local time with its UTC offset,
//! milliseconds only when there are some.

use serde::{Serialize, Serializer};

use super::digits::two;
use crate::instant::civil_from_days;

/// The UTC offsets squads work in; some runs report straight from UTC servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Offset {
    Utc,
    East2,
    West5,
}

impl Offset {
    pub(super) fn seconds(self) -> i64 {
        match self {
            Self::Utc => 0,
            Self::East2 => 2 * 3600,
            Self::West5 => -5 * 3600,
        }
    }

    fn suffix(self) -> &'static [u8] {
        match self {
            Self::Utc => b"Z",
            Self::East2 => b"+02:00",
            Self::West5 => b"-05:00",
        }
    }
}

/// An instant in milliseconds since the epoch, written in `offset`'s local time.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stamp {
    pub(super) at_ms: i64,
    pub(super) offset: Offset,
}

/// `YYYY-MM-DDTHH:MM:SS.mmm-05:00`, the longest a stamp gets.
const MAX_LEN: usize = 29;

impl Stamp {
    /// Appends the RFC 3339 text (the JSON string's contents: nothing in it needs escaping).
    pub(super) fn push(self, line: &mut Vec<u8>) {
        line.extend_from_slice(self.text(&mut [0; MAX_LEN]));
    }

    /// The RFC 3339 text, filled in place: this runs for every run of a million-run file.
    fn text(self, text: &mut [u8; MAX_LEN]) -> &[u8] {
        let local = self.at_ms.div_euclid(1000) + self.offset.seconds();
        let millis = self.at_ms.rem_euclid(1000) as usize;
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let secs = local.rem_euclid(86_400) as usize;
        text[..23].copy_from_slice(b"0000-00-00T00:00:00.000");
        let year = year as usize;
        two(text, 0, year / 100 % 100);
        two(text, 2, year % 100);
        two(text, 5, month as usize);
        two(text, 8, day as usize);
        two(text, 11, secs / 3600);
        two(text, 14, secs / 60 % 60);
        two(text, 17, secs % 60);
        let mut len = 19;
        if millis != 0 {
            text[20] = b'0' + (millis / 100) as u8;
            two(text, 21, millis % 100);
            len = 23;
        }
        let suffix = self.offset.suffix();
        text[len..len + suffix.len()].copy_from_slice(suffix);
        &text[..len + suffix.len()]
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = [0; MAX_LEN];
        let text = self.text(&mut text);
        serializer.serialize_str(std::str::from_utf8(text).expect("a stamp is ASCII"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::rng::{Rng, Stream};
    use super::*;

    #[test]
    fn written_instants_parse_back_to_the_same_instant() {
        let mut rng = Rng::new(7, Stream::World);
        for _ in 0..10_000 {
            let at_ms = rng.range(0, 250_000_000_000_000) as i64;
            for offset in [Offset::Utc, Offset::East2, Offset::West5] {
                let stamp = Stamp { at_ms, offset };
                let json = serde_json::to_string(&stamp).unwrap();
                let text: String = serde_json::from_str(&json).unwrap();
                let mut pushed = Vec::new();
                stamp.push(&mut pushed);
                assert_eq!(pushed, text.as_bytes());
                assert_eq!(
                    crate::instant::parse_rfc3339(&text),
                    Some(crate::instant::Instant::from_unix_nanos(
                        i128::from(at_ms) * 1_000_000
                    )),
                    "{text}"
                );
            }
        }
    }
}
