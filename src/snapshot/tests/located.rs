//! The streaming loader locates a bad record itself (issue 18): one misspelled field in
//! one run of a million is refused in about the time and memory of a valid file, with the
//! tree loader's list of problems, word for word. The tree loader stays the oracle: each
//! verdict the streaming loader gives alone is the one the tree loader gives.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::render::diagnostic::render;
use crate::snapshot::{parse_tree, stream_verdict};

use super::groups::{GROUP_FIELDS, grouped, odd_group_value};
use super::loader::{RUN_FIELDS, base, edit, odd_value};

/// The streaming loader's refusal of `bytes`, checked to be the tree loader's, rendered.
/// Panics when the streaming loader hands the bytes on or accepts them.
fn located(bytes: &[u8]) -> String {
    let tree = parse_tree(bytes, "snapshot.json").expect_err("the tree loader refuses it");
    let fast = stream_verdict(bytes, "snapshot.json")
        .expect("the streaming loader judges it without the tree loader")
        .expect_err("the streaming loader refuses it");
    assert_eq!(render(&fast), render(&tree));
    render(&fast)
}

/// The base snapshot with `edit` applied to its second run, pretty-printed.
fn run_edited(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Vec<u8> {
    let mut doc = grouped();
    edit(doc["runs"][1].as_object_mut().unwrap());
    serde_json::to_vec_pretty(&doc).unwrap()
}

/// The grouped snapshot with `edit` applied to its third run group, pretty-printed.
fn group_edited(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Vec<u8> {
    let mut doc = grouped();
    edit(doc["run_groups"][2].as_object_mut().unwrap());
    serde_json::to_vec_pretty(&doc).unwrap()
}

fn rename(record: &mut serde_json::Map<String, Value>, from: &str, to: &str) {
    let value = record.remove(from).unwrap();
    record.insert(to.to_owned(), value);
}

#[test]
fn each_class_of_bad_run_is_located_by_the_streaming_loader() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            run_edited(|r| rename(r, "squad", "squadd")),
            "/runs/1: unknown field `squadd`",
        ),
        (
            run_edited(|r| {
                r.insert("input_tokens".into(), json!("12"));
            }),
            "/runs/1/input_tokens: expected integer, found `\"12\"`",
        ),
        (
            run_edited(|r| {
                r.remove("outcome");
            }),
            "/runs/1: missing required field `outcome`",
        ),
        (
            run_edited(|r| {
                r.insert("started_at".into(), json!("2026-02-30T10:00:00Z"));
            }),
            "/runs/1/started_at: `2026-02-30T10:00:00Z` is not an RFC 3339 date-time",
        ),
        (
            run_edited(|r| {
                r.insert("cost".into(), json!(-0.5));
            }),
            "/runs/1/cost: `-0.5` is below the minimum `0`",
        ),
        (
            run_edited(|r| {
                r.insert("output_tokens".into(), json!(-3));
            }),
            "/runs/1/output_tokens: `-3` is below the minimum `0`",
        ),
    ];
    for (bytes, expected) in cases {
        let message = located(&bytes);
        assert!(message.contains(expected), "{expected}\n{message}");
    }
}

#[test]
fn each_class_of_bad_run_group_is_located_by_the_streaming_loader() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            group_edited(|g| rename(g, "count", "cnt")),
            "/run_groups/2: unknown field `cnt`",
        ),
        (
            group_edited(|g| {
                g.insert("pool".into(), json!(1));
            }),
            "/run_groups/2/pool: `1` is not one of `central`, `exploration`",
        ),
        (
            group_edited(|g| {
                g.remove("first_run_id");
            }),
            "/run_groups/2: missing required field `first_run_id`",
        ),
        (
            group_edited(|g| {
                g.insert("first_started_at".into(), json!("2026-11-18"));
            }),
            "/run_groups/2/first_started_at: `\"2026-11-18\"` is not an RFC 3339 date-time",
        ),
        (
            group_edited(|g| {
                g.insert("cost_micros".into(), json!(-17));
            }),
            "/run_groups/2/cost_micros: `-17` is below the minimum `0`",
        ),
    ];
    for (bytes, expected) in cases {
        let message = located(&bytes);
        assert!(message.contains(expected), "{expected}\n{message}");
    }
}

/// A key written twice in a record, in the text (a tree keeps one of the two).
fn repeated_in(doc: &Value, array: &str, index: usize, key: &str, value: &str) -> Vec<u8> {
    let text = serde_json::to_string_pretty(doc).unwrap();
    let mut at = text.find(&format!("\"{array}\"")).unwrap();
    for _ in 0..=index {
        at += text[at..].find("{").unwrap() + 1;
    }
    let mut out = text.clone();
    out.insert_str(at, &format!("\n\"{key}\": {value},"));
    out.into_bytes()
}

#[test]
fn a_repeated_key_in_a_run_or_a_group_is_located_with_both_lines() {
    let message = located(&repeated_in(&grouped(), "runs", 2, "pool", "\"central\""));
    assert!(
        message.contains("/runs/2/pool: key `pool` appears twice"),
        "{message}"
    );
    assert!(message.contains("first at line"), "{message}");
    let message = located(&repeated_in(&grouped(), "run_groups", 1, "count", "1"));
    assert!(
        message.contains("/run_groups/1/count: key `count` appears twice"),
        "{message}"
    );
}

