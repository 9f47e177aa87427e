//! Renders errors for people: the location first, then the offending line with a caret,
//! then every problem of an invalid input.

use std::fmt::Write;

use crate::host::PolicyError;
use crate::snapshot::MAX_PROBLEMS;
use crate::Error;

/// Renders an error as the CLI prints it (without the leading `error: `).
pub fn render(err: &Error) -> String {
    match err {
        Error::Invalid { origin, problems } => {
            let mut out = format!(
                "{origin}: invalid snapshot, {} problem{}:\n",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
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

fn render_policy(e: &PolicyError) -> String {
    let mut out = format!("{e}\n");
    let (Some(text), Some(line)) = (&e.source_text, e.line) else {
        return out;
    };
    let Some(code) = text.lines().nth(line.saturating_sub(1)) else {
        return out;
    };
    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{number} | {code}");
    if let Some(col) = e.column {
        // Columns count characters; keep tabs so the caret lines up under them.
        let pad: String = code
            .chars()
            .take(col.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let _ = writeln!(out, "{gutter} | {pad}^");
    }
    out
}
