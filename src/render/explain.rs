//! `explain` for a person: each decision once, with its summary, checks (the values, the
//! operator, the threshold, pass or fail, the policy line), values, evidence and any
//! exception, then the decisions it drew on, indented beneath it. A decision shown before
//! is pointed back to ("see above"), a cycle is named; indentation stops deepening past
//! a few levels (the depth is written instead), so the output is linear in the document.
//! Every string from the document is escaped for the terminal.

use std::io;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::audit::explain::{Entry, Explanation, Shown};
use crate::operator::Unit;
use crate::render::Emitter;
use crate::render::decisions::text::exception_note;
use crate::text::{count, escape_terminal as esc};

pub struct ExplainText;

impl Emitter<Explanation<'_>> for ExplainText {
    fn emit(&self, out: &mut dyn io::Write, item: &Explanation<'_>) -> io::Result<()> {
        writeln!(
            out,
            "sprint {}: {} about `{}`",
            esc(item.sprint),
            count(item.asked, "decision"),
            esc(item.subject)
        )?;
        for entry in &item.entries {
            if entry.depth == 0 {
                writeln!(out)?;
            }
            emit_entry(out, entry, item.currency)?;
        }
        Ok(())
    }
}

/// Deepest indentation; past it the depth is written, so a long chain stays linear.
const MAX_INDENT: usize = 8;

// long: one decision's lines in the order a reader meets them (headline, summary,
// checks, values, links), with the indent and currency they share
fn emit_entry(out: &mut dyn io::Write, entry: &Entry<'_>, currency: &str) -> io::Result<()> {
    let d = entry.decision;
    let mut pad = "    ".repeat(entry.depth.min(MAX_INDENT));
    if entry.depth > MAX_INDENT {
        pad.push_str(&format!("[depth {}] ", entry.depth));
    }
    let by = match &d.exception {
        Some(e) => format!(" by exception `{}`", esc(&e.id)),
        None => String::new(),
    };
    writeln!(
        out,
        "{pad}{} `{}`: {} ({}){by}",
        esc(&d.policy),
        esc(&d.subject),
        esc(&d.outcome),
        d.severity.as_str()
    )?;
    let pad = format!("{pad}  ");
    if let Some(site) = &d.site {
        writeln!(out, "{pad}decided at {}", esc(&site.describe()))?;
    }
    writeln!(out, "{pad}{}", esc(&d.explanation.summary))?;
    if let Some(e) = &d.exception {
        writeln!(out, "{pad}{}", exception_note(e))?;
    }
    if !d.explanation.checks.is_empty() {
        writeln!(out, "{pad}checks:")?;
        let rows: Vec<[String; 5]> = d
            .explanation
            .checks
            .iter()
            .map(|c| {
                let unit = c.unit.as_ref();
                let threshold = match unit {
                    Some(Unit::Micros) => {
                        format!("{} {}", shown(&c.threshold, unit), esc(currency))
                    }
                    Some(other) => format!("{} {}", shown(&c.threshold, unit), esc(other.as_str())),
                    None => shown(&c.threshold, unit),
                };
                [
                    if c.pass { "pass" } else { "FAIL" }.to_owned(),
                    esc(&c.label).into_owned(),
                    shown(&c.actual, unit),
                    format!("{} {threshold}", esc(c.op.as_str())),
                    esc(&c.at).into_owned(),
                ]
            })
            .collect();
        let width = |i: usize| rows.iter().map(|r| r[i].width()).max().unwrap_or(0);
        let widths = [width(0), width(1), width(2), width(3)];
        for row in &rows {
            write!(out, "{pad}  ")?;
            for (cell, w) in row.iter().zip(widths) {
                write!(
                    out,
                    "{cell}{}  ",
                    " ".repeat(w.saturating_sub(cell.width()))
                )?;
            }
            writeln!(out, "{}", row[4])?;
        }
    }
    if !d.values.is_empty() {
        writeln!(out, "{pad}values:")?;
        let width = d.values.keys().map(|k| esc(k).width()).max().unwrap_or(0);
        for (name, value) in &d.values {
            let name = esc(name);
            let gap = " ".repeat(width.saturating_sub(name.width()));
            let unit = Unit::of_name(&name);
            writeln!(out, "{pad}  {name}{gap}  {}", shown(value, unit.as_ref()))?;
        }
    }
    if let Some(evidence) = &d.explanation.evidence {
        writeln!(out, "{pad}evidence: {}", evidence_line(evidence))?;
    }
    let below = entry.drew_on.iter().any(|r| r.shown == Shown::Below);
    for r in entry.drew_on.iter().filter(|r| r.shown != Shown::Below) {
        let what = match r.shown {
            Shown::Above => "see above",
            Shown::Cycle => "a cycle: this decision is among those that drew on it, above",
            _ => "not in the document",
        };
        writeln!(
            out,
            "{pad}because {} `{}`: {what}",
            esc(&r.policy),
            esc(&r.subject)
        )?;
    }
    if below {
        writeln!(out, "{pad}because:")?;
    }
    Ok(())
}

/// Evidence fields the default pack writes, in the order a person reads them; any others
/// follow by name.
const EVIDENCE_ORDER: [&str; 4] = ["runs", "grouped_runs", "first_run_id", "last_run_id"];

/// `runs 8, first_run_id r-000101, last_run_id r-000388`: each field of the evidence.
fn evidence_line(evidence: &Value) -> String {
    match evidence {
        Value::Object(fields) => {
            let rank = |k: &str| EVIDENCE_ORDER.iter().position(|o| *o == k);
            let mut fields: Vec<(&String, &Value)> = fields.iter().collect();
            fields.sort_by_key(|(k, _)| (rank(k).unwrap_or(EVIDENCE_ORDER.len()), k.as_str()));
            let parts: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{} {}", esc(k), compact(v)))
                .collect();
            parts.join(", ")
        }
        other => compact(other),
    }
}

/// A value for a person (money in currency units, floats rounded), escaped.
fn shown(value: &Value, unit: Option<&Unit>) -> String {
    esc(&crate::render::diff::text::number(value, unit)).into_owned()
}

/// A value exactly as the document holds it (strings without quotes), escaped.
fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => esc(s).into_owned(),
        other => esc(&other.to_string()).into_owned(),
    }
}
