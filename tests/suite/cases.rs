//! The shipped pack's cases (`policies/tests/*.case`), run through the same runner as
//! `bursar test`: every case must give exactly its expected decisions, and every document
//! must validate against the decisions schema.

use bursar::Limits;
use bursar::TestsText as TestTextEmitter;
use bursar::{Case, TestReport, TestRunner as Runner};
use serde_json::Value;

use crate::support;

/// Every shipped case, run once: the report and each case's document as JSON.
fn run_shipped() -> (TestReport, Vec<(String, Value)>) {
    let files = support::case_files();
    assert!(files.len() >= 30, "the shipped cases are found: {files:?}");
    let runner = Runner::open(&support::policies(), Limits::default())
        .unwrap_or_else(|e| panic!("{}", bursar::render_error(&e)));
    let mut report = TestReport {
        policies: "policies".to_owned(),
        cases: Vec::new(),
    };
    let mut documents = Vec::new();
    for file in &files {
        let case = Case::read(file).unwrap_or_else(|e| panic!("{e}"));
        let (case_report, document) = runner
            .run(&case)
            .unwrap_or_else(|e| panic!("{}", bursar::render_error(&e)));
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
        bursar::render(&TestTextEmitter { quiet: true }, &report)
    );
}

#[test]
fn every_shipped_case_document_validates_against_the_decisions_schema() {
    for (file, json) in run_shipped().1 {
        let problems = bursar::validate_decisions(&json);
        assert!(problems.is_empty(), "{file}: {problems:?}");
    }
}
