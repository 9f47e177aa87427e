//! A decision's one-line summary when the policy writes none: each check as a person reads
//! it (`uses 14 ≥ 10`), values shown in their unit.

use serde_json::Value;

use crate::decision::Check;
use crate::money;
use crate::operator::{Op, Unit};

/// The operator as a person reads it, negated when the check failed.
fn symbol(op: Op, pass: bool) -> &'static str {
    match (op, pass) {
        (Op::AtLeast, true) | (Op::LessThan, false) => "≥",
        (Op::AtLeast, false) | (Op::LessThan, true) => "<",
        (Op::MoreThan, true) | (Op::AtMost, false) => ">",
        (Op::MoreThan, false) | (Op::AtMost, true) => "≤",
        (Op::Equal, true) | (Op::NotEqual, false) => "=",
        (Op::Equal, false) | (Op::NotEqual, true) => "≠",
        (Op::In, true) | (Op::NotIn, false) => "in",
        (Op::In, false) | (Op::NotIn, true) => "not in",
    }
}

/// Renders a value for a summary: integers as they are, ratios with two decimals,
/// money in currency units.
pub fn display(value: &Value, unit: Option<&Unit>) -> String {
    match value {
        Value::Null => "none".to_owned(),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            match unit {
                Some(Unit::Micros) => money::format_micros(f),
                _ if n.is_i64() || n.is_u64() => n.to_string(),
                // A token cap such as 0.5 × baseline: whole, or with its half.
                Some(Unit::Tokens) => format!("{f}"),
                _ => format!("{f:.2}"),
            }
        }
        Value::String(s) if s.is_empty() => "\"\"".to_owned(),
        Value::String(s) => format!("`{s}`"),
        // Long lists (allowed reasons) are in the check itself; the sentence stays short.
        Value::Array(items) if items.len() > 3 => format!("the {} listed", items.len()),
        Value::Array(items) => {
            let shown: Vec<String> = items.iter().map(|v| display(v, unit)).collect();
            format!("[{}]", shown.join(", "))
        }
        other => other.to_string(),
    }
}

pub fn render_check(c: &Check) -> String {
    format!(
        "{} {} {} {}",
        c.label,
        display(&c.actual, c.unit.as_ref()),
        symbol(c.op, c.pass),
        display(&c.threshold, c.unit.as_ref())
    )
}
