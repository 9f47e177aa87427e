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
const OPERATORS: [&str; 8] = [">=", ">", "<=", "<", "==", "!=", "in", "not in"];

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
            "`{op}` compares numbers, not `{}` and `{}`",
            actual.type_name(),
            threshold.type_name()
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
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return x == y;
    }
    match (to_json(a, engine), to_json(b, engine)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
