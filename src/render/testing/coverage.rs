//! Coverage as text for a person: per policy its figures, the outcomes, checks and
//! branches with their counts at `file:line:col`, then everything not exercised with the
//! reason, and whether the `--min-coverage` was met. Text from the pack is escaped.

use std::io;
use std::path::Path;

use crate::render::Emitter;
use crate::testing::coverage::{CoverageReport, PolicyCoverage};
use crate::text::escape_terminal as esc;

pub struct CoverageText {
    /// Only the figures and what is missing, not every site's counts.
    pub quiet: bool,
    /// The policy pack folder as the user named it, so locations open from where they ran.
    pub policies: String,
}

impl Emitter<CoverageReport> for CoverageText {
    fn emit(&self, out: &mut dyn io::Write, report: &CoverageReport) -> io::Result<()> {
        let dir = Path::new(&self.policies);
        writeln!(
            out,
            "\ncoverage: {} ({} of {} items)",
            pct(report.percent),
            report.covered,
            report.total
        )?;
        for p in &report.policies {
            policy(out, dir, p, self.quiet)?;
        }
        let missing: usize = report.policies.iter().map(|p| p.missing.len()).sum();
        if missing > 0 {
            writeln!(out, "not covered:")?;
            for p in &report.policies {
                let file = esc(&dir.join(&p.file).display().to_string()).to_string();
                for m in &p.missing {
                    writeln!(out, "  {file}:{}: {}", m.line, esc(&m.what))?;
                    writeln!(out, "    why: {}", esc(&m.why))?;
                }
            }
        }
        if report.policies.iter().any(|p| !p.exempt.is_empty()) {
            writeln!(out, "marked as never exercised (not counted):")?;
            for p in &report.policies {
                let file = esc(&dir.join(&p.file).display().to_string()).to_string();
                for m in &p.exempt {
                    writeln!(
                        out,
                        "  {file}:{}: {}: {}",
                        m.line,
                        esc(&m.what),
                        esc(&m.why)
                    )?;
                }
            }
        }
        if let Some(min) = report.minimum {
            if report.meets_minimum() {
                writeln!(
                    out,
                    "coverage {} meets the minimum of {}",
                    pct(report.percent),
                    pct(min)
                )?;
            } else {
                writeln!(
                    out,
                    "coverage {} is below the minimum of {}: {} not covered (listed above)",
                    pct(report.percent),
                    pct(min),
                    crate::text::count(report.total - report.covered, "item")
                )?;
            }
        }
        Ok(())
    }
}

/// `95.2%`, `100%`.
fn pct(value: f64) -> String {
    format!("{value}%")
}

fn policy(out: &mut dyn io::Write, dir: &Path, p: &PolicyCoverage, quiet: bool) -> io::Result<()> {
    writeln!(
        out,
        "  {}: {} ({} of {}) over {}",
        esc(&p.policy),
        pct(p.percent),
        p.covered,
        p.total,
        crate::text::count(p.cases as usize, "case")
    )?;
    for note in &p.notes {
        writeln!(out, "    note: {}", esc(note))?;
    }
    if quiet {
        return Ok(());
    }
    let file = esc(&dir.join(&p.file).display().to_string()).to_string();
    if !p.outcomes.is_empty() {
        let outcomes: Vec<String> = p
            .outcomes
            .iter()
            .map(|o| {
                let undeclared = if o.declared { "" } else { ", not declared" };
                format!(
                    "{} ({}{undeclared})",
                    esc(&o.label),
                    crate::text::count(o.cases, "case")
                )
            })
            .collect();
        writeln!(out, "    outcomes: {}", outcomes.join(", "))?;
    }
    // Checks, `if`s and loops together in the order they are written.
    let mut sites: Vec<((usize, usize), String)> = Vec::new();
    for c in &p.checks {
        let label = c.label.as_deref().map(esc).unwrap_or_default();
        sites.push((
            (c.line, c.column),
            format!("check `{label}`: passed {}, failed {}", c.passed, c.failed),
        ));
    }
    for b in &p.branches {
        let counts = match b.not_taken {
            Some(no) => format!("true {}, false {no}", b.taken),
            None => format!("reached {}, body ran {}", b.reached, b.taken),
        };
        sites.push((
            (b.line, b.column),
            format!("{} `{}`: {counts}", b.kind, esc(&b.text)),
        ));
    }
    sites.sort();
    for ((line, column), text) in sites {
        writeln!(out, "    {file}:{line}:{column} {text}")?;
    }
    Ok(())
}
