//! The human-readable view of a decisions document: a table per policy, columns aligned
//! by display width so wide (CJK) subjects line up in a terminal.

use std::io;

use unicode_width::UnicodeWidthStr;

use super::emitter::Emitter;
use crate::decision::Document;
use crate::text::count;

pub struct TextEmitter;

const HEADERS: [&str; 4] = ["subject", "outcome", "severity", "summary"];

impl Emitter<Document> for TextEmitter {
    fn emit(&self, out: &mut dyn io::Write, doc: &Document) -> io::Result<()> {
        let t = &doc.totals;
        writeln!(
            out,
            "sprint {}{}: {} ({} info, {} warn, {} deny)",
            doc.sprint,
            doc.org
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default(),
            count(t.decisions, "decision"),
            t.info,
            t.warn,
            t.deny
        )?;
        for policy in doc.policies() {
            writeln!(out, "\n{policy}")?;
            let rows: Vec<[&str; 4]> = doc
                .decisions
                .iter()
                .filter(|d| d.policy == policy)
                .map(|d| {
                    [
                        d.subject.as_str(),
                        d.outcome.as_str(),
                        d.severity.as_str(),
                        d.explanation.summary.as_str(),
                    ]
                })
                .collect();
            if rows.is_empty() {
                // A policy that ran and decided nothing is a result too.
                writeln!(out, "  no decisions")?;
                continue;
            }
            let widths: Vec<usize> = (0..3)
                .map(|c| {
                    rows.iter()
                        .chain([&HEADERS])
                        .map(|r| r[c].width())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for row in [&HEADERS].into_iter().chain(&rows) {
                writeln!(
                    out,
                    "  {}  {}  {}  {}",
                    pad(row[0], widths[0]),
                    pad(row[1], widths[1]),
                    pad(row[2], widths[2]),
                    row[3]
                )?;
            }
        }
        Ok(())
    }
}

/// The text followed by spaces up to `width` terminal columns.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}
