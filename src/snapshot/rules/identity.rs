//! What must be named once: squad ids, and the references to them from budgets, top-ups,
//! runs and run groups; budget entries, top-up and run ids, catalog entries.

use std::collections::HashMap;

use serde_json::Value;

use super::tree::{array_at, str_at};
use crate::problem::{Problem, pointer};

pub(super) fn check(doc: &Value, problems: &mut Vec<Problem>) {
    let budgets = array_at(doc, &["budgets", "exploration"]);
    let topups = array_at(doc, &["topups"]);
    let runs = array_at(doc, &["runs"]);
    let groups = array_at(doc, &["run_groups"]);
    let mut squads: HashMap<&str, String> = HashMap::new();
    for (i, squad) in array_at(doc, &["squads"]).iter().enumerate() {
        if let Some(id) = str_at(squad, "id") {
            let here = pointer(&pointer("/squads", i), "id");
            if let Some(first) = squads.get(id) {
                problems.push(Problem::new(
                    here,
                    format!("duplicate squad id `{id}` (first at {first})"),
                ));
            } else {
                squads.insert(id, here);
            }
        }
    }
    let mut unknown_squad = |base: &str, i: usize, record: &Value, field: &str| {
        if let Some(squad) = str_at(record, field) {
            if !squads.contains_key(squad) {
                problems.push(Problem::new(
                    pointer(&pointer(base, i), field),
                    format!("unknown squad `{squad}`"),
                ));
            }
        }
    };
    for (i, b) in budgets.iter().enumerate() {
        unknown_squad("/budgets/exploration", i, b, "squad");
    }
    for (i, t) in topups.iter().enumerate() {
        unknown_squad("/topups", i, t, "squad");
    }
    for (i, r) in runs.iter().enumerate() {
        unknown_squad("/runs", i, r, "squad");
    }
    for (i, g) in groups.iter().enumerate() {
        unknown_squad("/run_groups", i, g, "squad");
    }

    duplicates(
        budgets,
        "/budgets/exploration",
        "squad",
        "budget entry for squad",
        problems,
    );
    duplicates(topups, "/topups", "id", "top-up id", problems);
    duplicates(runs, "/runs", "id", "run id", problems);

    let mut catalog: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, entry) in array_at(doc, &["catalog"]).iter().enumerate() {
        if let (Some(w), Some(v)) = (str_at(entry, "workflow"), str_at(entry, "variant")) {
            if let Some(first) = catalog.get(&(w, v)) {
                problems.push(Problem::new(
                    pointer("/catalog", i),
                    format!("duplicate catalog entry `{w}/{v}` (first at /catalog/{first})"),
                ));
            } else {
                catalog.insert((w, v), i);
            }
        }
    }
}

fn duplicates(records: &[Value], base: &str, field: &str, what: &str, problems: &mut Vec<Problem>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if let Some(id) = str_at(r, field) {
            if let Some(first) = seen.get(id) {
                problems.push(Problem::new(
                    pointer(&pointer(base, i), field),
                    format!("duplicate {what} `{id}` (first at {base}/{first}/{field})"),
                ));
            } else {
                seen.insert(id, i);
            }
        }
    }
}
