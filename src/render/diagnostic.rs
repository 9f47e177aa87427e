//! Renders errors for people: the location first, then the offending line with a caret,
//! then every problem of an invalid input. What a message quotes from a policy or a
//! snapshot (and the quoted source line) is escaped for the terminal, so an error cannot
//! print a forged line or recolour the log.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use crate::error::PolicyError;
use crate::snapshot::MAX_PROBLEMS;
use crate::text::{escape_terminal as esc, needs_escape, push_escaped};
use crate::Error;

/// Renders an error as the CLI prints it (without the leading `error: `).
pub fn render(err: &Error) -> String {
    match err {
        Error::Invalid { origin, problems }
        | Error::InvalidInput {
            origin, problems, ..
        } => {
            let kind = match err {
                Error::InvalidInput { kind, .. } => kind,
                _ => "snapshot",
            };
            let mut out = format!(
                "{}: invalid {kind}, {}:\n",
                esc(&origin.to_string()),
                crate::text::count(problems.len(), "problem")
            );
            for p in problems.iter().take(MAX_PROBLEMS) {
                let _ = writeln!(out, "  {}", esc(&p.to_string()));
            }
            if problems.len() > MAX_PROBLEMS {
                let _ = writeln!(out, "  ... and {} more", problems.len() - MAX_PROBLEMS);
            }
            out
        }
        Error::Policy(e) => policy(e),
        other => format!("{}\n", esc(&other.to_string())),
    }
}

/// Widest slice of a source line shown under an error, in characters.
const SHOWN_CHARS: usize = 100;

/// Renders one policy error or finding as a person reads it: location and message, the
/// source line with a caret, then the hint.
pub fn policy(e: &PolicyError) -> String {
    let mut out = format!("{}\n", esc(&e.to_string()));
    render_code(&mut out, e);
    if let Some(hint) = &e.hint {
        let _ = writeln!(out, "help: {}", esc(hint));
    }
    if !e.printed.is_empty() {
        let _ = writeln!(
            out,
            "note: the last {} of the {} lines the policy printed before it stopped:",
            e.printed.len(),
            e.printed_total
        );
        for line in &e.printed {
            let _ = writeln!(out, "  {}", esc(line));
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
    let shown: Vec<char> = code.chars().skip(start).take(SHOWN_CHARS).collect();
    let before = if start > 0 { "…" } else { "" };
    let after = if start + SHOWN_CHARS < length {
        "…"
    } else {
        ""
    };
    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    let _ = writeln!(out, "{gutter} |");
    // Tabs stay tabs (the caret's padding repeats them); other control and bidi
    // characters show escaped, as in the message above.
    let visible = |c: char| {
        let mut s = String::new();
        if c == '\t' || !needs_escape(c) {
            s.push(c);
        } else {
            push_escaped(&mut s, c);
        }
        s
    };
    let line_text: String = shown.iter().map(|&c| visible(c)).collect();
    let _ = writeln!(out, "{number} | {before}{line_text}{after}");
    if e.column.is_some() {
        // Columns count characters; the caret goes under the character, however many
        // terminal columns each one before it takes once shown.
        let mut pad: String = before.chars().map(|_| ' ').collect();
        for &c in shown.iter().take(col - 1 - start) {
            if c == '\t' {
                pad.push('\t');
            } else {
                pad.push_str(&" ".repeat(visible(c).width()));
            }
        }
        let _ = writeln!(out, "{gutter} | {pad}^");
    }
}

/// The same as data, for editors and CI (`--error-format json`): one object per error.
pub fn json(err: &Error) -> serde_json::Value {
    match err {
        Error::Policy(e) => policy_json(e),
        Error::Invalid { origin, problems }
        | Error::InvalidInput {
            origin, problems, ..
        } => serde_json::json!({
            "code": match err {
                Error::InvalidInput { kind, .. } => format!("invalid-{}", kind.replace(' ', "-")),
                _ => "invalid-snapshot".to_owned(),
            },
            "message": err.to_string(),
            "file": origin,
            "problems": problems
                .iter()
                .map(|p| serde_json::json!({"pointer": p.pointer, "message": p.message}))
                .collect::<Vec<_>>(),
        }),
        other => serde_json::json!({"code": "error", "message": other.to_string()}),
    }
}

/// One policy error or finding as data: code, message, file, line, column, span, hint.
pub fn policy_json(e: &PolicyError) -> serde_json::Value {
    serde_json::json!({
        "code": e.code.unwrap_or("policy-error"),
        "message": e.message,
        "file": e.path.display().to_string(),
        "line": e.line,
        "column": e.column,
        "span": e.span.or(e.column.map(|_| 1)),
        "hint": e.hint,
    })
}
