//! The bundled example: its full decisions document, pinned; every handbook outcome on it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support;

#[test]
fn example_decisions_document_is_pinned() {
    let doc = support::evaluate(&support::example());
    insta::assert_snapshot!("example_decisions", support::to_json(&doc));
}

#[test]
fn example_is_a_valid_snapshot() {
    bursar::load_snapshot(&support::example()).expect("the example validates");
}

#[test]
fn example_decisions_validate_against_the_decisions_schema() {
    let doc = support::evaluate(&support::example());
    let json: Value = serde_json::from_str(&support::to_json(&doc)).unwrap();
    let problems = bursar::validate_decisions(&json);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn every_handbook_outcome_appears_in_the_example() {
    let doc = support::evaluate(&support::example());
    let seen: BTreeSet<(String, String)> = doc
        .decisions
        .iter()
        .map(|d| (d.policy.clone(), d.outcome.clone()))
        .collect();
    let required = [
        ("topups", "approve"),
        ("topups", "reject"),
        ("topups", "review"),
        ("topups", "violation"),
        ("topups", "ok"),
        ("promotion", "candidate"),
        ("promotion", "not-yet"),
        ("crediting", "credit"),
        ("crediting", "co-credit"),
        ("allocation", "allocate"),
        ("sunset", "sunset"),
        ("sunset", "review"),
        ("sunset", "keep"),
    ];
    for (policy, outcome) in required {
        assert!(
            seen.contains(&(policy.to_owned(), outcome.to_owned())),
            "the example gives no `{outcome}` from `{policy}`"
        );
    }
    // One health decision per snapshot: the other two labels are covered by the shipped cases (policies/tests).
    let health: Vec<_> = doc
        .decisions
        .iter()
        .filter(|d| d.policy == "health")
        .collect();
    assert_eq!(health.len(), 1);
    assert!(["healthy", "attention", "violation"].contains(&health[0].outcome.as_str()));
}

#[test]
fn the_same_inputs_give_byte_identical_output() {
    let first = support::bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--fail-on",
        "never",
    ]);
    let second = support::bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(first.status.code(), Some(0));
    assert!(!first.stdout.is_empty());
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn every_variant_decision_carries_its_evidence() {
    let doc = support::evaluate(&support::example());
    for d in doc.decisions.iter().filter(|d| d.policy == "promotion") {
        let evidence = d
            .explanation
            .evidence
            .as_ref()
            .expect("promotion decisions have evidence");
        assert_eq!(evidence["runs"], d.values["uses"], "{}", d.subject);
        assert!(evidence["first_run_id"].is_string(), "{}", d.subject);
        assert!(evidence["last_run_id"].is_string(), "{}", d.subject);
    }
}

#[test]
fn every_check_names_the_policy_line_that_made_it() {
    let doc = support::evaluate(&support::example());
    for d in &doc.decisions {
        for c in &d.explanation.checks {
            let (line, column) = (c.line.expect("a line"), c.column.expect("a column"));
            assert_eq!(c.at, format!("{}:{line}:{column}", c.file));
            let text = std::fs::read_to_string(support::policies().join(&c.file))
                .expect("the policy file");
            let code = text.lines().nth(line - 1).expect("the line exists");
            let from_column: String = code.chars().skip(column - 1).collect();
            assert!(
                from_column.starts_with("check("),
                "{} points at `{code}`",
                c.at
            );
        }
    }
}
