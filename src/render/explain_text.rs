//! `explain` for a person: each decision with its summary, checks (exact values, the
//! operator, the threshold, pass or fail, the policy line), values, evidence and any
//! exception, then the decisions it drew on, indented beneath it, recursively. Every
//! string from the document is escaped for the terminal.

use std::io;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::emitter::Emitter;
use super::text::exception_note;
use crate::explain::{Explanation, Node};
use crate::text::{count, escape_terminal as esc};

pub struct ExplainTextEmitter;

impl Emitter<Explanation<'_>> for ExplainTextEmitter {
    fn emit(&self, out: &mut dyn io::Write, item: &Explanation<'_>) -> io::Result<()> {
        writeln!(
            out,
            "sprint {}: {} about `{}`",
            esc(item.sprint),
            count(item.explained.len(), "decision"),
            esc(item.subject)
        )?;
        for node in &item.explained {
            writeln!(out)?;
            emit_node(out, node, 0)?;
        }
        Ok(())
    }
}

fn emit_node(out: &mut dyn io::Write, node: &Node<'_>, depth: usize) -> io::Result<()> {
    let d = node.decision;
    let pad = "    ".repeat(depth);
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
                let threshold = match &c.unit {
                    Some(unit) => format!("{} {}", compact(&c.threshold), esc(unit)),
                    None => compact(&c.threshold),
                };
                [
                    if c.pass { "pass" } else { "FAIL" }.to_owned(),
                    esc(&c.label).into_owned(),
                    compact(&c.actual),
                    format!("{} {threshold}", c.op),
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
            writeln!(out, "{pad}  {name}{gap}  {}", compact(value))?;
        }
    }
    if let Some(evidence) = &d.explanation.evidence {
        writeln!(out, "{pad}evidence: {}", evidence_line(evidence))?;
    }
    for link in &node.unresolved {
        writeln!(
            out,
            "{pad}because {} `{}`: not in the document",
            esc(&link.policy),
            esc(&link.subject)
        )?;
    }
    if !node.drew_on.is_empty() {
        writeln!(out, "{pad}because:")?;
        for other in &node.drew_on {
            emit_node(out, other, depth + 1)?;
        }
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

/// A value exactly as the document holds it (strings without quotes), escaped.
fn compact(value: &Value) -> String {
    match value {
        Value::String(s) => esc(s).into_owned(),
        other => esc(&other.to_string()).into_owned(),
    }
}
