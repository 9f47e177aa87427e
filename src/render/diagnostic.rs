//! Renders errors for people: the location first, then the offending line with a caret,
//! then every problem of an invalid input.

use std::fmt::Write;

use crate::error::PolicyError;
use crate::snapshot::MAX_PROBLEMS;
use crate::Error;

/// Renders an error as the CLI prints it (without the leading `error: `).
pub fn render(err: &Error) -> String {
    match err {
        Error::Invalid { origin, problems } => {
            let mut out = format!(
                "{origin}: invalid snapshot, {}:\n",
                crate::text::count(problems.len(), "problem")
            );
            for p in problems.iter().take(MAX_PROBLEMS) {
                let _ = writeln!(out, "  {p}");
            }
            if problems.len() > MAX_PROBLEMS {
                let _ = writeln!(out, "  ... and {} more", problems.len() - MAX_PROBLEMS);
            }
            out
        }
        Error::Policy(e) => render_policy(e),
        other => format!("{other}\n"),
    }
}

/// Widest slice of a source line shown under an error, in characters.
const SHOWN_CHARS: usize = 100;

fn render_policy(e: &PolicyError) -> String {
    let mut out = format!("{e}\n");
    render_code(&mut out, e);
    if !e.printed.is_empty() {
        let _ = writeln!(
            out,
            "note: the last {} of the {} lines the policy printed before it stopped:",
            e.printed.len(),
            e.printed_total
        );
        for line in &e.printed {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

fn render_code(out: &mut String, e: &PolicyError) {
    let (Some(text), Some(line)) = (&e.source_text, e.line) else {
        return;
    };
    let Some(code) = text.lines().nth(line.saturating_sub(1)) else {
        return;
    };
    // A generated or minified line can be megabytes long: show the part around the column.
    let col = e.column.unwrap_or(1).max(1);
    let length = code.chars().count();
    let start = if length <= SHOWN_CHARS {
        0
    } else {
        (col - 1)
            .saturating_sub(SHOWN_CHARS / 2)
            .min(length - SHOWN_CHARS)
    };
    let shown: String = code.chars().skip(start).take(SHOWN_CHARS).collect();
    let before = if start > 0 { "…" } else { "" };
    let after = if start + SHOWN_CHARS < length {
        "…"
    } else {
        ""
    };
    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{number} | {before}{shown}{after}");
    if e.column.is_some() {
        // Columns count characters; keep tabs so the caret lines up under them.
        let pad: String = before
            .chars()
            .map(|_| ' ')
            .chain(
                shown
                    .chars()
                    .take(col - 1 - start)
                    .map(|c| if c == '\t' { '\t' } else { ' ' }),
            )
            .collect();
        let _ = writeln!(out, "{gutter} | {pad}^");
    }
}
