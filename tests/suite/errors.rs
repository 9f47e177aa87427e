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

/// Extra command-line flags for a policy case, from its optional `args` file (the pack
/// loader reads only `*.rhai`, so the file can sit in the pack).
fn case_args(pack: &Path) -> Vec<String> {
    std::fs::read_to_string(pack.join("args"))
        .map(|text| text.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Runs `bursar` on a policy case with a memory budget of 256 MiB: the message pinned
/// for the memory case does not depend on the runner's `BURSAR_MAX_MEMORY_MB`, and
/// the case needs a quarter of the default budget.
fn bursar_on_case(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(args)
        .env("BURSAR_MAX_MEMORY_MB", "256")
        .current_dir(support::root())
        .output()
        .expect("the bursar binary runs")
}

/// Every hostile or mistaken pack ends in exit 2 with its pinned message, and nothing is
/// written to `--out`. None can hang or take long: each stops at a limit (a low
/// `--max-operations` unless the case sets its own), so no timing is asserted.
/// Packs whose mistake `eval` meets while running and `check` finds in the source.
const FOUND_BEFORE_RUNNING: &[&str] = &["runtime-error", "unknown-operator-absent"];

#[test]
fn broken_policies_are_refused_with_file_and_line() {
    for pack in support::subdirs(Path::new("tests/errors/policies")) {
        let name = pack.file_name().unwrap().to_string_lossy().into_owned();
        let relative = format!("tests/errors/policies/{name}");
        let mut flags = case_args(&pack);
        if !flags.iter().any(|f| f == "--max-operations") {
            flags.extend(["--max-operations".to_owned(), "200000".to_owned()]);
        }
        let dir = tempfile::tempdir().unwrap();
        let out_file = dir.path().join("decisions.json");
        let mut args = vec![
            "eval",
            "--snapshot",
            "examples/sprint-2026-S24.json",
            "--policies",
            &relative,
            "--out",
            out_file.to_str().unwrap(),
        ];
        args.extend(flags.iter().map(String::as_str));
        let out = bursar_on_case(&args);
        let stderr = check_failure(&out, &pack);
        assert!(!out_file.exists(), "{name}: wrote --out");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{name}: left a file behind"
        );
        if flags.iter().any(|f| f == "--timeout-ms") {
            // Which operation is running when time is up varies: pin the line, not the column.
            insta::with_settings!({filters => vec![
                (r"(\.rhai:\d+):\d+:", "$1:[column]:"),
                (r"\[(\d+):\d+\]", "[$1:[column]]"),
                (r"(?m)^( *:) *\^+$", "$1 [underline]"),
            ]}, {
                insta::assert_snapshot!(format!("policy_{name}"), stderr);
            });
        } else {
            insta::assert_snapshot!(format!("policy_{name}"), stderr);
        }

        // `check` compiles without running: what it refuses, it refuses as `eval` does.
        let mut args = vec!["check", "--policies", &relative];
        args.extend(flags.iter().map(String::as_str));
        let check = bursar_on_case(&args);
        match check.status.code() {
            Some(0) => assert!(
                String::from_utf8_lossy(&check.stdout).contains("compiled"),
                "{name}: check printed no policy list"
            ),
            Some(2) => assert_eq!(check_failure(&check, &pack), stderr, "{name}"),
            // A finding: the error `eval` gives at compile time, word for word, among the
            // findings; a mistake `eval` meets only while running is found before it.
            Some(1) => {
                let found = String::from_utf8_lossy(&check.stderr);
                let line = found.lines().last().unwrap_or_default();
                assert!(line.starts_with("check: "), "{name}: {found}");
                let before = FOUND_BEFORE_RUNNING.contains(&name.as_str());
                assert!(
                    before || found.contains(stderr.as_str()),
                    "{name}: {found}\nvs\n{stderr}"
                );
            }
            other => panic!("{name}: check exited with {other:?}"),
        }
    }
}
