//! A test run as JUnit XML, for CI test reporters: a test suite per case file, a test
//! case per expectation (and per decision the case did not list), named by its subject
//! with the policy as its class name, failures carrying the
//! expected and actual outcomes and the decision's checks. No timestamps or durations.

use std::io;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::emitter::Emitter;
use crate::testing::report::Verdict;
use crate::testing::{Outcome, TestReport};

pub struct TestJunitEmitter;

impl Emitter<TestReport> for TestJunitEmitter {
    fn emit(&self, out: &mut dyn io::Write, report: &TestReport) -> io::Result<()> {
        let mut junit = Report::new("bursar test");
        for case in &report.cases {
            let mut suite = TestSuite::new(case.file.as_str());
            for result in &case.results {
                suite.add_test_case(test_case(&report.policies, &case.file, result));
            }
            junit.add_test_suite(suite);
        }
        junit.serialize(out).map_err(io::Error::other)
    }
}

fn test_case(policies: &str, file: &str, result: &Verdict) -> TestCase {
    let status = match result.outcome {
        Outcome::Pass => TestCaseStatus::success(),
        Outcome::Fail => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(result.problems.join("; "))
                .set_description(description(policies, file, result));
            status
        }
    };
    let mut case = TestCase::new(result.subject.as_str(), status);
    case.set_classname(result.policy.as_str());
    case
}

/// Where the expectation is, what went wrong, and the decision's checks (at their places
/// from where bursar ran: `policies/topups.rhai:30:24`).
fn description(policies: &str, file: &str, result: &Verdict) -> String {
    let mut text = match result.line {
        Some(line) => format!("{file}:{line}\n"),
        None => format!("{file}: decision not listed\n"),
    };
    for problem in &result.problems {
        text.push_str(problem);
        text.push('\n');
    }
    if let Some(d) = &result.actual {
        text.push_str(&format!(
            "decided `{}`: {}\n",
            d.outcome, d.explanation.summary
        ));
        for c in &d.explanation.checks {
            text.push_str(&format!(
                "{}/{}: {}: {} {} {}, {}\n",
                policies,
                c.at,
                c.label,
                c.actual,
                c.op,
                c.threshold,
                if c.pass { "passed" } else { "failed" }
            ));
        }
    }
    text
}
