//! The shipped pack's cases (`policies/tests/*.case`), run through the same runner as
//! `bursar test`: every case must give exactly its expected decisions, and every document
//! must validate against the decisions schema.

use std::path::Path;

use bursar::Limits;
use bursar::render::test_text::TestTextEmitter;
use bursar::testing::{Case, Runner, TestReport};
use serde_json::Value;

use crate::support;

/// Every shipped case, run once: the report and each case's document as JSON.
fn run_shipped() -> (TestReport, Vec<(String, Value)>) {
    let files = support::case_files();
    assert!(files.len() >= 30, "the shipped cases are found: {files:?}");
    let runner = Runner::open(&support::policies(), Limits::default())
        .unwrap_or_else(|e| panic!("{}", bursar::render::diagnostic::render(&e)));
    let mut report = TestReport {
        policies: "policies".to_owned(),
        cases: Vec::new(),
    };
    let mut documents = Vec::new();
    for file in &files {
        let case = Case::read(file).unwrap_or_else(|e| panic!("{e}"));
        let (case_report, document) = runner
            .run(&case)
            .unwrap_or_else(|e| panic!("{}", bursar::render::diagnostic::render(&e)));
        report.cases.push(case_report);
        let json = serde_json::from_str(&support::to_json(&document)).unwrap();
        documents.push((file.display().to_string(), json));
    }
    (report, documents)
}

#[test]
fn every_shipped_case_gives_exactly_its_expected_decisions() {
    let (report, _) = run_shipped();
    assert!(
        report.passed(),
        "{}",
        bursar::render::to_string(&TestTextEmitter { quiet: true }, &report)
    );
}

#[test]
fn every_shipped_case_document_validates_against_the_decisions_schema() {
    for (file, json) in run_shipped().1 {
        let problems = bursar::validate_decisions(&json);
        assert!(problems.is_empty(), "{file}: {problems:?}");
    }
}

/// A case as `bursar test` reads it, from text.
fn case(text: &str) -> Case {
    Case::parse(Path::new("partial.case"), text.to_owned()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_partial_snapshot_is_completed_with_the_documented_defaults() {
    // Only a squad, its budget and one top-up: no sprint, no catalog, no runs.
    let partial = case(
        "scope topups\n\
         topups tu-1 ok documented=true within_cap=true\n\
         --- snapshot\n\
         {\"squads\": [{\"id\": \"payments\", \"headcount\": 3}],\n \
          \"budgets\": {\"exploration\": [{\"squad\": \"payments\", \"baseline_tokens\": 1000}]},\n \
          \"topups\": [{\"id\": \"tu-1\", \"squad\": \"payments\", \"tokens\": 500, \"status\": \"granted\",\n \
          \"reason\": \"incident-response\", \"justification\": \"a justification long enough\", \"approved_by\": \"dana\"}]}\n",
    );
    let loaded = bursar::testing::defaults::load(&partial).unwrap_or_else(|e| panic!("{e}"));
    let s = &loaded.snapshot;
    assert_eq!(s.sprint.id, "case");
    assert_eq!(s.currency, "USD");
    assert_eq!(s.budgets.central_tokens, 0);
    assert!(s.catalog.is_empty());
    let runner = Runner::open(&support::policies(), Limits::default()).unwrap();
    let (report, _) = runner.run(&partial).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.passed(), "{report:?}");
    // The case judges the policies it names: without `scope` it still ignores the
    // other policies' decisions; `scope all` judges the whole pack.
    let unscoped = case(&partial.text.replacen("scope topups\n", "", 1));
    let (report, _) = runner.run(&unscoped).unwrap();
    assert!(report.passed(), "{report:?}");
    let whole = case(&partial.text.replacen("scope topups", "scope all", 1));
    let (report, _) = runner.run(&whole).unwrap();
    assert!(
        !report.passed(),
        "under `scope all` the allocation and health decisions are unexpected"
    );
}

#[test]
fn a_complete_snapshot_reaches_the_loader_byte_for_byte() {
    let file = support::case_files().remove(0);
    let case = Case::read(&file).unwrap();
    let loaded = bursar::testing::defaults::load(&case).unwrap();
    assert_eq!(
        loaded.sha256,
        format!(
            "{:x}",
            <sha2::Sha256 as sha2::Digest>::digest(case.snapshot.as_bytes())
        )
    );
}
