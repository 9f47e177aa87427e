//! `bursar test`: exit codes, the failure report (pinned), `--update`, JUnit read back by
//! an independent parser, JSON, and broken case files reported with their file and line.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::bursar;

/// A small case about one top-up on a partial snapshot: payments' cap is 0.5 × 1000 =
/// 500 tokens; tu-1 (granted, 400) is within it, tu-2 (requested, 200) is not.
const CASE: &str = "\
# payments: cap 500; tu-1 alone is within it.
scope topups
topups tu-1 ok documented=true within_cap=true
# tu-2 would bring granted top-ups to 600.
topups tu-2 review within_cap=false
topups tu-3 none
--- snapshot
{
  \"squads\": [{\"id\": \"payments\", \"headcount\": 3}],
  \"budgets\": {\"exploration\": [{\"squad\": \"payments\", \"baseline_tokens\": 1000}]},
  \"topups\": [
    {\"id\": \"tu-1\", \"squad\": \"payments\", \"tokens\": 400, \"status\": \"granted\", \"reason\": \"incident-response\", \"justification\": \"a justification long enough\", \"approved_by\": \"dana\"},
    {\"id\": \"tu-2\", \"squad\": \"payments\", \"tokens\": 200, \"status\": \"requested\", \"reason\": \"incident-response\", \"justification\": \"a justification long enough\", \"approved_by\": null}
  ]
}
";

/// The same case expecting tu-1 to be rejected (and over its cap) and tu-2 to be absent:
/// two failures.
fn failing() -> String {
    CASE.replace(
        "topups tu-1 ok documented=true within_cap=true",
        "topups tu-1 reject documented=true within_cap=false",
    )
    .replace(
        "topups tu-2 review within_cap=false\n",
        "topups tu-2 none\n",
    )
}

/// A folder holding the given case files.
fn cases(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn test(args: &[&str]) -> Output {
    let mut all = vec!["test", "--policies", "policies"];
    all.extend(args);
    bursar(&all)
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

#[test]
fn a_passing_case_exits_0() {
    let dir = cases(&[("pass.case", CASE)]);
    let file = path(dir.path(), "pass.case");
    let out = test(&[file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).ends_with("1 case: 1 passed, 0 failed\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_failing_case_exits_1_with_expected_actual_and_the_checks() {
    let dir = cases(&[("fail.case", &failing()), ("pass.case", CASE)]);
    let out = test(&[dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let root = dir.path().to_str().unwrap();
    insta::assert_snapshot!("test_failure_text", stdout(&out).replace(root, "[DIR]"));
}

#[test]
fn update_rewrites_the_expectations_keeps_the_comments_and_then_passes() {
    let dir = cases(&[("fail.case", &failing())]);
    let file = path(dir.path(), "fail.case");
    let out = test(&["--update", "-q", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    // Back to the passing case, except that tu-1 listed no values for `reject`: the names
    // a line listed are kept, with the values the decision now has.
    assert_eq!(
        text,
        CASE.replace(
            "topups tu-2 review within_cap=false\n",
            "topups tu-2 review\n"
        )
    );
    let again = test(&[file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn update_adds_a_line_for_each_decision_the_case_did_not_list() {
    let unlisted = CASE.replace("topups tu-2 review within_cap=false\n", "");
    let dir = cases(&[("c.case", &unlisted)]);
    let file = path(dir.path(), "c.case");
    assert_eq!(test(&[file.to_str().unwrap()]).status.code(), Some(1));
    let out = test(&["--update", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text,
        unlisted.replace(
            "topups tu-3 none\n",
            "topups tu-3 none\ntopups tu-2 review\n"
        )
    );
}

#[test]
fn junit_has_a_suite_per_case_file_and_a_test_case_per_expectation() {
    let dir = cases(&[("a-fail.case", &failing()), ("b-pass.case", CASE)]);
    let out = test(&["--format", "junit", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = junit_parser::from_reader(out.stdout.as_slice())
        .unwrap_or_else(|e| panic!("not JUnit XML a parser reads: {e}\n{}", stdout(&out)));
    let names: Vec<&str> = report.suites.iter().map(|s| s.name.as_str()).collect();
    let a = path(dir.path(), "a-fail.case");
    let b = path(dir.path(), "b-pass.case");
    assert_eq!(names, [a.to_str().unwrap(), b.to_str().unwrap()]);
    let (fail, pass) = (&report.suites[0], &report.suites[1]);
    assert_eq!((pass.tests, pass.failures), (3, 0));
    assert_eq!((fail.tests, fail.failures), (3, 2));
    assert_eq!((report.tests, report.failures, report.errors), (6, 2, 0));
    let cases: Vec<&str> = fail.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cases, ["topups::tu-1", "topups::tu-2", "topups::tu-3"]);
    let failure = fail.cases[0].status.failure_as_ref();
    assert_eq!(
        failure.message,
        "expected `reject`, got `ok`; within_cap: expected false, got true"
    );
    assert!(
        failure.text.contains(&format!("{}:3\n", a.display()))
            && failure.text.contains("policies/topups.rhai:"),
        "the expectation's line and the checks' places: {}",
        failure.text
    );
    assert!(fail.cases[2].status.is_success(), "tu-3 has no decision");
}

#[test]
fn json_is_the_report_as_data() {
    let dir = cases(&[("fail.case", &failing())]);
    let out = test(&["--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = &json["cases"][0]["results"];
    assert_eq!(results[0]["line"], 3);
    assert_eq!(results[0]["outcome"], "fail");
    assert_eq!(results[0]["expected"]["outcome"], "reject");
    assert_eq!(results[0]["expected"]["values"]["within_cap"], "false");
    assert_eq!(results[0]["actual"]["outcome"], "ok");
    assert_eq!(results[1]["expected"]["kind"], "none");
    assert_eq!(results[2]["outcome"], "pass");
}

#[test]
fn a_broken_case_exits_2_with_its_file_and_line_and_nothing_is_rewritten() {
    let bad_line = CASE.replace("topups tu-3 none", "topups tu-3");
    let bad_json = CASE.replace("\"headcount\": 3}", "\"headcount\": 3");
    for (text, line) in [(bad_line, 6), (bad_json, 9)] {
        let dir = cases(&[("a.case", &failing()), ("b.case", &text)]);
        let b = path(dir.path(), "b.case");
        let out = test(&["--update", dir.path().to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.starts_with(&format!("error: {}:{line}:", b.display())),
            "{err}"
        );
        let a = std::fs::read_to_string(path(dir.path(), "a.case")).unwrap();
        assert_eq!(a, failing(), "no case is rewritten when one is broken");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn without_cases_it_runs_the_packs_tests_folder() {
    let out = test(&["-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.ends_with(" passed, 0 failed\n") && text.lines().count() == 1,
        "{text}"
    );
}

#[test]
fn a_policy_that_fails_on_a_case_exits_2_naming_the_case_and_the_policy() {
    // tu-2 has no approver, and this pack (whose one policy is `strict`) throws on that.
    let text = CASE.replace("scope topups", "scope strict").replace(
        "topups tu-1 ok documented=true within_cap=true\n# tu-2 would bring granted top-ups to 600.\ntopups tu-2 review within_cap=false\ntopups tu-3 none\n",
        "",
    );
    let dir = cases(&[("c.case", &text)]);
    let file = path(dir.path(), "c.case");
    let out = bursar(&[
        "test",
        "--policies",
        "tests/errors/policies/throw",
        file.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(&format!(
            "while running the case `{}`:\nerror: tests/errors/policies/throw/strict.rhai:",
            file.display()
        )),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_case_naming_an_unknown_policy_or_undeclared_outcome_is_broken() {
    let pack =
        "the policies are `allocation`, `crediting`, `health`, `promotion`, `sunset`, `topups`";
    let in_scope = CASE.replace("scope topups", "scope topupz");
    let in_line = CASE.replace("topups tu-3 none", "topupz tu-3 none");
    let outcome = CASE.replace("topups tu-2 review", "topups tu-2 reveiw");
    for (text, line, said) in [
        (in_scope, 2, format!("`topupz` is not a policy in this pack; did you mean `topups`? {pack}")),
        (in_line, 6, format!("`topupz` is not a policy in this pack; did you mean `topups`? {pack}")),
        (
            outcome,
            5,
            "`topups` does not produce `reveiw` (its `OUTCOMES`); did you mean `review`? it declares `approve`, `reject`, `review`, `ok`, `violation`".to_owned(),
        ),
    ] {
        let dir = cases(&[("b.case", &text)]);
        let b = path(dir.path(), "b.case");
        let out = test(&[b.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.starts_with(&format!("error: {}:{line}:", b.display())),
            "{err}"
        );
        assert!(err.contains(&said), "{err}");
    }
}
