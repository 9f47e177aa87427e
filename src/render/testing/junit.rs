//! A test run as JUnit XML, for CI test reporters: a test suite per case file, a test
//! case per expectation (and per decision the case did not list), named by its subject
//! with the policy as its class name, failures carrying the
//! expected and actual outcomes and the decision's checks. No timestamps or durations.
//! With `--coverage`, a last test suite `coverage` carries the figures as properties and
//! the text report as its system-out, and with `--min-coverage` one test case that fails
//! below the minimum, listing what is not covered. Characters XML cannot carry are
//! written as `\u{XXXX}`, as the other JUnit writer writes them.

use std::io;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::coverage::CoverageText;
use crate::render::Emitter;
use crate::render::decisions::junit::text as xml_text;
use crate::testing::coverage::CoverageReport;
use crate::testing::report::Verdict;
use crate::testing::{Outcome, TestReport, TestRun};

/// The test report as JUnit XML, a test suite per case file.
pub struct TestsJunit;

impl Emitter<TestReport> for TestsJunit {
    fn emit(&self, out: &mut dyn io::Write, report: &TestReport) -> io::Result<()> {
        crate::render::decisions::junit::write_report(&cases(report), out)
    }
}

impl Emitter<TestRun> for TestsJunit {
    fn emit(&self, out: &mut dyn io::Write, run: &TestRun) -> io::Result<()> {
        let mut junit = cases(&run.report);
        if let Some(coverage) = &run.coverage {
            junit.add_test_suite(coverage_suite(&run.report.policies, coverage));
        }
        crate::render::decisions::junit::write_report(&junit, out)
    }
}

fn cases(report: &TestReport) -> Report {
    let mut junit = Report::new("bursar test");
    for case in &report.cases {
        let mut suite = TestSuite::new(xml_text(&case.file));
        for result in &case.results {
            suite.add_test_case(test_case(&report.policies, &case.file, result));
        }
        junit.add_test_suite(suite);
    }
    junit
}

fn coverage_suite(policies: &str, coverage: &CoverageReport) -> TestSuite {
    let mut suite = TestSuite::new("coverage");
    suite.add_property(Property::new(
        "coverage.percent",
        coverage.percent.to_string(),
    ));
    suite.add_property(Property::new(
        "coverage.covered",
        coverage.covered.to_string(),
    ));
    suite.add_property(Property::new("coverage.total", coverage.total.to_string()));
    for p in &coverage.policies {
        suite.add_property(Property::new(
            xml_text(&format!("coverage.{}", p.policy)),
            format!("{} of {}", p.covered, p.total),
        ));
    }
    let text = crate::render::to_string(
        &CoverageText {
            quiet: true,
            policies: policies.to_owned(),
        },
        coverage,
    );
    if let Some(min) = coverage.minimum {
        let status = if coverage.meets_minimum() {
            TestCaseStatus::success()
        } else {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(format!(
                    "coverage {}% is below the minimum of {min}%",
                    coverage.percent
                ))
                .set_description(xml_text(text.trim_start()));
            status
        };
        let mut case = TestCase::new("min-coverage", status);
        case.set_classname("coverage");
        suite.add_test_case(case);
    }
    suite.set_system_out(xml_text(text.trim_start()));
    suite
}

fn test_case(policies: &str, file: &str, result: &Verdict) -> TestCase {
    let status = match result.outcome {
        Outcome::Pass => TestCaseStatus::success(),
        Outcome::Fail => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(xml_text(&result.problems.join("; ")))
                .set_description(xml_text(&description(policies, file, result)));
            status
        }
    };
    let mut case = TestCase::new(xml_text(&result.subject), status);
    case.set_classname(xml_text(&result.policy));
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
