//! Why a run failed, for stderr: the decisions at or above `--fail-on`, most severe
//! first, then the totals. A CI log shows this whatever format went to stdout or a file,
//! so nobody has to open the document to learn what exit 1 was about. Values are escaped
//! for the terminal and widths measured on the escaped text.

use std::borrow::Cow;
use std::io;

use unicode_width::UnicodeWidthStr;

use crate::decision::{Decision, Document, Severity};
use crate::render::Emitter;
use crate::text::{count, escape_terminal as esc};

/// The decisions listed one per line; the rest are counted. A log stays readable when a
/// broken snapshot fails every subject, and 20 is more than a healthy sprint fails.
pub const SHOWN: usize = 20;

/// The summary of a run that failed at `fail_on`.
pub struct FailuresText {
    /// The severity the run failed at (`--fail-on`).
    pub fail_on: Severity,
}

impl Emitter<Document> for FailuresText {
    fn emit(&self, out: &mut dyn io::Write, doc: &Document) -> io::Result<()> {
        let mut failing: Vec<&Decision> = doc
            .decisions
            .iter()
            .filter(|d| d.severity >= self.fail_on)
            .collect();
        // Stable: within a severity, the document's order (policy, then subject).
        failing.sort_by_key(|d| std::cmp::Reverse(d.severity));
        writeln!(
            out,
            "{} at or above `{}` (--fail-on {}):",
            count(failing.len(), "decision"),
            self.fail_on.as_str(),
            self.fail_on.as_str()
        )?;
        let rows: Vec<[Cow<str>; 5]> = failing
            .iter()
            .take(SHOWN)
            .map(|d| {
                [
                    Cow::Borrowed(d.severity.as_str()),
                    esc(&d.policy),
                    esc(&d.subject),
                    // Marked when an exception set it; the exception follows the row.
                    match d.exception {
                        Some(_) => Cow::Owned(format!("{}*", esc(&d.outcome))),
                        None => esc(&d.outcome),
                    },
                    esc(&d.explanation.summary),
                ]
            })
            .collect();
        let width = |c: usize| rows.iter().map(|r| r[c].width()).max().unwrap_or(0);
        let widths = [width(0), width(1), width(2), width(3)];
        for (row, d) in rows.iter().zip(&failing) {
            for (cell, w) in row.iter().zip(widths) {
                write!(
                    out,
                    "  {cell}{}",
                    " ".repeat(w.saturating_sub(cell.width()))
                )?;
            }
            writeln!(out, "  {}", row[4])?;
            if let Some(e) = &d.exception {
                writeln!(
                    out,
                    "    * {}",
                    crate::render::decisions::text::exception_note(e)
                )?;
            }
        }
        if failing.len() > SHOWN {
            writeln!(out, "  ... and {} more", failing.len() - SHOWN)?;
        }
        writeln!(out, "{}", crate::render::decisions::text::headline(doc))
    }
}
