//! The diff report in GitHub-flavoured Markdown, for a pull-request comment: a summary
//! table, the inputs that differ, then per policy a table of its differences (flipped
//! checks and changed values in the last column). A policy with many differences is
//! folded in `<details>`, and a table stops at `MAX_ROWS` rows, saying how many it left.
//! Every name and value is escaped as the decisions summary escapes them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use super::diff_text::{field_name, flip_words};
use super::emitter::Emitter;
use super::markdown::{cell, MAX_ROWS};
use crate::compare::{Cause, Change, Lone};
use crate::diff_report::Report;

/// Rows a policy's table shows before it is folded away.
const UNFOLDED_ROWS: usize = 10;

const HEADER: &str = "| | subject | before | after | details |\n| --- | --- | --- | --- | --- |\n";
const HEADER_CAUSE: &str =
    "| | subject | before | after | cause | details |\n| --- | --- | --- | --- | --- | --- |\n";

pub struct DiffMarkdown;

impl Emitter<Report> for DiffMarkdown {
    fn emit(&self, out: &mut dyn io::Write, report: &Report) -> io::Result<()> {
        out.write_all(markdown(report).as_bytes())
    }
}

fn markdown(report: &Report) -> String {
    let mut out = format!(
        "## bursar diff\n\n{} → {} (sprint {} → {})\n\n",
        cell(&report.old.name()),
        cell(&report.new.name()),
        cell(&report.old.sprint),
        cell(&report.new.sprint)
    );
    let t = &report.totals;
    out.push_str("| decisions | count |\n| --- | ---: |\n");
    let mut rows = vec![
        ("outcome changed", t.changed),
        ("added", t.added),
        ("removed", t.removed),
    ];
    rows.extend(t.values_changed.map(|n| ("values changed", n)));
    rows.push(("unchanged", t.unchanged));
    for (name, n) in rows {
        let _ = writeln!(out, "| {name} | {n} |");
    }
    if let Some(causes) = &t.causes {
        out.push_str("\n| cause | differences |\n| --- | ---: |\n");
        for (cause, n) in causes {
            let _ = writeln!(out, "| {} | {n} |", cause.as_str());
        }
    }
    inputs(&mut out, report);
    let attributed = report.attributed();
    let grouped = by_policy(report, attributed);
    if grouped.is_empty() {
        out.push_str("\nNo decision differs.\n");
        return out;
    }
    out.push_str("\n### Differences\n");
    for (policy, rows) in grouped {
        let _ = write!(out, "\n#### {} ({})\n\n", cell(policy), rows.len());
        let fold = rows.len() > UNFOLDED_ROWS;
        if fold {
            let _ = write!(
                out,
                "<details><summary>{} differences</summary>\n\n",
                rows.len()
            );
        }
        out.push_str(if attributed { HEADER_CAUSE } else { HEADER });
        for row in rows.iter().take(MAX_ROWS) {
            out.push_str(row);
        }
        if rows.len() > MAX_ROWS {
            let _ = write!(
                out,
                "\n{} more not shown (the JSON report has them all).\n",
                rows.len() - MAX_ROWS
            );
        }
        if fold {
            out.push_str("\n</details>\n");
        }
    }
    out
}

fn inputs(out: &mut String, report: &Report) {
    let changes = &report.inputs;
    if changes.is_empty() {
        out.push_str("\nSame recorded inputs.\n");
        return;
    }
    out.push_str("\n### Inputs that differ\n\n");
    for f in &changes.files {
        let kind = match f.list.as_str() {
            "policies" => "policy",
            "modules" => "module",
            _ => "file",
        };
        let _ = writeln!(out, "- {kind} {} {}", cell(&f.file), f.status.as_str());
    }
    for f in &changes.fields {
        let show = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .map_or("(none)".to_owned(), |v| cell(&v.to_string()))
        };
        let _ = writeln!(
            out,
            "- {}: {} → {}",
            cell(&field_name(&f.field)),
            show(&f.old),
            show(&f.new)
        );
    }
}

fn cause_cell(cause: Option<Cause>, attributed: bool) -> String {
    match (attributed, cause) {
        (true, Some(c)) => format!(" {} |", c.as_str()),
        (true, None) => " |".to_owned(),
        (false, _) => String::new(),
    }
}

/// Each policy's rows, in subject order.
fn by_policy(report: &Report, attributed: bool) -> BTreeMap<&str, Vec<String>> {
    let d = &report.diff;
    let mut rows: BTreeMap<(&str, &str), String> = BTreeMap::new();
    let verdict =
        |v: &crate::compare::Verdict| format!("{} ({})", cell(&v.outcome), v.severity.as_str());
    for (what, c) in d
        .changed
        .iter()
        .map(|c| ("changed", c))
        .chain(d.values_changed.iter().flatten().map(|c| ("values", c)))
    {
        let row = format!(
            "| {what} | {} | {} | {} |{} {} |\n",
            cell(&c.subject),
            verdict(&c.old),
            verdict(&c.new),
            cause_cell(c.cause, attributed),
            details(c)
        );
        rows.insert((&c.policy, &c.subject), row);
    }
    let lone = |what: &str, l: &Lone, before: bool| {
        let (old, new) = if before {
            (verdict(&l.verdict), String::new())
        } else {
            (String::new(), verdict(&l.verdict))
        };
        format!(
            "| {what} | {} | {old} | {new} |{} {} |\n",
            cell(&l.subject),
            cause_cell(l.cause, attributed),
            cell(&l.verdict.summary)
        )
    };
    for l in &d.added {
        rows.insert((&l.policy, &l.subject), lone("added", l, false));
    }
    for l in &d.removed {
        rows.insert((&l.policy, &l.subject), lone("removed", l, true));
    }
    let mut grouped: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for ((policy, _), row) in rows {
        grouped.entry(policy).or_default().push(row);
    }
    grouped
}

/// Flipped checks, then changed values, one per line of the cell.
fn details(c: &Change) -> String {
    let mut lines: Vec<String> = c
        .checks
        .iter()
        .map(|f| cell(&format!("check {}", flip_words(f))))
        .collect();
    for v in &c.values {
        let show = |v: &Option<serde_json::Value>| {
            v.as_ref().map_or("(none)".to_owned(), ToString::to_string)
        };
        lines.push(cell(&format!(
            "{}: {} → {}",
            v.name,
            show(&v.old),
            show(&v.new)
        )));
    }
    lines.join("<br>")
}
