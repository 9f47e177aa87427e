//! Run groups on both loaders: the streaming loader reads `run_groups` one group at a
//! time, as it reads runs, and must agree with the tree loader (the oracle) on every
//! snapshot: the same decisions when both accept, a refusal left to the tree loader when
//! it refuses, and no valid grouped snapshot left to the slow path.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::snapshot::{parse_streaming, parse_tree};

use super::loader::{base, decisions_json, edit, located_problems, odd_value};

/// The loaders' base snapshot with three run groups beside its runs.
pub fn grouped() -> Value {
    let mut doc = base();
    doc["run_groups"] = json!([
        {"squad": "payments", "workflow": "w", "variant": "B", "pool": "exploration", "outcome": "success", "count": 4, "input_tokens": 400, "output_tokens": 40, "cost_micros": 1250000, "first_started_at": "2026-11-16T08:00:00Z", "first_run_id": "g-1"},
        {"squad": "platform", "workflow": null, "variant": null, "pool": "central", "outcome": "failure", "count": 1, "input_tokens": 3, "output_tokens": 0, "cost_micros": 0, "first_started_at": "2026-11-17T09:00:00+01:00", "first_run_id": "g-2"},
        {"squad": "payments", "workflow": "w", "variant": "A", "pool": "central", "outcome": "abandoned", "count": 2, "input_tokens": 7, "output_tokens": 9, "cost_micros": 17, "first_started_at": "2026-11-18T23:59:60Z", "first_run_id": "g-3"}
    ]);
    doc
}

pub const GROUP_FIELDS: [&str; 12] = [
    "squad",
    "workflow",
    "variant",
    "pool",
    "outcome",
    "count",
    "input_tokens",
    "output_tokens",
    "cost_micros",
    "first_started_at",
    "first_run_id",
    "extra",
];

/// Values that are odd for a group: those odd for a run, and those that make two groups
/// one (another group's key, first run id or a run's id).
pub fn odd_group_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => odd_value(),
        1 => Just(json!("g-1")),
        1 => Just(json!("r-2")),
        1 => Just(json!("w")),
        1 => Just(json!("B")),
        1 => Just(json!("central")),
        1 => Just(json!("failure")),
        1 => Just(json!(9223372036854775807u64)),
        1 => Just(json!(9223372036854775808u64)),
        1 => Just(json!("2026-11-17T12:00:60Z")),
    ]
}

#[test]
fn a_valid_grouped_snapshot_is_streamed_with_the_tree_loaders_decisions() {
    let bytes = serde_json::to_vec_pretty(&grouped()).unwrap();
    let fast = parse_streaming(&bytes).expect("the streaming loader reads run groups");
    let tree = parse_tree(&bytes, "tree").unwrap();
    assert_eq!(fast.snapshot.run_groups.len(), 3);
    let leap = &fast.snapshot.run_groups[2];
    assert_eq!(
        leap.first_started,
        tree.snapshot.run_groups[2].first_started
    );
    assert_eq!(decisions_json(fast), decisions_json(tree));
}

#[test]
fn a_generated_warehouse_snapshot_is_streamed_with_the_same_decisions() {
    let options = crate::GenerateOptions {
        runs: 20_000,
        squads: 40,
        groups: true,
        ..crate::GenerateOptions::default()
    };
    let bytes = crate::generate(&options).unwrap();
    let fast = parse_streaming(&bytes).expect("the streaming loader reads run groups");
    let tree = parse_tree(&bytes, "tree").unwrap();
    assert!(fast.snapshot.run_groups.len() > 1_000);
    assert_eq!(
        fast.snapshot.run_groups.len(),
        tree.snapshot.run_groups.len()
    );
    assert_eq!(decisions_json(fast), decisions_json(tree));
}

/// One way to break a grouped snapshot.
type Break = Box<dyn Fn(&mut Value)>;

