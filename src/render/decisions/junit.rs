//! A decisions document as JUnit XML, the test report Jenkins, GitLab and GitHub test
//! reporters display: a test suite per policy, a test case per decision, a failure for
//! each decision at or above `--fail-on`. Written with `quick-junit`, which escapes and
//! lays out the XML; no timestamps, host names or durations, so the same document gives
//! the same bytes. Characters XML 1.0 cannot carry at all (C0 controls other than tab,
//! line feed and carriage return, U+FFFE, U+FFFF), which a subject or a message may hold,
//! are written as the text `\u{FFFE}` ([`well_formed`]), so the report stays well-formed
//! whatever the snapshot says.

use std::io;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::decision::{Check, Decision, Document};
use crate::render::Context;
use crate::render::Emitter;

pub struct DecisionsJunit {
    context: Context,
}

impl DecisionsJunit {
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
                .set_message(text(&decision.explanation.summary))
                .set_type(decision.severity.as_str())
                .set_description(text(&self.failure_text(decision)));
            status
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(text(&decision.subject), status);
        case.set_classname(text(&decision.policy));
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

impl Emitter<Document> for DecisionsJunit {
    fn emit(&self, out: &mut dyn io::Write, doc: &Document) -> io::Result<()> {
        let mut report = Report::new(text(&format!("bursar {}", doc.sprint)));
        // A policy that decided nothing is an empty suite, so the report shows it ran.
        for policy in doc.policies() {
            let mut suite = TestSuite::new(text(policy));
            for decision in doc.decisions.iter().filter(|d| d.policy == policy) {
                suite.add_test_case(self.case(decision));
            }
            report.add_test_suite(suite);
        }
        write_report(&report, out)
    }
}

/// A value as the report carries it: [`well_formed`], before `quick-junit` sees it
/// (which would drop control characters silently, and with an escape character the
/// text after it).
pub(crate) fn text(value: &str) -> String {
    well_formed(value).into_owned()
}

/// Serializes `report` to `out` with [`well_formed`] applied: what [`text`] missed
/// cannot make the report unreadable.
pub(crate) fn write_report(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let mut xml = Vec::new();
    report.serialize(&mut xml).map_err(io::Error::other)?;
    let xml = String::from_utf8(xml).map_err(io::Error::other)?;
    out.write_all(well_formed(&xml).as_bytes())
}

/// Whether XML 1.0 can carry `c` in text or an attribute, escaped or not (its `Char`
/// production: even `&#1;` is not well-formed).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// `xml` with every character XML 1.0 cannot carry written as `\u{XXXX}` (its code point
/// in hexadecimal), so a reader still sees which character the input held. The markup
/// itself never holds such a character, so each one found came from a value.
pub fn well_formed(xml: &str) -> std::borrow::Cow<'_, str> {
    if xml.chars().all(xml_char) {
        return xml.into();
    }
    let mut out = String::with_capacity(xml.len() + 16);
    for c in xml.chars() {
        if xml_char(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        }
    }
    out.into()
}

#[cfg(test)]
#[path = "junit_tests.rs"]
mod tests;
