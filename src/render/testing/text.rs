//! A test run as text for a person: a line per case file, and for each failure what was
//! expected, what the pack decided and why (its summary and checks, with their places).
//! Everything from the cases and the pack is escaped for the terminal.

use std::io;
use std::path::Path;

use crate::decision::Decision;
use crate::render::Emitter;
use crate::testing::report::{CaseReport, Verdict};
use crate::testing::{Outcome, TestReport};
use crate::text::escape_terminal as esc;

/// The test report as text for a person.
pub struct TestsText {
    /// Only the failing cases and the totals.
    pub quiet: bool,
}

impl Emitter<TestReport> for TestsText {
    fn emit(&self, out: &mut dyn io::Write, report: &TestReport) -> io::Result<()> {
        let policies = Path::new(&report.policies);
        for case in &report.cases {
            if case.passed() {
                if !self.quiet {
                    writeln!(out, "ok     {} ({})", esc(&case.file), expectations(case))?;
                }
                continue;
            }
            writeln!(
                out,
                "FAILED {} ({} of {} failed)",
                esc(&case.file),
                case.failed(),
                expectations(case)
            )?;
            for result in case.results.iter().filter(|r| r.outcome == Outcome::Fail) {
                failure(out, policies, case, result)?;
            }
        }
        let failed = report.failed_cases();
        writeln!(
            out,
            "{}: {} passed, {failed} failed",
            crate::text::count(report.cases.len(), "case"),
            report.cases.len() - failed
        )
    }
}

fn expectations(case: &CaseReport) -> String {
    crate::text::count(case.results.len(), "result")
}

fn failure(
    out: &mut dyn io::Write,
    policies: &Path,
    case: &CaseReport,
    result: &Verdict,
) -> io::Result<()> {
    let file = esc(&case.file);
    // A problem of the case as a whole (it names no policy) is about no decision.
    if result.policy.is_empty() && result.line.is_none() {
        writeln!(out, "  {file}:")?;
        for problem in &result.problems {
            writeln!(out, "    {}", esc(problem))?;
        }
        return Ok(());
    }
    let at = match result.line {
        Some(line) => format!("{file}:{line}"),
        None => format!("{file} (not listed)"),
    };
    writeln!(
        out,
        "  {at}: {} {}",
        esc(&result.policy),
        esc(&result.subject)
    )?;
    for problem in &result.problems {
        writeln!(out, "    {}", esc(&problem.to_string()))?;
    }
    if let Some(decision) = &result.actual {
        explain(out, policies, decision)?;
    }
    Ok(())
}

/// The decision's own account: its summary, then every check with the value it saw.
fn explain(out: &mut dyn io::Write, policies: &Path, decision: &Decision) -> io::Result<()> {
    writeln!(
        out,
        "    decided `{}` ({}): {}",
        esc(&decision.outcome),
        decision.severity.as_str(),
        esc(&decision.explanation.summary)
    )?;
    // The outcome is the exception's: say so, with what the policy itself decided.
    if let Some(e) = &decision.exception {
        writeln!(
            out,
            "      {}",
            crate::render::decisions::text::exception_note(e)
        )?;
    }
    for check in &decision.explanation.checks {
        writeln!(
            out,
            "      {}: {}: {} {} {}, {}",
            esc(&check.location_from(policies)),
            esc(&check.label),
            esc(&check.actual.to_string()),
            esc(&check.op.to_string()),
            esc(&check.threshold.to_string()),
            if check.pass { "passed" } else { "failed" }
        )?;
    }
    Ok(())
}
