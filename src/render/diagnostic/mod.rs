//! Renders errors for people and for tools. For people: the location first, then the
//! offending source with the mistake underlined and a hint, drawn by miette (report.rs),
//! then every problem of an invalid input. For tools: the same as JSON (data.rs). What a
//! message quotes from a policy or a snapshot (and the quoted source) is escaped for the
//! terminal, so an error cannot print a forged line or recolour the log.

mod data;
mod excerpt;
mod report;

use std::fmt::Write;

use crate::Error;
use crate::error::PolicyError;
use crate::snapshot::MAX_PROBLEMS;
use crate::text::escape_terminal as esc;

pub use data::{error as json, other as other_json, policy as policy_json};

/// Renders an error as the CLI prints it (without the leading `error: `), without colour.
pub fn render(err: &Error) -> String {
    render_with(err, false)
}

/// [`render`], with colour when `colour` (the CLI decides: only for a terminal).
pub fn render_with(err: &Error, colour: bool) -> String {
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
        Error::Policy(e) => policy_with(e, colour),
        other => format!("{}\n", esc(&other.to_string())),
    }
}

/// Renders one policy error or finding as a person reads it, without colour: location
/// and message, the source with the mistake underlined, the hint, then the last lines
/// the policy printed.
pub fn policy(e: &PolicyError) -> String {
    policy_with(e, false)
}

/// [`policy`], with colour when `colour`.
pub fn policy_with(e: &PolicyError, colour: bool) -> String {
    let mut out = report::render(e, colour);
    if !e.printed.is_empty() {
        let _ = writeln!(
            out,
            "  note: the last {} of the {} lines the policy printed before it stopped:",
            e.printed.len(),
            e.printed_total
        );
        for line in &e.printed {
            let _ = writeln!(out, "    {}", esc(line));
        }
    }
    out
}

#[cfg(test)]
mod tests;
