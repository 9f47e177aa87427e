//! `bursar test --coverage`: figures and reasons on a fixture pack with deliberately
//! untested branches (pinned), `--min-coverage` failing with the lines, a failing case
//! still counted, JSON and JUnit carrying the figures, and the shipped pack at 100%.

use std::path::Path;
use std::process::Output;

use bursar::Limits;
use bursar::{Case, TestRunner as Runner};
use bursar::{Host, PackSource};

use crate::support::bursar;

/// `budget.rhai` (its `else` and its check's failing way never exercised) and
/// `grants.rhai` (its domain empty in every case), with one passing case.
const PACK: &str = "tests/fixtures/coverage/pack";
/// A case on the same pack that fails on purpose and is the only one to give `unfunded`.
const FAILING: &str = "tests/fixtures/coverage/failing.case";

fn test(args: &[&str]) -> Output {
    let mut all = vec!["test", "--policies", PACK];
    all.extend(args);
    bursar(&all)
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(out), stderr(out)))
}

#[test]
fn an_untested_branch_is_reported_with_its_figures_and_the_reason() {
    let out = test(&["--coverage"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("coverage_text", stdout(&out));
}

#[test]
fn the_figures_as_data() {
    let out = test(&["--coverage", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = json(&out);
    let coverage = &json["coverage"];
    assert_eq!(
        (&coverage["covered"], &coverage["total"]),
        (&5.into(), &12.into())
    );
    let budget = &coverage["policies"][0];
    assert_eq!(budget["policy"], "budget");
    // The `if s.has_budget` at line 14 was true twice and never false.
    let branch = &budget["branches"][1];
    assert_eq!(
        (
            &branch["line"],
            &branch["kind"],
            &branch["taken"],
            &branch["not_taken"]
        ),
        (&14.into(), &"if".into(), &2.into(), &0.into())
    );
    let check = &budget["checks"][0];
    assert_eq!((&check["passed"], &check["failed"]), (&2.into(), &0.into()));
    let unfunded = budget["missing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["what"] == "outcome `unfunded` never produced")
        .expect("unfunded is missing");
    assert_eq!(unfunded["line"], 21);
    assert_eq!(
        unfunded["why"],
        "`d.record(\"unfunded\", ..)` was never reached: the `if` at line 14 (`s.has_budget`) was never false"
    );
    let grants = &coverage["policies"][1];
    assert_eq!(
        grants["notes"][0],
        "the policy's `DECIDES` domain `topups` was empty in every case: no case has a top-up"
    );
}

#[test]
fn below_the_minimum_the_run_fails_and_lists_the_lines() {
    let out = test(&["--min-coverage", "90"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "  tests/fixtures/coverage/pack/budget.rhai:14: `if` never false\n",
        "  tests/fixtures/coverage/pack/budget.rhai:15: check `baseline` never failed\n",
        "  tests/fixtures/coverage/pack/budget.rhai:18: outcome `short` never produced\n",
        "  tests/fixtures/coverage/pack/grants.rhai:8: `for` loop body never ran\n",
        "coverage 41.6% is below the minimum of 90%: 7 items not covered (listed above)\n",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    // The same run against a minimum it meets passes: the threshold decides.
    let out = test(&["--min-coverage", "41.6"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).ends_with("coverage 41.6% meets the minimum of 41.6%\n"));
}

#[test]
fn a_minimum_that_is_not_a_percentage_is_a_usage_error() {
    let out = test(&["--min-coverage", "101"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`101` is not a percentage from 0 to 100"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_failing_case_still_counts_for_coverage() {
    let out = test(&["--coverage", "--format", "json", PACK, FAILING]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the case fails: {}",
        stderr(&out)
    );
    let json = json(&out);
    assert_eq!(json["cases"][1]["results"][0]["outcome"], "fail");
    let budget = &json["coverage"]["policies"][0];
    let unfunded = budget["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["label"] == "unfunded")
        .unwrap();
    assert_eq!(unfunded["cases"], 1, "{budget}");
    assert_eq!(budget["branches"][1]["not_taken"], 1);
    assert_eq!(json["coverage"]["covered"], 7);
}

#[test]
fn junit_carries_the_figures_and_fails_a_test_case_below_the_minimum() {
    let out = test(&["--min-coverage", "100", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = junit_parser::from_reader(out.stdout.as_slice())
        .unwrap_or_else(|e| panic!("not JUnit XML a parser reads: {e}\n{}", stdout(&out)));
    let suite = report.suites.last().unwrap();
    assert_eq!(suite.name, "coverage");
    assert_eq!((suite.tests, suite.failures), (1, 1));
    let failure = suite.cases[0].status.failure_as_ref();
    assert_eq!(
        failure.message,
        "coverage 41.6% is below the minimum of 100%"
    );
    assert!(
        failure.text.contains(
            "tests/fixtures/coverage/pack/budget.rhai:21: outcome `unfunded` never produced"
        ),
        "{}",
        failure.text
    );
    let system_out = suite.system_out.as_deref().unwrap_or_default();
    assert!(
        system_out.starts_with("coverage: 41.6% (5 of 12 items)"),
        "{system_out}"
    );
}

#[test]
fn the_shipped_pack_is_covered_entirely_by_its_cases() {
    let out = bursar(&[
        "test",
        "--coverage",
        "--min-coverage",
        "100",
        "--policies",
        "policies",
        "-q",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("coverage: 100% ("),
        "{}",
        stdout(&out)
    );
    // The CI example users copy holds a pack to the same bar.
    let workflow =
        std::fs::read_to_string(crate::support::root().join("examples/ci/github-actions.yml"))
            .unwrap();
    assert!(
        workflow.contains("bursar test --policies \"$POLICIES\" --coverage --min-coverage 100"),
        "the workflow tests the pack with --min-coverage 100"
    );
}

/// Without `--coverage` the host registers no debugger and keeps no counts, so `eval`
/// pays nothing for coverage.
#[test]
fn only_a_coverage_host_counts() {
    let source = PackSource::read(Path::new(PACK), &Limits::default()).unwrap();
    assert!(Host::new(&source, Limits::default()).coverage().is_none());
    let runner = Runner::open(Path::new(PACK), Limits::default()).unwrap();
    let case = Case::read(Path::new(FAILING)).unwrap();
    runner.run(&case).unwrap();
    assert!(runner.coverage(None).is_none());
}

/// A mark the cases contradict is said out loud and exempts nothing; a mark on a line
/// with an `if` and a check goes to the one it fits; one that fits nothing is said.
#[test]
fn coverage_marks_exempt_only_what_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let policy = std::fs::read_to_string(Path::new(PACK).join("budget.rhai"))
        .unwrap()
        .replace(
            "    if s.has_budget {",
            "    // coverage: never runs: not a loop\n    if s.has_budget { // coverage: never true: squads never have budgets",
        )
        .replace(
            "MIN_BASELINE) {",
            "MIN_BASELINE) { // coverage: never fails: the fixture's squads are all funded",
        );
    std::fs::write(dir.path().join("budget.rhai"), policy).unwrap();
    let pack = dir.path().to_str().unwrap();
    let out = bursar(&[
        "test",
        "--policies",
        pack,
        "--coverage",
        "--format",
        "json",
        PACK,
    ]);
    let json = json(&out);
    let budget = &json["coverage"]["policies"][0];
    assert_eq!(
        budget["notes"],
        serde_json::json!([
            "line 15: marked `never true`, but a case did exercise it; the mark is ignored",
            "line 15: `never runs` does not apply to anything on that line"
        ])
    );
    assert_eq!(
        budget["exempt"],
        serde_json::json!([{
            "line": 16,
            "what": "never fails (check `baseline`)",
            "why": "the fixture's squads are all funded"
        }])
    );
    assert_eq!(
        json["coverage"]["total"], 9,
        "only the check's failing way is exempt"
    );
}

/// `--policy P`: P's figures alone, its totals its own; a name the pack lacks is refused.
#[test]
fn coverage_narrowed_to_one_policy() {
    let out = test(&["--policy", "budget", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let coverage = &json(&out)["coverage"];
    let policies = coverage["policies"].as_array().unwrap();
    assert_eq!(policies.len(), 1, "{coverage}");
    assert_eq!(policies[0]["policy"], "budget");
    assert_eq!(
        (&coverage["covered"], &coverage["total"]),
        (&policies[0]["covered"], &policies[0]["total"])
    );
    let out = test(&["--coverage", "--policy", "grant"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("--policy: `grant` is not a policy in this pack; did you mean `grants`?"),
        "{}",
        stderr(&out)
    );
}

/// Only the cases that judge a policy count for it: `failing.case` names `budget` alone,
/// so on its own it covers nothing of `grants`, which is then below 100% by the item
/// `no case judges` even though nothing else of it could be missed.
#[test]
fn only_cases_that_judge_a_policy_count_for_it() {
    let out = test(&["--policy", "grants", "--format", "json", FAILING]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let grants = &json(&out)["coverage"]["policies"][0];
    assert_eq!(grants["cases"], 0, "{grants}");
    assert_eq!(grants["covered"], 0, "{grants}");
    assert!(grants["percent"].as_f64().unwrap() < 100.0, "{grants}");
    assert!(
        grants["missing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["what"] == "no case judges `grants`"),
        "{grants}"
    );
    // A case that runs `budget` but does not name it counts nothing for it.
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.case");
    let text = std::fs::read_to_string(FAILING).unwrap();
    std::fs::write(&other, text.replace("budget c funded", "scope grants")).unwrap();
    let out = test(&[
        "--policy",
        "budget",
        "--format",
        "json",
        other.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let budget = &json(&out)["coverage"]["policies"][0];
    assert_eq!(
        (&budget["cases"], &budget["covered"]),
        (&0.into(), &0.into()),
        "{budget}"
    );
    assert!(
        budget["branches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["reached"] == 0),
        "{budget}"
    );
}
