//! Whole numbers that must fit 64 bits: JSON Schema's `integer` also takes `1e20`, which
//! no counter holds, and `1.0`, which serde would refuse naming a Rust type.

use serde_json::Value;

use super::tree::array_at;
use crate::problem::{Problem, pointer};

/// Integer fields of each record kind, which must fit 64 bits (JSON Schema's `integer`
/// also accepts `1e20`, which no counter can hold).
const INTEGER_FIELDS: &[(&[&str], &[&str])] = &[
    (&["squads"], &["headcount"]),
    (&["budgets", "exploration"], &["baseline_tokens"]),
    (&["topups"], &["tokens"]),
    (&["runs"], &["input_tokens", "output_tokens"]),
    (
        &["run_groups"],
        &["count", "input_tokens", "output_tokens", "cost_micros"],
    ),
];

/// Every integer field of the document, at its place.
pub(super) fn check(doc: &Value, problems: &mut Vec<Problem>) {
    for at in ["/schema_version", "/budgets/central_tokens"] {
        if let Some(v) = doc.pointer(at) {
            check_u64(v, at, problems);
        }
    }
    for (path, fields) in INTEGER_FIELDS {
        let base: String = path.iter().map(|p| format!("/{p}")).collect();
        for (i, record) in array_at(doc, path).iter().enumerate() {
            for field in *fields {
                if let Some(v) = record.get(field) {
                    check_u64(v, &pointer(&pointer(&base, i), field), problems);
                }
            }
        }
    }
}

fn check_u64(v: &Value, at: &str, problems: &mut Vec<Problem>) {
    let Some(f) = v.as_f64().filter(|_| v.as_u64().is_none()) else {
        return;
    };
    // JSON Schema's `integer` takes `1.0`; serde would not, naming a Rust type.
    let message = if f >= 0.0 && f.fract() == 0.0 && f < 2f64.powi(53) {
        format!(
            "`{v}` has a decimal point: write the whole number `{}`",
            f as u64
        )
    } else if f >= 0.0 {
        format!("`{v}` is not a whole number that fits in 64 bits")
    } else {
        return;
    };
    problems.push(Problem::new(at, message));
}
