//! The human-readable view of a decisions document: a table per policy, columns aligned
//! by display width so wide (CJK) subjects line up in a terminal. Every value is escaped
//! for the terminal first (a newline in a subject cannot start a row of its own) and
//! widths are measured on what is printed.

use std::borrow::Cow;
use std::io;

use unicode_width::UnicodeWidthStr;

use crate::decision::{AppliedException, Document};
use crate::render::Emitter;
use crate::text::{count, escape_terminal as esc};

pub struct DecisionsText;

const HEADERS: [&str; 4] = ["subject", "outcome", "severity", "summary"];

impl Emitter<Document> for DecisionsText {
    fn emit(&self, out: &mut dyn io::Write, doc: &Document) -> io::Result<()> {
        writeln!(out, "{}", headline(doc))?;
        for policy in doc.policies() {
            writeln!(out, "\n{}", esc(policy))?;
            let decisions: Vec<_> = doc
                .decisions
                .iter()
                .filter(|d| d.policy == policy)
                .collect();
            let rows: Vec<[Cow<str>; 4]> = decisions
                .iter()
                .map(|d| {
                    [
                        esc(&d.subject),
                        // The effective outcome, marked when an exception set it.
                        match d.exception {
                            Some(_) => Cow::Owned(format!("{}*", esc(&d.outcome))),
                            None => esc(&d.outcome),
                        },
                        Cow::Borrowed(d.severity.as_str()),
                        esc(&d.explanation.summary),
                    ]
                })
                .collect();
            if rows.is_empty() {
                // A policy that ran and decided nothing is a result too.
                writeln!(out, "  no decisions")?;
                continue;
            }
            let headers = HEADERS.map(Cow::Borrowed);
            let widths: Vec<usize> = (0..3)
                .map(|c| {
                    rows.iter()
                        .chain([&headers])
                        .map(|r| r[c].width())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let exceptions = [None]
                .into_iter()
                .chain(decisions.iter().map(|d| d.exception.as_ref()));
            for (row, exception) in [&headers].into_iter().chain(&rows).zip(exceptions) {
                writeln!(
                    out,
                    "  {}  {}  {}  {}",
                    pad(&row[0], widths[0]),
                    pad(&row[1], widths[1]),
                    pad(&row[2], widths[2]),
                    row[3]
                )?;
                if let Some(e) = exception {
                    writeln!(out, "  {}  * {}", pad("", widths[0]), exception_note(e))?;
                }
            }
        }
        if !doc.warnings.is_empty() {
            writeln!(out)?;
            for w in &doc.warnings {
                writeln!(out, "warning: {}", esc(&w.message))?;
            }
        }
        Ok(())
    }
}

/// The text followed by spaces up to `width` terminal columns.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// `sprint 2026-S24 (acme): 54 decisions (39 info, 11 warn, 4 deny)`: the first line of
/// the text table and the last of a failing run's summary on stderr.
pub fn headline(doc: &Document) -> String {
    let t = &doc.totals;
    format!(
        "sprint {}{}: {} ({} info, {} warn, {} deny)",
        esc(&doc.sprint),
        doc.org
            .as_deref()
            .map(|o| format!(" ({})", esc(o)))
            .unwrap_or_default(),
        count(t.decisions, "decision"),
        t.info,
        t.warn,
        t.deny
    )
}

/// An applied exception in one line, escaped for the terminal.
pub fn exception_note(e: &AppliedException) -> String {
    esc(&e.describe()).into_owned()
}
