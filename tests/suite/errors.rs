//! Broken inputs end with exit 2 and a message naming the place: every snapshot problem
//! with its JSON Pointer, every policy error with file:line:col. Messages are pinned.

use std::path::Path;

use crate::support::{self, bursar};

fn check_failure(out: &std::process::Output, what: &Path) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{}: {stderr}", what.display());
    assert!(!stderr.contains("panicked"), "{}: {stderr}", what.display());
    assert!(out.stdout.is_empty(), "{}: wrote to stdout", what.display());
    stderr
}

#[test]
fn broken_snapshots_are_refused_with_every_problem_located() {
    for file in support::files(Path::new("tests/errors/snapshots"), "json") {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let relative = format!("tests/errors/snapshots/{name}.json");
        let out = bursar(&["validate", &relative]);
        let stderr = check_failure(&out, &file);
        // `eval` refuses the same way, before running any policy.
        let eval = bursar(&["eval", "--snapshot", &relative]);
        assert_eq!(check_failure(&eval, &file), stderr);
        insta::assert_snapshot!(format!("snapshot_{name}"), stderr);
    }
}

#[test]
fn broken_policies_are_refused_with_file_and_line() {
    for pack in support::subdirs(Path::new("tests/errors/policies")) {
        let name = pack.file_name().unwrap().to_string_lossy().into_owned();
        let relative = format!("tests/errors/policies/{name}");
        let out = bursar(&[
            "eval",
            "--snapshot",
            "examples/sprint-2026-S24.json",
            "--policies",
            &relative,
            "--max-operations",
            "200000",
        ]);
        let stderr = check_failure(&out, &pack);
        insta::assert_snapshot!(format!("policy_{name}"), stderr);
    }
}
