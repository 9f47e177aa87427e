//! The error path under a memory budget (issue 18), through the command line: what only
//! the whole document shows still needs the tree, and the problem the streaming loader
//! did locate is given beside the budget. (That each located problem is the tree loader's,
//! word for word, is a unit test beside the loaders: `src/snapshot/tests/error_path.rs`.)

use serde_json::Value;

use crate::support;

/// What only the whole document shows (the same run id twice) still needs the tree: under
/// the budget, the problem the streaming loader did locate is given beside the budget.
#[test]
fn a_problem_beside_a_repeated_id_is_still_located_under_a_memory_budget() {
    let out = support::bursar(&["gen", "--runs", "2000", "--seed", "9"]);
    let mut doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = doc["runs"][3]["id"].clone();
    doc["runs"][1500]["id"] = id;
    doc["runs"][1500]["pool"] = serde_json::json!("everywhere");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.json");
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(["validate", path.to_str().unwrap()])
        .env("BURSAR_MAX_MEMORY_MB", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/runs/1500/pool: `\"everywhere\"` is not one of"),
        "{err}"
    );
    assert!(
        err.contains("the first problem found; the others cannot be listed"),
        "{err}"
    );
}