/// Each rule the handbook has for run groups, broken once: both loaders refuse it, the
/// tree loader at the group.
#[test]
fn each_run_group_rule_is_kept_by_the_streaming_loader() {
    let same_key_as_first = |doc: &mut Value| {
        let mut copy = doc["run_groups"][0].clone();
        copy["first_run_id"] = json!("g-9");
        doc["run_groups"].as_array_mut().unwrap().push(copy);
    };
    let breaks: [(&str, Break); 8] = [
        ("/run_groups/3", Box::new(same_key_as_first)),
        (
            "/run_groups/1/first_run_id",
            Box::new(|d| d["run_groups"][1]["first_run_id"] = json!("g-1")),
        ),
        (
            "/run_groups/1/first_run_id",
            Box::new(|d| d["run_groups"][1]["first_run_id"] = json!("r-2")),
        ),
        (
            "/run_groups/0/squad",
            Box::new(|d| d["run_groups"][0]["squad"] = json!("ghost")),
        ),
        (
            "/run_groups/0/count",
            Box::new(|d| d["run_groups"][0]["count"] = json!(0)),
        ),
        (
            "/run_groups/0/cost_micros",
            Box::new(|d| d["run_groups"][0]["cost_micros"] = json!(-1)),
        ),
        (
            "/run_groups/0",
            Box::new(|d| d["run_groups"][0]["variant"] = json!(null)),
        ),
        (
            "/run_groups/2/first_started_at",
            Box::new(|d| d["run_groups"][2]["first_started_at"] = json!("2026-11-18T12:59:60Z")),
        ),
    ];
    for (pointer, break_it) in breaks {
        let mut doc = grouped();
        break_it(&mut doc);
        let bytes = serde_json::to_vec(&doc).unwrap();
        assert!(
            parse_streaming(&bytes).is_none(),
            "streaming accepted {pointer}"
        );
        let e = parse_tree(&bytes, "tree")
            .err()
            .unwrap_or_else(|| panic!("{pointer}"));
        let problems = located_problems(&e, &bytes);
        assert!(
            problems.iter().any(|p| p.pointer == pointer),
            "{pointer}: {problems:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn streaming_never_accepts_run_groups_the_schema_and_rules_refuse(
        edits in prop::collection::vec((0..3usize, 0..GROUP_FIELDS.len(), prop::option::of(odd_group_value())), 1..4),
    ) {
        let mut doc = grouped();
        edit(&mut doc, "run_groups", &GROUP_FIELDS, edits);
        let bytes = serde_json::to_vec(&doc).unwrap();
        let fast = parse_streaming(&bytes);
        match parse_tree(&bytes, "tree") {
            Ok(tree) => {
                let fast = fast.expect("a valid grouped snapshot is left to the slow path");
                prop_assert_eq!(decisions_json(fast), decisions_json(tree));
            }
            Err(e) => {
                prop_assert!(fast.is_none(), "streaming accepted what the tree loader refuses: {}", crate::render_error(&e));
                // Only groups were edited; a repeat is reported on the later group, which
                // may be one left as it was.
                for p in located_problems(&e, &bytes) {
                    prop_assert!(p.pointer.starts_with("/run_groups/"), "{} is outside the groups", p);
                }
            }
        }
    }
}

#[test]
fn a_key_repeated_in_a_run_group_is_refused_by_both_loaders() {
    let text = serde_json::to_string(&grouped()).unwrap();
    let bytes = text
        .replacen("\"count\":4,", "\"count\":4,\"count\":5,", 1)
        .into_bytes();
    assert_ne!(bytes, text.as_bytes());
    assert!(
        parse_streaming(&bytes).is_none(),
        "streaming took one reading"
    );
    let e = parse_tree(&bytes, "tree").expect_err("the tree loader refuses it");
    let problems = located_problems(&e, &bytes);
    assert_eq!(problems[0].pointer, "/run_groups/0/count", "{problems:?}");
}
