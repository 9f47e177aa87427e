//! A failing run says why: the stderr summary of the decisions at or above `--fail-on`
//! (rendered by `render::failures`, printed by `eval` only when it exits 1).

use bursar::FailuresText as FailureSummary;
use bursar::{Document, Severity};

use crate::support::{self, bursar};

fn fixture(name: &str) -> Document {
    let path = support::root().join(format!("tests/fixtures/render/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn summary(doc: &Document, fail_on: Severity) -> String {
    bursar::render(&FailureSummary { fail_on }, doc)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_summary_is_pinned_on_the_fixtures() {
    // `info` for the CJK subjects, which decide nothing worse: columns by display width.
    let cases = [
        ("example", Severity::Deny),
        ("example", Severity::Warn),
        ("wide-subjects", Severity::Info),
        // An exception lowered a deny to warn (it is listed, marked) and raised nothing.
        ("exceptions", Severity::Warn),
    ];
    for (name, fail_on) in cases {
        let doc = fixture(name);
        insta::assert_snapshot!(
            format!("failures__{name}__{}", fail_on.as_str()),
            summary(&doc, fail_on)
        );
    }
}

/// The example has 54 decisions (39 info, 11 warn, 4 deny: the pinned example document);
/// failing at `info` fails them all, more than the 20 listed.
#[test]
fn past_twenty_the_rest_are_counted_and_the_most_severe_come_first() {
    let doc = fixture("example");
    let out = summary(&doc, Severity::Info);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "54 decisions at or above `info` (--fail-on info):"
    );
    assert_eq!(lines.len(), 1 + 20 + 2, "{out}");
    assert_eq!(lines[21], "  ... and 34 more");
    assert_eq!(
        lines[22],
        "sprint 2026-S24 (acme): 54 decisions (39 info, 11 warn, 4 deny)"
    );
    let severities: Vec<&str> = lines[1..21]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let expected: Vec<&str> = ["deny"; 4]
        .into_iter()
        .chain(["warn"; 11])
        .chain(["info"; 5])
        .collect();
    assert_eq!(severities, expected, "{out}");
}

/// The four `deny` decisions of the example (an informal top-up and approver-less ones,
/// the org's health), stated here rather than read off the output under test.
const EXAMPLE_DENY: &str = "\
4 decisions at or above `deny` (--fail-on deny):
  deny  health  org    violation  org → violation: gini of capacity 0.40 > 0.35, top-up concentration 0.53 > 0.50, untagged exploration share 0.30 > 0.20, squads missing a baseline [`support-tools`, `docs`] ≠ []
  deny  topups  tu-15  violation  tu-15 → violation: reason `critical-system` in the 4 listed, justification length 0 < 20, granted top-ups with this one 250000 ≤ 500000, approver name length 3 > 0
  deny  topups  tu-6   violation  tu-6 → violation: reason `compliance-deadline` in the 4 listed, justification length 69 ≥ 20, granted top-ups with this one 300000 ≤ 500000, approver name length 0 ≤ 0
  deny  topups  tu-7   violation  tu-7 → violation: reason `in-scope-migration` in the 4 listed, justification length 70 ≥ 20, granted top-ups with this one 400000 ≤ 1000000, approver name length 0 ≤ 0
sprint 2026-S24 (acme): 54 decisions (39 info, 11 warn, 4 deny)
";

#[test]
fn exit_1_prints_the_failing_decisions_whatever_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("decisions.txt");
    for extra in [
        vec!["--format", "json"],
        vec!["--format", "text", "--out", out_file.to_str().unwrap()],
    ] {
        let mut args = vec![
            "eval",
            "--snapshot",
            "examples/sprint-2026-S24.json",
            "--fail-on",
            "deny",
        ];
        args.extend(&extra);
        let out = bursar(&args);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), EXAMPLE_DENY, "{extra:?}");
    }
}

#[test]
fn quiet_silences_the_summary_and_exit_0_has_none() {
    let run = |args: &[&str]| {
        let mut all = vec!["eval", "--snapshot", "examples/sprint-2026-S24.json"];
        all.extend(args);
        bursar(&all)
    };
    let quiet = run(&["--fail-on", "deny", "--quiet"]);
    assert_eq!(quiet.status.code(), Some(1));
    assert!(quiet.stderr.is_empty(), "{}", stderr(&quiet));

    let clean = run(&["--fail-on", "never"]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(clean.stderr.is_empty(), "{}", stderr(&clean));

    // Only `info` decisions: nothing at `warn`, nothing to explain.
    let healthy_snapshot = support::case_snapshot("health-healthy");
    let healthy = bursar(&[
        "eval",
        "--snapshot",
        healthy_snapshot.to_str().unwrap(),
        "--fail-on",
        "warn",
    ]);
    assert_eq!(healthy.status.code(), Some(0));
    assert!(healthy.stderr.is_empty(), "{}", stderr(&healthy));
}

#[test]
fn fail_on_warn_lists_warnings_after_denials() {
    let out = bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--fail-on",
        "warn",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "15 decisions at or above `warn` (--fail-on warn):"
    );
    assert_eq!(lines.len(), 1 + 15 + 1, "{err}");
    assert!(
        lines[1..5].iter().all(|l| l.starts_with("  deny  ")),
        "{err}"
    );
    assert!(
        lines[5..16].iter().all(|l| l.starts_with("  warn  ")),
        "{err}"
    );
}
