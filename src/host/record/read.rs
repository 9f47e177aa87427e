//! `decisions(policy)`: what an earlier policy the running one `READS` decided, as maps.

use rhai::{Array, Dynamic, Engine, Map};

use super::draft::{RhaiResult, Shared, fail};
use crate::decision::Decision;
use crate::host::value::from_json;

pub(super) fn register(engine: &mut Engine, state: &Shared) {
    let s = state.clone();
    engine.register_fn("decisions", move |policy: &str| -> RhaiResult<Array> {
        let state = s.borrow();
        if !state.reads.iter().any(|r| r == policy) {
            return fail(format!(
                "policy `{}` reads the decisions of `{policy}` but does not list it in `READS`",
                state.policy
            ));
        }
        let Some(done) = state.done.get(policy) else {
            return fail(format!("no decisions of policy `{policy}` are available"));
        };
        Ok(done.iter().map(decision_to_dynamic).collect())
    });
}

fn decision_to_dynamic(d: &Decision) -> Dynamic {
    let mut map = Map::new();
    map.insert("policy".into(), d.policy.clone().into());
    map.insert("subject".into(), d.subject.clone().into());
    map.insert("outcome".into(), d.outcome.clone().into());
    map.insert("severity".into(), d.severity.as_str().into());
    let values: Map = d
        .values
        .iter()
        .map(|(k, v)| (k.as_str().into(), from_json(v)))
        .collect();
    map.insert("values".into(), Dynamic::from_map(values));
    Dynamic::from_map(map)
}
