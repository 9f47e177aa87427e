//! The argument sets commands share: `--format` and `--out` (each command with its own
//! formats and default), and the policy folder `--policies` with its default.

use std::process::{Command, Output};

use crate::support::{self, bursar};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `bursar` in `dir`, for what depends on the current folder.
fn bursar_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the bursar binary runs")
}

#[test]
fn a_missing_default_policy_folder_says_that_policies_sets_it() {
    let empty = tempfile::tempdir().unwrap();
    let example = support::root().join(support::example());
    let example = example.to_str().unwrap();
    for args in [vec!["check"], vec!["eval", "-q", "--snapshot", example]] {
        let out = bursar_in(empty.path(), &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("error: cannot read `policies`"),
            "{args:?}: {err}"
        );
        assert!(err.contains("--policies"), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    // A folder the user named is the user's: no word about the default.
    let out = bursar_in(empty.path(), &["check", "--policies", "policies"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: cannot read `policies`: "), "{err}");
    assert!(!err.contains("--policies"), "{err}");
}

#[test]
fn each_command_has_its_own_default_format() {
    let eval = bursar(&[
        "eval",
        "-q",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(eval.status.code(), Some(0), "{}", stderr(&eval));
    assert!(eval.stdout.starts_with(b"{\n"), "eval writes json");

    let impact = bursar(&[
        "impact",
        "-q",
        "--policies",
        "policies",
        "--against",
        "policies",
        "examples/sprint-2026-S24.json",
    ]);
    assert_eq!(impact.status.code(), Some(0), "{}", stderr(&impact));
    assert!(
        impact.stdout.starts_with(b"new pack `policies`"),
        "impact writes text"
    );

    let check = bursar(&["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(check.stdout.starts_with(b"policies: 6 policies compiled"));
}

#[test]
fn a_format_a_command_does_not_write_is_refused_naming_those_it_does() {
    let out = bursar(&["check", "--format", "sarif"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("[possible values: text, json]"), "{err}");
    assert!(out.stdout.is_empty());
    for (command, values) in [
        ("eval", "json, text, junit, sarif, github, markdown"),
        ("impact", "text, json"),
    ] {
        let help = bursar(&[command, "--help"]);
        let text = String::from_utf8_lossy(&help.stdout);
        assert!(
            text.contains(&format!("[possible values: {values}]")),
            "{text}"
        );
    }
}

#[test]
fn check_writes_out_like_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pack.txt");
    let out = bursar(&["check", "--out", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let listed = bursar(&["check"]).stdout;
    assert_eq!(std::fs::read(&file).unwrap(), listed);
}
