//! How a record reads: on one line with a space after each `:` and `,`, as people write
//! JSON by hand, and money with at least two decimals (`2.70`, not `2.7`).

use std::io::{self, Write};

use serde_json::ser::{CompactFormatter, Formatter};

/// serde_json's compact layout, spaced, with money-style decimals.
pub(super) struct Spaced;

impl Formatter for Spaced {
    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            out.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.begin_array_value(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    /// serde_json's digits (the shortest that read back as the same number), padded to
    /// two decimals. The only numbers `gen` writes with decimals are costs, each a whole
    /// number of ten-thousandths divided once in f64: the shortest digits of that double
    /// are the cost's own decimals, so `2.2391` and `2.70` are written exactly.
    fn write_f64<W: ?Sized + Write>(&mut self, out: &mut W, value: f64) -> io::Result<()> {
        let mut text = [0u8; 32];
        let mut rest = &mut text[..];
        CompactFormatter.write_f64(&mut rest, value)?;
        let len = 32 - rest.len();
        let text = &text[..len];
        out.write_all(text)?;
        if text.contains(&b'e') {
            return Ok(());
        }
        match text.iter().position(|&c| c == b'.') {
            Some(dot) if len - dot - 1 < 2 => out.write_all(&b"00"[len - dot - 1..]),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::records::Cost;
    use super::*;

    fn spaced(value: &impl serde::Serialize) -> String {
        let mut text = Vec::new();
        value
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut text, Spaced,
            ))
            .unwrap();
        String::from_utf8(text).unwrap()
    }

    #[test]
    fn records_read_on_one_spaced_line() {
        let record = serde_json::json!({"id": "r-1", "tags": ["a", "b"], "none": null});
        assert_eq!(
            spaced(&record),
            r#"{"id": "r-1", "none": null, "tags": ["a", "b"]}"#
        );
    }

    #[test]
    fn written_costs_have_two_to_four_decimals_and_are_exact_micro_units() {
        assert_eq!(spaced(&Cost(27_000)), "2.70");
        assert_eq!(spaced(&Cost(30_000)), "3.00");
        assert_eq!(spaced(&Cost(9_710)), "0.971");
        assert_eq!(spaced(&Cost(33_331)), "3.3331");
        assert_eq!(spaced(&Cost(1)), "0.0001");
        for cost_e4 in (0..200_000).chain(99_990_000..100_000_000) {
            let text = spaced(&Cost(cost_e4));
            let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
            assert!((2..=4).contains(&decimals), "{text}");
            let parsed: f64 = text.parse().unwrap();
            assert_eq!(
                crate::money::to_micros(parsed),
                Some(cost_e4 as i64 * 100),
                "{text}"
            );
            let trimmed = text.trim_end_matches('0').trim_end_matches('.');
            let exact = format!("{}.{:04}", cost_e4 / 10_000, cost_e4 % 10_000);
            assert_eq!(trimmed, exact.trim_end_matches('0').trim_end_matches('.'));
        }
    }
}
