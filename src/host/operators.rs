//! How `d.check(actual, op, threshold)` compares: numbers as numbers whatever their type,
//! other values as their JSON, and an absent value failing every check.

use rhai::{Array, Dynamic, Engine};

use super::value::to_json;

fn as_number(v: &Dynamic) -> Option<f64> {
    v.as_int()
        .map(|i| i as f64)
        .ok()
        .or_else(|| v.as_float().ok())
}

/// The operators `d.check` knows.
pub const OPERATORS: [&str; 8] = [">=", ">", "<=", "<", "==", "!=", "in", "not in"];

/// The units `d.check`'s fifth argument may name, and how a summary shows values in each.
pub const UNITS: [(&str, &str); 2] = [
    (
        "micros",
        "money in micro-units, shown in currency units (`3.95`)",
    ),
    (
        "tokens",
        "token counts, a fractional cap shown whole or with its half",
    ),
];

fn unknown(op: &str) -> String {
    format!("unknown operator `{op}` (use >=, >, <=, <, ==, !=, in, not in)")
}

/// Applies a check operator; an error says why when the operator is unknown or the types
/// do not compare.
pub fn compare(
    engine: &Engine,
    actual: &Dynamic,
    op: &str,
    threshold: &Dynamic,
) -> Result<bool, String> {
    // The operator is checked first: a typo must not hide behind an absent value.
    if !OPERATORS.contains(&op) {
        return Err(unknown(op));
    }
    if actual.is_unit() {
        // An absent value (e.g. a ratio with no denominator) never satisfies a check.
        return Ok(false);
    }
    match op {
        "in" | "not in" => {
            let Some(list) = threshold.read_lock::<Array>() else {
                return Err(format!("`{op}` needs an array threshold"));
            };
            let found = list.iter().any(|item| equal(engine, actual, item));
            return Ok(found == (op == "in"));
        }
        "==" => return Ok(equal(engine, actual, threshold)),
        "!=" => return Ok(!equal(engine, actual, threshold)),
        _ => {}
    }
    let ordering = if let (Ok(a), Ok(b)) = (actual.as_int(), threshold.as_int()) {
        a.cmp(&b)
    } else if let (Some(a), Some(b)) = (as_number(actual), as_number(threshold)) {
        a.partial_cmp(&b).ok_or("cannot compare NaN")?
    } else {
        return Err(format!(
            "`{op}` compares numbers, not {} and {}",
            super::words::a_type(actual.type_name()),
            super::words::a_type(threshold.type_name())
        ));
    };
    use std::cmp::Ordering::*;
    Ok(match op {
        ">=" => ordering != Less,
        ">" => ordering == Greater,
        "<=" => ordering != Greater,
        "<" => ordering == Less,
        _ => return Err(unknown(op)),
    })
}

fn equal(engine: &Engine, a: &Dynamic, b: &Dynamic) -> bool {
    // Two integers compare exactly: through f64, integers above 2^53 that differ would
    // round to the same value and compare equal.
    if let (Ok(x), Ok(y)) = (a.as_int(), b.as_int()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return x == y;
    }
    match (to_json(a, engine), to_json(b, engine)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(actual: Dynamic, op: &str, threshold: Dynamic) -> bool {
        compare(&Engine::new_raw(), &actual, op, &threshold).unwrap()
    }

    /// 2^53 + 1 and 2^53 are the same f64: only an integer comparison tells them apart.
    #[test]
    fn integers_above_2_pow_53_compare_as_integers() {
        let (a, b) = (9_007_199_254_740_993_i64, 9_007_199_254_740_992_i64);
        assert!(!check(a.into(), "==", b.into()));
        assert!(check(a.into(), "!=", b.into()));
        assert!(check(a.into(), "==", a.into()));
        let list = || Dynamic::from_array(vec![b.into()]);
        assert!(!check(a.into(), "in", list()));
        assert!(check(a.into(), "not in", list()));
        assert!(check(a.into(), ">", b.into()));
        assert!(!check(a.into(), "<=", b.into()));
        assert!(check(i64::MAX.into(), "!=", (i64::MAX - 1).into()));
    }

    /// An integer and a float still compare as numbers.
    #[test]
    fn mixed_integers_and_floats_compare_as_numbers() {
        assert!(check(2_i64.into(), "==", 2.0_f64.into()));
        assert!(check(
            2.0_f64.into(),
            "in",
            Dynamic::from_array(vec![2_i64.into()])
        ));
        assert!(check(3_i64.into(), ">", 2.5_f64.into()));
    }
}
