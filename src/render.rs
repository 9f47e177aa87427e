//! The human-readable view of a decisions document: a table per policy.

use std::fmt::Write;

use crate::decision::Document;

fn width(rows: &[[String; 4]], col: usize, header: &str) -> usize {
    rows.iter()
        .map(|r| r[col].chars().count())
        .chain([header.len()])
        .max()
        .unwrap_or(0)
}

fn pad(text: &str, width: usize) -> String {
    let n = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(n)))
}

/// Renders decisions grouped by policy: subject, outcome, severity and summary.
pub fn text(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "sprint {}{}: {} decisions ({} info, {} warn, {} deny)",
        doc.sprint,
        doc.org
            .as_deref()
            .map(|o| format!(" ({o})"))
            .unwrap_or_default(),
        doc.totals.decisions,
        doc.totals.info,
        doc.totals.warn,
        doc.totals.deny
    );
    let mut policies: Vec<&str> = doc.decisions.iter().map(|d| d.policy.as_str()).collect();
    policies.dedup();
    for policy in policies {
        let rows: Vec<[String; 4]> = doc
            .decisions
            .iter()
            .filter(|d| d.policy == policy)
            .map(|d| {
                [
                    d.subject.clone(),
                    d.outcome.clone(),
                    d.severity.as_str().to_owned(),
                    d.explanation.summary.clone(),
                ]
            })
            .collect();
        let headers = ["subject", "outcome", "severity", "summary"];
        let widths: Vec<usize> = (0..3).map(|c| width(&rows, c, headers[c])).collect();
        let _ = writeln!(out, "\n{policy}");
        let _ = writeln!(
            out,
            "  {}  {}  {}  {}",
            pad(headers[0], widths[0]),
            pad(headers[1], widths[1]),
            pad(headers[2], widths[2]),
            headers[3]
        );
        for r in &rows {
            let _ = writeln!(
                out,
                "  {}  {}  {}  {}",
                pad(&r[0], widths[0]),
                pad(&r[1], widths[1]),
                pad(&r[2], widths[2]),
                r[3]
            );
        }
    }
    out
}