/// A pretty-printed snapshot of `runs` generated runs (as `bursar gen --seed 3` writes
/// it): several of the streaming loader's windows, so a place is counted across the bytes
/// it has let go of.
fn generated(runs: usize) -> Value {
    let options = crate::synthetic::Options {
        runs: runs as u64,
        seed: 3,
        ..crate::synthetic::Options::default()
    };
    serde_json::from_slice(&crate::synthetic::generate(&options).unwrap()).unwrap()
}

#[test]
fn places_are_counted_across_the_windows_of_a_large_file() {
    let doc = generated(12_000);
    // Past the first megabyte of a pretty-printed file: lines of windows let go of.
    let bytes = repeated_in(&doc, "runs", 9_000, "id", "\"é-1\"");
    assert!(bytes.len() > 3 << 20, "{} bytes", bytes.len());
    let message = located(&bytes);
    assert!(
        message.contains("/runs/9000/id: key `id` appears twice"),
        "{message}"
    );
    // And on one line: the column counts characters across windows.
    let mut compact = serde_json::to_string(&doc).unwrap();
    let at = compact.find("\"runs\"").unwrap();
    let at = at + compact[at..].find("{\"").unwrap() + 1;
    compact.insert_str(at, "\"pool\": \"ü\",");
    let message = located(compact.as_bytes());
    assert!(
        message.contains("/runs/0/pool: key `pool` appears twice"),
        "{message}"
    );
    // Far along the same line, after the multi-byte character: every window's characters
    // are counted, not its bytes.
    let at = compact.rfind("\"started_at\"").unwrap();
    compact.insert_str(at, "\"cost\": 1,");
    let message = located(compact.as_bytes());
    assert!(
        message.contains("/runs/0/pool: key `pool` appears twice"),
        "{message}"
    );
    assert!(
        message.contains("/runs/11999/cost: key `cost` appears twice"),
        "{message}"
    );
}

#[test]
fn problems_in_other_sections_and_unknown_squads_are_listed_beside_the_records() {
    let mut doc = grouped();
    doc["runs"][0]["cost"] = json!("free");
    doc["runs"][2]["squad"] = json!("ghost");
    doc["runs"][2]["pool"] = json!("everywhere");
    doc["squads"][0]["headcount"] = json!(-1);
    doc["run_groups"][0]["count"] = json!(0);
    let message = located(&serde_json::to_vec(&doc).unwrap());
    for expected in [
        "/runs/0/cost",
        "/runs/2/squad: unknown squad `ghost`",
        "/runs/2/pool",
        "/squads/0/headcount",
        "/run_groups/0/count",
    ] {
        assert!(message.contains(expected), "{expected}\n{message}");
    }
}

/// Whatever the streaming loader decides alone is what the tree loader decides.
fn agrees(bytes: &[u8]) -> Result<(), TestCaseError> {
    let tree = parse_tree(bytes, "s");
    match (stream_verdict(bytes, "s"), tree) {
        (None, _) => {}
        (Some(Ok(_)), Ok(_)) => {}
        (Some(Err(fast)), Err(tree)) => prop_assert_eq!(render(&fast), render(&tree)),
        (Some(fast), tree) => prop_assert!(
            false,
            "streaming said {:?}, the tree {:?}",
            fast.map(|_| ()).map_err(|e| render(&e)),
            tree.map(|_| ()).map_err(|e| render(&e))
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_streaming_verdict_on_edited_runs_is_the_tree_loaders(
        edits in prop::collection::vec((0..3usize, 0..RUN_FIELDS.len(), prop::option::of(odd_value())), 1..5),
    ) {
        let mut doc = base();
        edit(&mut doc, "runs", &RUN_FIELDS, edits);
        agrees(&serde_json::to_vec_pretty(&doc).unwrap())?;
    }

    #[test]
    fn the_streaming_verdict_on_edited_groups_is_the_tree_loaders(
        edits in prop::collection::vec((0..3usize, 0..GROUP_FIELDS.len(), prop::option::of(odd_group_value())), 1..5),
        whole in prop::option::of(odd_value()),
    ) {
        let mut doc = grouped();
        edit(&mut doc, "run_groups", &GROUP_FIELDS, edits);
        // Sometimes a record that is not an object at all.
        if let Some(v) = whole {
            doc["run_groups"][1] = v;
        }
        agrees(&serde_json::to_vec(&doc).unwrap())?;
    }

    #[test]
    fn the_streaming_verdict_on_damaged_bytes_is_the_tree_loaders(
        at in any::<usize>(),
        insert in prop::sample::select(vec![
            "\"pool\": \"central\",", "\"id\": \"r-1\",", "\"x\": 1,", "\"count\": 2,", "{", "1,",
            "\"squad\": \"ghost\",", "\u{e9}", "\n",
        ]),
    ) {
        let text = serde_json::to_string_pretty(&grouped()).unwrap();
        let mut at = at % text.len();
        while !text.is_char_boundary(at) { at -= 1; }
        let mut damaged = text.clone();
        damaged.insert_str(at, insert);
        agrees(damaged.as_bytes())?;
    }
}

/// A value nested near serde's depth limit inside a bad run: the limit counts from the
/// document's root, so the tree loader may call it a syntax error where the record alone
/// parses; the streaming loader must not give a verdict of its own then.
#[test]
fn a_deeply_nested_value_in_a_bad_run_is_left_to_the_tree_loader() {
    for levels in [60, 125, 126, 127] {
        let mut doc = grouped();
        let mut nested = json!(1);
        for _ in 0..levels {
            nested = json!([nested]);
        }
        doc["runs"][1]["cost"] = nested;
        let bytes = serde_json::to_vec(&doc).unwrap();
        agrees(&bytes).unwrap();
    }
}
