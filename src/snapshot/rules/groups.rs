//! Run groups: one per key (squad, workflow, variant, pool, outcome), and a first run
//! that is neither listed in `runs` nor the first run of another group.

use std::collections::HashMap;

use serde_json::Value;

use super::runs::check_instant;
use super::tree::{array_at, str_at};
use crate::problem::{Problem, pointer};

pub(super) fn check(doc: &Value, problems: &mut Vec<Problem>) {
    let runs = array_at(doc, &["runs"]);
    let groups = array_at(doc, &["run_groups"]);
    let mut group_keys: HashMap<Vec<Option<&str>>, usize> = HashMap::new();
    let mut group_first_ids: HashMap<&str, usize> = HashMap::new();
    let run_ids: HashMap<&str, usize> = runs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((str_at(r, "id")?, i)))
        .collect();
    for (i, g) in groups.iter().enumerate() {
        let here = pointer("/run_groups", i);
        check_instant(g, "first_started_at", &here, problems);
        let key: Vec<Option<&str>> = ["squad", "workflow", "variant", "pool", "outcome"]
            .iter()
            .map(|f| str_at(g, f))
            .collect();
        if let Some(first) = group_keys.get(&key) {
            problems.push(Problem::new(
                here.clone(),
                format!("duplicate run group (same squad, workflow, variant, pool and outcome as /run_groups/{first})"),
            ));
        } else {
            group_keys.insert(key, i);
        }
        if let Some(id) = str_at(g, "first_run_id") {
            if let Some(run) = run_ids.get(id) {
                problems.push(Problem::new(
                    pointer(&here, "first_run_id"),
                    format!("run `{id}` is both in /runs/{run} and in a run group"),
                ));
            }
            if let Some(first) = group_first_ids.insert(id, i) {
                problems.push(Problem::new(
                    pointer(&here, "first_run_id"),
                    format!("run `{id}` is also the first run of /run_groups/{first}"),
                ));
            }
        }
    }
}
