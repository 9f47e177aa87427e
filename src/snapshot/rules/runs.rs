//! Each run and run group: tagged with both names or neither; and each run's cost
//! countable in micro-units and its start an RFC 3339 instant.

use serde_json::Value;

use super::tree::{array_at, str_at};
use crate::instant;
use crate::money;
use crate::problem::{Problem, pointer};

/// A run's cost in micro-units; `None` when it is negative or too large to count.
#[inline]
pub fn cost_micros(cost: f64) -> Option<i64> {
    (cost >= 0.0).then(|| money::to_micros(cost)).flatten()
}

pub(super) fn check(doc: &Value, problems: &mut Vec<Problem>) {
    let runs = array_at(doc, &["runs"]);
    let groups = array_at(doc, &["run_groups"]);
    for (base, records) in [("/runs", runs), ("/run_groups", groups)] {
        for (i, r) in records.iter().enumerate() {
            check_tagging(r, &pointer(base, i), problems);
        }
    }
    for (i, r) in runs.iter().enumerate() {
        if let Some(cost) = r.get("cost").and_then(Value::as_f64) {
            if cost >= 0.0 && cost_micros(cost).is_none() {
                problems.push(Problem::new(
                    pointer(&pointer("/runs", i), "cost"),
                    format!("cost `{cost}` is too large to count in micro-units"),
                ));
            }
        }
        check_instant(r, "started_at", &pointer("/runs", i), problems);
    }
}

pub(super) fn check_instant(record: &Value, field: &str, base: &str, problems: &mut Vec<Problem>) {
    if let Some(text) = str_at(record, field) {
        if instant::parse_rfc3339(text).is_none() {
            let message = if instant::misplaced_leap_second(text) {
                format!("`{text}` has second 60, a leap second, which only 23:59:60 UTC can have")
            } else {
                format!("`{text}` is not an RFC 3339 date-time")
            };
            problems.push(Problem::new(pointer(base, field), message));
        }
    }
}

fn check_tagging(record: &Value, here: &str, problems: &mut Vec<Problem>) {
    let workflow = record.get("workflow");
    let variant = record.get("variant");
    let tagged = |v: Option<&Value>| v.is_some_and(Value::is_string);
    let null = |v: Option<&Value>| v.is_some_and(Value::is_null);
    if tagged(workflow) && null(variant) || null(workflow) && tagged(variant) {
        let (set, unset) = if tagged(workflow) {
            ("workflow", "variant")
        } else {
            ("variant", "workflow")
        };
        problems.push(Problem::new(
            here,
            format!("half-tagged: `{set}` is set but `{unset}` is null (set both, or neither for an untagged run)"),
        ));
    }
}
