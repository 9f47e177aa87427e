//! Exact money: costs become integer micro-units so totals do not depend on summation order.

/// Micro-units per currency unit.
pub const MICROS: f64 = 1_000_000.0;

/// `cost × 1,000,000` rounded to the nearest integer, ties to even, as the handbook says.
///
/// The product is taken in f64 (what an auditor's script computes), then rounded; callers
/// have already checked that `cost` is finite and non-negative.
pub fn to_micros(cost: f64) -> Option<i64> {
    let scaled = (cost * MICROS).round_ties_even();
    // i64::MAX as f64 rounds up to 2^63, which does not fit: refuse it too.
    if scaled.is_finite() && scaled >= 0.0 && scaled < i64::MAX as f64 {
        Some(scaled as i64)
    } else {
        None
    }
}

/// Formats micro-units as a currency amount with two decimals, for summaries.
pub fn format_micros(micros: f64) -> String {
    format!("{:.2}", micros / MICROS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_nearest_with_ties_to_even() {
        assert_eq!(to_micros(2.73), Some(2_730_000));
        assert_eq!(to_micros(0.1), Some(100_000));
        assert_eq!(to_micros(0.0000005), Some(0));
        assert_eq!(to_micros(0.0000015), Some(2));
        assert_eq!(to_micros(1e300), None);
    }
}
