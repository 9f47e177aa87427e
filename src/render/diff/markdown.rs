//! The diff report in GitHub-flavoured Markdown, for a pull-request comment: a summary
//! table, the inputs that differ, then per policy a table of its differences (flipped
//! checks and changed values in the last column). A policy with many differences is
//! folded in `<details>`, and a table stops at `MAX_ROWS` rows, saying how many it left.
//! The whole stays under GitHub's limit for a comment (`MAX_CHARS`): policies that do
//! not fit are cut, and a note says which and where the whole report is. Every name and
//! value is escaped as the decisions summary escapes them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use crate::audit::compare::{Cause, Change, Lone};
use crate::audit::diff_report::Report;
use crate::render::Emitter;
use crate::render::decisions::markdown::{MAX_ROWS, cell};
use crate::render::diff::text::{field_name, flip_words, number};

/// Most characters of a pull-request comment GitHub accepts.
pub const MAX_CHARS: usize = 65_536;

/// Room kept for the note that says what was cut.
const NOTE_ROOM: usize = 4_096;

/// Policies named in that note, at most.
const NOTE_NAMES: usize = 20;

/// Rows a policy's table shows before it is folded away.
const UNFOLDED_ROWS: usize = 10;

const HEADER: &str = "| | subject | before | after | details |\n| --- | --- | --- | --- | --- |\n";
const HEADER_CAUSE: &str =
    "| | subject | before | after | cause | details |\n| --- | --- | --- | --- | --- | --- |\n";

/// The diff report as Markdown, for a pull request comment.
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
    rows.extend(t.values_changed.map(|n| ("otherwise changed", n)));
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
    let mut cut: Vec<(&str, usize)> = Vec::new();
    for (policy, rows) in grouped {
        let section = section(policy, &rows, attributed);
        if cut.is_empty() && out.chars().count() + section.chars().count() + NOTE_ROOM <= MAX_CHARS
        {
            out.push_str(&section);
        } else {
            cut.push((policy, rows.len()));
        }
    }
    if !cut.is_empty() {
        out.push_str(&cut_note(report, &cut));
    }
    out
}

/// One policy's table, folded when long.
fn section(policy: &str, rows: &[String], attributed: bool) -> String {
    let mut out = String::new();
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
    let mut shown = 0;
    for row in rows.iter().take(MAX_ROWS) {
        out.push_str(row);
        shown += 1;
    }
    if rows.len() > shown {
        let _ = write!(
            out,
            "\n{} more not shown (the JSON report has them all).\n",
            rows.len() - shown
        );
    }
    if fold {
        out.push_str("\n</details>\n");
    }
    out
}

/// What was cut to stay under the limit, and where the whole report is.
fn cut_note(report: &Report, cut: &[(&str, usize)]) -> String {
    let rows: usize = cut.iter().map(|(_, n)| n).sum();
    let mut names: Vec<String> = cut
        .iter()
        .take(NOTE_NAMES)
        .map(|(p, n)| format!("{} ({n})", cell(p)))
        .collect();
    if cut.len() > NOTE_NAMES {
        names.push(format!("and {} more", cut.len() - NOTE_NAMES));
    }
    let whole = match (&report.old.document, &report.new.document) {
        (Some(o), Some(n)) => format!("`bursar diff --format json {} {}`", cell(o), cell(n)),
        _ => "the same `bursar diff` with `--format json`".to_owned(),
    };
    format!(
        "\n**Cut to fit a pull-request comment ({MAX_CHARS} characters):** {rows} \
         differences of {} are not shown here: {}. The whole report: {whole}.\n",
        if cut.len() == 1 {
            "1 policy".to_owned()
        } else {
            format!("{} policies", cut.len())
        },
        names.join(", ")
    )
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
    let verdict = |v: &crate::audit::compare::Verdict| {
        format!("{} ({})", cell(&v.outcome), v.severity.as_str())
    };
    for (what, c) in d
        .changed
        .iter()
        .map(|c| ("changed", c))
        .chain(d.values_changed.iter().flatten().map(|c| ("other", c)))
    {
        let row = format!(
            "| {what} | {} | {} | {} |{} {} |\n",
            cell(&c.subject),
            verdict(&c.old),
            verdict(&c.new),
            cause_cell(c.cause, attributed),
            details(c, report.details)
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
            match &l.site {
                Some(site) => cell(&format!(
                    "{} (decided at {})",
                    l.verdict.summary,
                    site.describe()
                )),
                None => cell(&l.verdict.summary),
            }
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

/// The checks that differ, what else differs, then (with `--details`) the changed values,
/// one per line of the cell.
fn details(c: &Change, values: bool) -> String {
    let mut lines: Vec<String> = c
        .checks
        .iter()
        .map(|f| cell(&format!("check {}", flip_words(f))))
        .collect();
    if !c.fields.is_empty() {
        lines.push(cell(&format!("also differs: {}", c.fields.join(", "))));
    }
    if let Some(site) = &c.site {
        lines.push(cell(&format!("decided at {}", site.describe())));
    }
    if values {
        for v in &c.values {
            let unit = crate::operator::Unit::of_name(&v.name);
            let show = |v: &Option<serde_json::Value>| {
                v.as_ref()
                    .map_or("(none)".to_owned(), |v| number(v, unit.as_ref()))
            };
            lines.push(cell(&format!(
                "{}: {} → {}",
                v.name,
                show(&v.old),
                show(&v.new)
            )));
        }
    }
    lines.join("<br>")
}
