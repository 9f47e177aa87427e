//! The handbook's rules beyond the JSON Schema, shared by both loaders: the tree loader
//! reports every breach with its JSON Pointer, the streaming loader gives up on any.

use std::collections::HashSet;

use serde_json::Value;

use super::model::Snapshot;
use crate::instant;
use crate::problem::Problem;
use crate::schema;

mod groups;
mod identity;
mod integers;
mod runs;
mod sprint;
mod totals;
mod tree;

pub use runs::cost_micros;
pub use totals::{MAX_INTEGER, check_totals};

/// Names must be non-empty and free of `/` and `@`, so variant keys never collide.
#[inline]
pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '@'])
}

/// The tag of a run or run group: both names or neither. `None` when it is half-tagged
/// or a name is not valid.
#[inline]
pub fn tag<'a>(
    workflow: Option<&'a str>,
    variant: Option<&'a str>,
) -> Option<Option<(&'a str, &'a str)>> {
    match (workflow, variant) {
        (None, None) => Some(None),
        (Some(w), Some(v)) if valid_name(w) && valid_name(v) => Some(Some((w, v))),
        _ => None,
    }
}

/// Fills in what the loader derives from the text of run groups.
pub fn finish(snapshot: &mut Snapshot) {
    for group in &mut snapshot.run_groups {
        group.first_started = instant::parse_rfc3339(&group.first_started_at).unwrap_or_default();
    }
}

/// Every problem of a snapshot tree: the schema's, then the handbook's rules, one
/// message per place, in document order.
pub fn validate(value: &Value) -> Vec<Problem> {
    let mut problems = schema::validate_snapshot(value);
    if value.is_object() {
        let mut rules = Vec::new();
        check_rules(value, &mut rules);
        // Where the schema already objected, it has said enough.
        let flagged: HashSet<String> = problems.iter().map(|p| p.pointer.clone()).collect();
        problems.extend(rules.into_iter().filter(|p| !flagged.contains(&p.pointer)));
    }
    problems.sort();
    problems.dedup();
    problems
}

/// The handbook's rules beyond the JSON Schema, a group per file. Tolerates wrong types:
/// those were reported by the schema already. The order does not show: `validate` sorts.
fn check_rules(doc: &Value, problems: &mut Vec<Problem>) {
    integers::check(doc, problems);
    sprint::check(doc, problems);
    identity::check(doc, problems);
    runs::check(doc, problems);
    groups::check(doc, problems);
}
