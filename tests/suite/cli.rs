//! The command line: exit codes, output formats, and never a partial `--out` file.

use crate::support::{self, bursar};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn validate_accepts_the_example() {
    let out = bursar(&["validate", "examples/sprint-2026-S24.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("valid snapshot"));
}

/// Exit codes per `--fail-on`, on snapshots whose worst decision is known from the
/// handbook (stated, not read off the output under test): the example has `deny`
/// decisions (an informal top-up, a squad without a baseline), `health-attention-gini`
/// only `warn` (health `attention`), `health-healthy` only `info`.
#[test]
fn fail_on_maps_severities_to_exit_codes() {
    let code = |snapshot: &str, fail_on: &str| {
        bursar(&[
            "eval",
            "--snapshot",
            snapshot,
            "--fail-on",
            fail_on,
            "--quiet",
        ])
        .status
        .code()
    };
    let deny = "examples/sprint-2026-S24.json";
    let warn = support::case_snapshot("health-attention-gini");
    let warn = warn.to_str().unwrap();
    let info = support::case_snapshot("health-healthy");
    let info = info.to_str().unwrap();
    let table = [
        (deny, "never", 0),
        (deny, "warn", 1),
        (deny, "deny", 1),
        (warn, "never", 0),
        (warn, "warn", 1),
        (warn, "deny", 0),
        (info, "never", 0),
        (info, "warn", 0),
        (info, "deny", 0),
    ];
    for (snapshot, fail_on, expected) in table {
        assert_eq!(
            code(snapshot, fail_on),
            Some(expected),
            "{snapshot} with --fail-on {fail_on}"
        );
    }
    // The default is `--fail-on deny`.
    let default = |snapshot: &str| {
        bursar(&["eval", "--snapshot", snapshot, "-q"])
            .status
            .code()
    };
    assert_eq!(default(deny), Some(1));
    assert_eq!(default(warn), Some(0));
}

#[test]
fn text_format_groups_decisions_by_policy() {
    let out = bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--format",
        "text",
        "--fail-on",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("example_text", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn out_is_written_whole_and_not_at_all_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("decisions.json");
    let out_arg = out_file.to_str().unwrap();
    let ok = bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--out",
        out_arg,
        "--fail-on",
        "never",
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert!(ok.stdout.is_empty());
    assert!(written.ends_with("}\n"));

    let bad = bursar(&[
        "eval",
        "--snapshot",
        "tests/errors/snapshots/unknown-squad.json",
        "--out",
        out_arg,
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        written,
        "previous file untouched"
    );

    let fresh = dir.path().join("fresh.json");
    let bad = bursar(&[
        "eval",
        "--snapshot",
        "tests/errors/snapshots/unknown-squad.json",
        "--out",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(!fresh.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
}

#[test]
fn command_line_mistakes_exit_2() {
    assert_eq!(bursar(&["eval"]).status.code(), Some(2));
    assert_eq!(
        bursar(&["eval", "--snapshot", "no-such-file.json"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(bursar(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn snapshots_too_large_for_memory_are_refused_clearly() {
    let run = |file: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_bursar"))
            .args(["validate", file])
            .env("BURSAR_MAX_MEMORY_MB", "0")
            .current_dir(support::root())
            .output()
            .unwrap()
    };
    let out = run("examples/sprint-2026-S24.json");
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr(&out);
    assert!(stderr.contains("is too large to load"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn check_lists_the_pack_in_evaluation_order() {
    let out = bursar(&["check", "--policies", "policies"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    insta::assert_snapshot!("check_default_pack", String::from_utf8_lossy(&out.stdout));
}
