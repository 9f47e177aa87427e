//! The error path under a memory budget (issue 18): a snapshot too large to list every
//! problem in the memory available is still refused with the place of the first one,
//! not with the budget alone.

use serde_json::Value;

use crate::support;

/// A generated snapshot of 2,000 runs (about half a megabyte) with `edit` applied to
/// run 1,500, and `validate` run on it with a memory budget of 1 MiB: enough to stream
/// it, not for a tree of the whole document.
fn validate_under_budget(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let out = support::bursar(&["gen", "--runs", "2000", "--seed", "9"]);
    assert_eq!(out.status.code(), Some(0));
    let mut doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    edit(doc["runs"][1500].as_object_mut().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.json");
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(["validate", path.to_str().unwrap()])
        .env("BURSAR_MAX_MEMORY_MB", "1")
        .current_dir(support::root())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(err.contains("1.0 MB are available"), "{err}");
    err
}

#[test]
fn a_misspelled_field_is_located_under_a_memory_budget() {
    let err = validate_under_budget(|run| {
        let squad = run.remove("squad").unwrap();
        run.insert("squadd".into(), squad);
    });
    assert!(
        err.contains("/runs/1500/squadd: unknown field `squadd`"),
        "{err}"
    );
}

#[test]
fn a_wrong_type_is_located_under_a_memory_budget() {
    let err = validate_under_budget(|run| {
        run.insert("input_tokens".into(), serde_json::json!(1.5));
    });
    assert!(
        err.contains("/runs/1500/input_tokens: invalid type: the number `1.5`"),
        "{err}"
    );
    assert!(!err.contains("u64"), "{err}");
}
