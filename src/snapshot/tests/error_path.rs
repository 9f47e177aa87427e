//! The error path under a memory budget (issue 18): a snapshot too large for a tree of
//! the whole document in the memory available is still refused with every problem at
//! its pointer, in the tree loader's words: the streaming loader locates a bad record
//! itself, so the budget is never the message. (The command line's side, the budget read
//! from `BURSAR_MAX_MEMORY_MB`, is the suite's `error_path`.)

use serde_json::Value;

use crate::render::diagnostic::render;
use crate::snapshot::{LoadOptions, Source, load_from, parse_tree};

/// A generated snapshot of 2,000 runs (about half a megabyte, `--groups` for run groups)
/// with `edit` applied to record 1,500 of `array` (or the last one, if fewer), loaded as
/// `validate` loads it with a memory budget of 1 MiB (`BURSAR_MAX_MEMORY_MB=1`): enough to
/// stream it, not for a tree of the whole document. Returns the error rendered, and the
/// tree loader's verdict on the same bytes.
fn validate_under_budget(
    groups: bool,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> (String, String) {
    let options = crate::synthetic::Options {
        runs: 2000,
        seed: 9,
        groups,
        ..crate::synthetic::Options::default()
    };
    let mut doc: Value =
        serde_json::from_slice(&crate::synthetic::generate(&options).unwrap()).unwrap();
    let array = if groups { "run_groups" } else { "runs" };
    let records = doc[array].as_array_mut().unwrap();
    let last = records.len() - 1;
    edit(records[last.min(1500)].as_object_mut().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.json");
    let mut bytes = serde_json::to_vec(&doc).unwrap();
    // Whitespace after the document, so a tree of it cannot fit 1 MiB (8 bytes a byte)
    // however few records `gen` wrote, while streaming it does (under 1 byte a byte).
    bytes.resize(bytes.len().max(256 << 10), b'\n');
    std::fs::write(&path, &bytes).unwrap();
    let budget = LoadOptions {
        available_memory: Some(1 << 20),
        ..LoadOptions::default()
    };
    let refused = load_from(&Source::from(path.as_path()), &budget, &mut |_, _| {})
        .expect_err("the snapshot is refused");
    let err = render(&refused);
    // Not the budget: the streaming loader's own verdict, which needs no tree.
    assert!(!err.contains("available"), "{err}");
    assert!(!err.contains("cannot be listed"), "{err}");
    let origin = path.to_str().unwrap();
    let tree = parse_tree(&bytes, origin).expect_err("the tree refuses it");
    (err, render(&tree))
}

#[test]
fn a_misspelled_field_is_located_under_a_memory_budget() {
    let (err, tree) = validate_under_budget(false, |run| {
        let squad = run.remove("squad").unwrap();
        run.insert("squadd".into(), squad);
    });
    assert!(err.contains("/runs/1500: unknown field `squadd`"), "{err}");
    assert!(
        err.contains("/runs/1500: missing required field `squad`"),
        "{err}"
    );
    assert!(err.contains(&tree), "{err}\n{tree}");
}

#[test]
fn a_wrong_type_is_located_under_a_memory_budget() {
    let (err, tree) = validate_under_budget(false, |run| {
        run.insert("input_tokens".into(), serde_json::json!(1.5));
    });
    assert!(
        err.contains("/runs/1500/input_tokens: expected integer, found `1.5`"),
        "{err}"
    );
    assert!(!err.contains("u64"), "{err}");
    assert!(err.contains(&tree), "{err}\n{tree}");
}

#[test]
fn a_bad_run_group_is_located_under_a_memory_budget() {
    let (err, tree) = validate_under_budget(true, |group| {
        group.insert(
            "first_started_at".into(),
            serde_json::json!("2026-11-31T00:00:00Z"),
        );
        group.remove("count");
    });
    assert!(
        err.contains("/first_started_at: `2026-11-31T00:00:00Z`"),
        "{err}"
    );
    assert!(err.contains(": missing required field `count`"), "{err}");
    assert!(err.contains(&tree), "{err}\n{tree}");
}
