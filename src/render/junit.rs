//! A decisions document as JUnit XML, the test report Jenkins, GitLab and GitHub test
//! reporters display: a test suite per policy, a test case per decision, a failure for
//! each decision at or above `--fail-on`. Written with `quick-junit`, which escapes and
//! lays out the XML; no timestamps, host names or durations, so the same document gives
//! the same bytes.

use std::io;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::emitter::Context;
use super::emitter::Emitter;
use crate::decision::{Check, Decision, Document};

pub struct JunitEmitter {
    context: Context,
}

impl JunitEmitter {
    pub fn new(context: &Context) -> Self {
        Self {
            context: context.clone(),
        }
    }

    fn case(&self, decision: &Decision) -> TestCase {
        let fails = self.context.fail_on.is_some_and(|t| decision.severity >= t);
        let status = if fails {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(decision.explanation.summary.as_str())
                .set_type(decision.severity.as_str())
                .set_description(self.failure_text(decision));
            status
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(decision.subject.as_str(), status);
        case.set_classname(decision.policy.as_str());
        case
    }

    /// The outcome, then one line per failing check, `file:line:column: ...`, so a reader
    /// (or an editor's jump-to-error) lands on the comparison that decided it.
    fn failure_text(&self, decision: &Decision) -> String {
        let mut text = format!("{} ({})\n", decision.outcome, decision.severity.as_str());
        if let Some(e) = &decision.exception {
            text.push_str(&format!("{}\n", e.describe()));
        }
        let failing: Vec<&Check> = decision
            .explanation
            .checks
            .iter()
            .filter(|c| !c.pass)
            .collect();
        if failing.is_empty() {
            // Outcomes are the policy's to choose: one can deny with every check passing.
            match &decision.site {
                Some(site) => text.push_str(&format!(
                    "{}: no check failed\n",
                    site.location_from(&self.context.policies)
                )),
                None => text.push_str("no check failed\n"),
            }
        }
        for check in failing {
            text.push_str(&format!(
                "{}: {}: expected {} {}, got {}\n",
                check.location_from(&self.context.policies),
                check.label,
                check.op,
                check.threshold,
                check.actual
            ));
        }
        text
    }
}

impl Emitter<Document> for JunitEmitter {
    fn emit(&self, out: &mut dyn io::Write, doc: &Document) -> io::Result<()> {
        let mut report = Report::new(format!("bursar {}", doc.sprint));
        // A policy that decided nothing is an empty suite, so the report shows it ran.
        for policy in doc.policies() {
            let mut suite = TestSuite::new(policy);
            for decision in doc.decisions.iter().filter(|d| d.policy == policy) {
                suite.add_test_case(self.case(decision));
            }
            report.add_test_suite(suite);
        }
        report.serialize(out).map_err(io::Error::other)
    }
}
