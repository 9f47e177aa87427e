//! `--error-format json` (issue 18): every error, from the argument parser to the last
//! line a command writes, is a JSON object on a line of its own, nothing in plain text.

use serde_json::Value;

use crate::support::bursar;

/// Every line of stderr, each a JSON object with a severity and a message.
fn json_lines(args: &[&str]) -> Vec<Value> {
    let out = bursar(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(1 | 2)),
        "{args:?} exited {:?}: {err}",
        out.status.code()
    );
    assert!(!err.trim().is_empty(), "{args:?}: nothing on stderr");
    err.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{args:?}: not a JSON line ({e}): {line:?}\n{err}"));
            assert!(value["message"].is_string(), "{args:?}: {line}");
            assert!(value["severity"].is_string(), "{args:?}: {line}");
            value
        })
        .collect()
}

/// Each kind of error: the argument parser's (unknown flag, bad value, missing value,
/// missing subcommand, conflicting flags, the flag itself given as `--error-format=json`
/// or after the subcommand), a bad option, an unreadable file, an invalid snapshot, a
/// broken policy, a policy failing while `trends` evaluates one of many sprints.
#[test]
fn every_error_kind_is_json_lines() {
    let cases: &[&[&str]] = &[
        &["--error-format", "json", "eval", "--frobnicate"],
        &[
            "eval",
            "--snapshot",
            "x.json",
            "--format",
            "yaml",
            "--error-format",
            "json",
        ],
        &["--error-format=json", "eval", "--snapshot"],
        &["--error-format", "json"],
        &["--error-format", "json", "frobnicate"],
        &["--error-format", "json", "gen", "--runs", "-1"],
        &[
            "--error-format",
            "json",
            "gen",
            "--out",
            "a",
            "--sprints",
            "2",
            "--out-dir",
            "b",
        ],
        &["--error-format", "json", "gen", "--runs", "10000000000000"],
        &["--error-format", "json", "validate", "no/such/file.json"],
        &[
            "--error-format",
            "json",
            "validate",
            "tests/errors/snapshots/wrong-types.json",
        ],
        &[
            "--error-format",
            "json",
            "eval",
            "--snapshot",
            "examples/sprint-2026-S24.json",
            "--policies",
            "tests/errors/policies/syntax-error",
        ],
        &[
            "--error-format",
            "json",
            "trends",
            "examples/sprint-2026-S24.json",
            "--policies",
            "tests/errors/policies/runtime-error",
        ],
    ];
    for args in cases {
        json_lines(args);
    }
}

/// Help and the version are what was asked for, not errors: written as usual, exit 0.
#[test]
fn help_is_not_an_error() {
    let out = bursar(&["--error-format", "json", "eval", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
}

/// The snapshot `trends` was evaluating when a policy failed is the error's context, in
/// the object, not a plain line before it.
#[test]
fn trends_names_the_snapshot_inside_the_json() {
    let lines = json_lines(&[
        "--error-format",
        "json",
        "trends",
        "examples/sprint-2026-S24.json",
        "--policies",
        "tests/errors/policies/runtime-error",
    ]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(
        lines[0]["context"][0],
        "while evaluating `examples/sprint-2026-S24.json`"
    );
}
