//! What a test run found: per case file, each expectation against what the pack decided,
//! and each decision the case did not expect. Serialised as is by `--format json`.

use serde::Serialize;

use super::case::Expected;
use super::coverage::CoverageReport;
use crate::decision::Decision;

/// How one expectation (or one unexpected decision) came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// As expected.
    Pass,
    /// Not as expected, or not expected at all.
    Fail,
}

/// One expectation of a case, or a decision the case did not list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The expectation's line in the case file; `None` for an unexpected decision.
    pub line: Option<usize>,
    /// The policy.
    pub policy: String,
    /// The subject.
    pub subject: String,
    /// What the case said; `None` for an unexpected decision.
    pub expected: Option<Expected>,
    /// The decision the pack gave, if any, with its explanation.
    pub actual: Option<Decision>,
    /// Whether it passed.
    pub outcome: Outcome,
    /// Why it failed, one line each (`outcome is `review`, expected `ok``); empty on a pass.
    pub problems: Vec<String>,
}

/// One case file's results, in file order, then the unexpected decisions in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseReport {
    /// The case file as the user named it (or as found under the folder they named).
    pub file: String,
    /// Each expectation's verdict, then each unexpected decision's.
    pub results: Vec<Verdict>,
}

impl CaseReport {
    /// How many of its verdicts failed.
    pub fn failed(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.outcome == Outcome::Fail)
            .count()
    }

    /// Whether every verdict passed.
    pub fn passed(&self) -> bool {
        self.failed() == 0
    }
}

/// A whole run: every case, in the order they were named or found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestReport {
    /// The policy pack folder as the user named it, for locations of checks.
    pub policies: String,
    /// Each case file's results.
    pub cases: Vec<CaseReport>,
}

impl TestReport {
    /// Case files with at least one failure.
    pub fn failed_cases(&self) -> usize {
        self.cases.iter().filter(|c| !c.passed()).count()
    }

    /// Whether every case passed.
    pub fn passed(&self) -> bool {
        self.failed_cases() == 0
    }
}

/// What `bursar test` writes: the report, and with `--coverage` the coverage, as one
/// document (the JSON of a run without coverage is the report's alone).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestRun {
    #[serde(flatten)]
    pub report: TestReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageReport>,
}

impl TestRun {
    /// Every case passed and coverage, if measured, reached its minimum.
    pub fn passed(&self) -> bool {
        self.report.passed() && self.coverage.as_ref().is_none_or(|c| c.meets_minimum())
    }
}
