//! How `d.check(actual, op, threshold)` compares: numbers as numbers whatever their type,
//! other values as their JSON, and an absent value failing every check.

use std::cmp::Ordering;

use rhai::{Array, Dynamic, Engine};

use super::value::to_json;
use crate::operator::Op;

/// A number as a check compares it: an integer kept whole, a float as it is.
#[derive(Clone, Copy)]
enum Number {
    Int(i64),
    Float(f64),
}

fn as_number(v: &Dynamic) -> Option<Number> {
    v.as_int()
        .map(Number::Int)
        .ok()
        .or_else(|| v.as_float().ok().map(Number::Float))
}

/// Orders two numbers exactly, whatever their types: an integer beyond 2^53 is never
/// rounded to a float first (2^53 + 1 tokens is over a cap of 2^53.0). `None` for NaN.
fn order(a: Number, b: Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(a), Number::Int(b)) => Some(a.cmp(&b)),
        (Number::Float(a), Number::Float(b)) => a.partial_cmp(&b),
        (Number::Int(a), Number::Float(b)) => int_float(a, b),
        (Number::Float(a), Number::Int(b)) => int_float(b, a).map(Ordering::reverse),
    }
}

/// Orders an integer and a float without rounding either: the float's whole part is an
/// exact integer once it lies within the range of `i64`, and its fraction breaks a tie.
fn int_float(i: i64, f: f64) -> Option<Ordering> {
    // 2^63: the first float above every i64 (and -2^63 is `i64::MIN`, exactly).
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() {
        return None;
    }
    if f >= TWO_63 {
        return Some(Ordering::Less);
    }
    if f < -TWO_63 {
        return Some(Ordering::Greater);
    }
    let whole = f.trunc();
    // Exact: |whole| < 2^63 and a float's whole part is an integer.
    let by_whole = i.cmp(&(whole as i64));
    Some(by_whole.then(0.0.partial_cmp(&(f - whole))?))
}

/// A check's operator, or why the text a policy gave is none.
pub fn parse(op: &str) -> Result<Op, String> {
    Op::parse(op).ok_or_else(|| format!("unknown operator `{op}` (use {})", Op::names().join(", ")))
}

/// Applies a check operator; an error says why when the types do not compare.
pub fn compare(
    engine: &Engine,
    actual: &Dynamic,
    op: Op,
    threshold: &Dynamic,
) -> Result<bool, String> {
    if actual.is_unit() {
        // An absent value (e.g. a ratio with no denominator) never satisfies a check.
        return Ok(false);
    }
    use Ordering::*;
    let holds: fn(Ordering) -> bool = match op {
        Op::In | Op::NotIn => {
            let Some(list) = threshold.read_lock::<Array>() else {
                return Err(format!("`{op}` needs an array threshold"));
            };
            let found = list.iter().any(|item| equal(engine, actual, item));
            return Ok(found == (op == Op::In));
        }
        Op::Equal => return Ok(equal(engine, actual, threshold)),
        Op::NotEqual => return Ok(!equal(engine, actual, threshold)),
        Op::AtLeast => |o| o != Less,
        Op::MoreThan => |o| o == Greater,
        Op::AtMost => |o| o != Greater,
        Op::LessThan => |o| o == Less,
    };
    let ordering = if let (Some(a), Some(b)) = (as_number(actual), as_number(threshold)) {
        order(a, b).ok_or("cannot compare NaN")?
    } else {
        return Err(format!(
            "`{op}` compares numbers, not {} and {}",
            super::words::a_type(actual.type_name()),
            super::words::a_type(threshold.type_name())
        ));
    };
    Ok(holds(ordering))
}

fn equal(engine: &Engine, a: &Dynamic, b: &Dynamic) -> bool {
    // Numbers compare exactly: through f64, integers above 2^53 that differ would round
    // to the same value and compare equal.
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return order(x, y) == Some(Ordering::Equal);
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
        compare(
            &Engine::new_raw(),
            &actual,
            Op::parse(op).unwrap(),
            &threshold,
        )
        .unwrap()
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

    /// An integer beyond 2^53 against a float threshold is compared without rounding
    /// either side: a top-up of 2^53 + 1 tokens is over a cap of 2^53 written as a float.
    #[test]
    fn integers_against_floats_compare_exactly() {
        let two_53 = 9_007_199_254_740_992.0_f64;
        let over = 9_007_199_254_740_993_i64;
        assert!(!check(over.into(), "<=", two_53.into()));
        assert!(check(over.into(), ">", two_53.into()));
        assert!(!check(over.into(), "==", two_53.into()));
        assert!(check(two_53.into(), "<", over.into()));
        assert!(check((over - 1).into(), "==", two_53.into()));
        assert!(check(i64::MAX.into(), "<", 2f64.powi(63).into()));
        assert!(check(i64::MIN.into(), "==", (-2f64.powi(63)).into()));
        assert!(check(i64::MIN.into(), ">", (-1e19_f64).into()));
        assert!(check((-3_i64).into(), "<", (-2.5_f64).into()));
        assert!(check((-2_i64).into(), ">", (-2.5_f64).into()));
        assert!(check(5_i64.into(), "<", f64::INFINITY.into()));
        assert!(check(5_i64.into(), ">", f64::NEG_INFINITY.into()));
        let list = || Dynamic::from_array(vec![two_53.into()]);
        assert!(check(over.into(), "not in", list()));
    }
}
