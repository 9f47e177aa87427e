//! The streaming loader and the complete (tree) loader agree: every snapshot the fast
//! path accepts, the schema and the handbook's rules accept too, with the same result;
//! everything broken is left to the complete path, which reports it.

use std::path::Path;

use proptest::prelude::*;
use serde_json::{json, Value};

use bursar::host::Host;
use bursar::limits::Limits;
use bursar::snapshot::{parse_streaming, parse_tree, Loaded};

use crate::support;

fn decisions_json(loaded: Loaded) -> String {
    let (host, pack) = Host::open(Path::new("policies"), Limits::default()).unwrap();
    bursar::eval::evaluate_loaded(&host, &pack, loaded)
        .expect("evaluation succeeds")
        .document
        .to_json()
}

fn valid_fixtures() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = support::subdirs(Path::new("tests/cases"))
        .into_iter()
        .map(|d| d.join("snapshot.json"))
        .collect();
    files.push(support::root().join(support::example()));
    files
}

#[test]
fn both_paths_accept_every_valid_fixture_with_the_same_decisions() {
    for file in valid_fixtures() {
        let bytes = std::fs::read(&file).unwrap();
        let fast = parse_streaming(&bytes)
            .unwrap_or_else(|| panic!("{}: streaming refused it", file.display()));
        let tree = parse_tree(&bytes, "tree").unwrap();
        assert_eq!(fast.sha256, tree.sha256, "{}", file.display());
        assert_eq!(
            decisions_json(fast),
            decisions_json(tree),
            "{}",
            file.display()
        );
    }
}

#[test]
fn streaming_leaves_every_broken_fixture_to_the_complete_path() {
    for file in support::files(Path::new("tests/errors/snapshots"), "json") {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            parse_streaming(&bytes).is_none(),
            "{}: streaming accepted it",
            file.display()
        );
        assert!(parse_tree(&bytes, "tree").is_err(), "{}", file.display());
    }
}

#[test]
fn a_byte_order_mark_is_accepted_and_still_digested() {
    let plain = std::fs::read(support::root().join(support::example())).unwrap();
    let mut marked = b"\xEF\xBB\xBF".to_vec();
    marked.extend_from_slice(&plain);
    let a = bursar::snapshot::parse(&plain, "plain").unwrap();
    let b = bursar::snapshot::parse(&marked, "marked").unwrap();
    assert_ne!(a.sha256, b.sha256);
    assert_eq!(a.snapshot.runs.len(), b.snapshot.runs.len());
    assert!(parse_streaming(&marked).is_some());
}

fn base() -> Value {
    json!({
        "schema_version": 1,
        "sprint": {"id": "S1", "start": "2026-11-16", "end": "2026-11-29"},
        "squads": [{"id": "payments", "headcount": 7}, {"id": "platform", "headcount": 3}],
        "budgets": {"central_tokens": 1000, "exploration": [{"squad": "payments", "baseline_tokens": 2000000}]},
        "topups": [{"id": "tu-1", "squad": "platform", "tokens": 5, "status": "granted", "reason": null, "justification": "x", "approved_by": "ann"}],
        "catalog": [{"workflow": "w", "variant": "A", "status": "standard"}],
        "runs": [
            {"id": "r-1", "squad": "payments", "workflow": "w", "variant": "B", "pool": "exploration", "input_tokens": 10, "output_tokens": 5, "cost": 0.25, "outcome": "success", "started_at": "2026-11-17T10:00:00Z"},
            {"id": "r-2", "squad": "platform", "workflow": null, "variant": null, "pool": "central", "input_tokens": 3, "output_tokens": 1, "cost": 0, "outcome": "failure", "started_at": "2026-11-17T12:00:00+02:00"},
            {"id": "r-3", "squad": "platform", "workflow": "w", "variant": "A", "pool": "central", "input_tokens": 7, "output_tokens": 2, "cost": 1.5, "outcome": "abandoned", "started_at": "2026-11-18T09:30:00.25Z"}
        ]
    })
}

fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1.5)),
        Just(json!(1.0)),
        Just(json!(1e20)),
        Just(json!(18446744073709551615u64)),
        Just(json!("")),
        Just(json!("a/b")),
        Just(json!("x@y")),
        Just(json!("r-1")),
        Just(json!("ghost")),
        Just(json!("payments")),
        Just(json!("exploration")),
        Just(json!("success")),
        Just(json!("2026-02-30T10:00:00Z")),
        Just(json!("2026-11-17T10:00:00")),
        Just(json!([])),
        Just(json!({})),
        Just(json!(true)),
    ]
}

const RUN_FIELDS: [&str; 11] = [
    "id",
    "squad",
    "workflow",
    "variant",
    "pool",
    "input_tokens",
    "output_tokens",
    "cost",
    "outcome",
    "started_at",
    "extra",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn streaming_never_accepts_what_the_schema_and_rules_refuse(
        edits in prop::collection::vec((0..3usize, 0..RUN_FIELDS.len(), prop::option::of(odd_value())), 1..4),
    ) {
        let mut doc = base();
        for (run, field, value) in edits {
            let record = doc["runs"][run].as_object_mut().unwrap();
            match value {
                Some(v) => { record.insert(RUN_FIELDS[field].to_owned(), v); }
                None => { record.remove(RUN_FIELDS[field]); }
            }
        }
        let bytes = serde_json::to_vec(&doc).unwrap();
        let tree = parse_tree(&bytes, "tree");
        match parse_streaming(&bytes) {
            Some(fast) => {
                let tree = tree.expect("the complete path accepts what streaming accepts");
                prop_assert_eq!(decisions_json(fast), decisions_json(tree));
            }
            // Refusing more is allowed (the complete path then judges); but the public
            // entry point must agree with the complete path either way.
            None => prop_assert_eq!(
                bursar::snapshot::parse(&bytes, "x").is_ok(),
                tree.is_ok()
            ),
        }
    }
}

#[derive(Debug, Clone)]
enum ByteEdit {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        any::<usize>().prop_map(ByteEdit::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Flip(i, b)),
        (
            any::<usize>(),
            prop::sample::select(b"{}[],:\"\\0123456789-.eE ntfu\xff\xc3".to_vec())
        )
            .prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        (any::<usize>(), 1..40usize).prop_map(|(i, n)| ByteEdit::Delete(i, n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Random damage to the bytes of a valid snapshot: the loader accepts or refuses
    /// cleanly (never panics), both paths agree, and what it accepts evaluates.
    #[test]
    fn damaged_bytes_are_accepted_or_refused_cleanly(edits in prop::collection::vec(byte_edit(), 1..4)) {
        let mut bytes = serde_json::to_vec_pretty(&base()).unwrap();
        for edit in edits {
            let n = bytes.len().max(1);
            match edit {
                ByteEdit::Truncate(i) => bytes.truncate(i % n),
                ByteEdit::Flip(i, b) => { if !bytes.is_empty() { bytes[i % n] = b; } }
                ByteEdit::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
                ByteEdit::Delete(i, k) => { let i = i % n; let j = (i + k).min(bytes.len()); bytes.drain(i.min(j)..j); }
            }
        }
        let tree = parse_tree(&bytes, "tree");
        let public = bursar::snapshot::parse(&bytes, "damaged");
        prop_assert_eq!(public.is_ok(), tree.is_ok());
        if let Some(fast) = parse_streaming(&bytes) {
            prop_assert!(tree.is_ok(), "streaming accepted what the complete path refuses");
            decisions_json(fast);
        }
        if let Err(e) = public {
            let rendered = bursar::diagnostic::render(&e);
            prop_assert!(rendered.starts_with("damaged"), "{}", rendered);
        }
    }
}
