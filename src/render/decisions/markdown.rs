//! A summary of a decisions document in GitHub-flavoured Markdown, for a pull-request
//! comment or `$GITHUB_STEP_SUMMARY`: the sprint, whether the run fails, totals, a table
//! per policy of its warn and deny decisions with the info ones folded away, and the
//! recorded inputs. GitHub refuses a comment over 65,536 characters, so the rows are
//! capped and every table says how many it left out.

use std::fmt::Write as _;
use std::io;

use crate::decision::{self, Decision, Document, Severity, Totals};
use crate::render::Emitter;
use crate::text::count;

/// The most characters a summary takes: GitHub's comment limit (65,536) less room for
/// what a workflow wraps around it (a heading, a marker to update the same comment).
pub const MAX_CHARS: usize = 60_000;
/// The most rows of one table: past this a table is not read in a comment anyway.
pub const MAX_ROWS: usize = 200;
/// The most characters of one cell, so that one very long summary cannot take the room
/// of every other row.
const MAX_CELL: usize = 1_000;

const FLAGGED_HEADER: &str =
    "| subject | outcome | severity | summary |\n| --- | --- | --- | --- |\n";
const INFO_HEADER: &str = "| subject | outcome | summary |\n| --- | --- | --- |\n";

pub struct DecisionsMarkdown {
    /// `--fail-on`, to say whether this run fails and why.
    fail_on: Option<Severity>,
}

impl DecisionsMarkdown {
    pub fn new(fail_on: Option<Severity>) -> Self {
        Self { fail_on }
    }
}

/// One table's rows, rendered, and how many of them fit.
struct Table {
    rows: Vec<String>,
    shown: usize,
}

/// One policy: its counts, its warn and deny decisions, and its info ones.
struct Section<'a> {
    policy: &'a str,
    totals: Totals,
    flagged: Table,
    info: Table,
}

impl Emitter<Document> for DecisionsMarkdown {
    fn emit(&self, out: &mut dyn io::Write, doc: &Document) -> io::Result<()> {
        let mut sections = sections(doc);
        // Rendered with no rows, the summary is everything but the tables, each with its
        // "not shown" line at its largest: what is left of the limit is the tables'.
        let frame = self.render(doc, &sections).chars().count();
        allocate(&mut sections, MAX_CHARS.saturating_sub(frame));
        out.write_all(self.render(doc, &sections).as_bytes())
    }
}

fn sections(doc: &Document) -> Vec<Section<'_>> {
    doc.policies()
        .into_iter()
        .map(|policy| {
            let decisions: Vec<&Decision> = doc
                .decisions
                .iter()
                .filter(|d| d.policy == policy)
                .collect();
            let rows = |flagged: bool| Table {
                rows: decisions
                    .iter()
                    .filter(|d| (d.severity >= Severity::Warn) == flagged)
                    .map(|d| row(d, flagged))
                    .collect(),
                shown: 0,
            };
            Section {
                policy,
                totals: decision::totals(decisions.iter().copied()),
                flagged: rows(true),
                info: rows(false),
            }
        })
        .collect()
}

fn row(d: &Decision, with_severity: bool) -> String {
    let severity = if with_severity {
        format!(" {} |", d.severity.as_str())
    } else {
        String::new()
    };
    // An exception's outcome is marked, and the summary says what the policy decided.
    let (outcome, summary) = match &d.exception {
        Some(e) => (
            format!("{} (exception)", d.outcome),
            format!("{} ({})", d.explanation.summary, e.describe()),
        ),
        None => (d.outcome.clone(), d.explanation.summary.clone()),
    };
    format!(
        "| {} | {} |{severity} {} |\n",
        cell(&d.subject),
        cell(&outcome),
        cell(&summary)
    )
}

/// Shows rows in order, warn and deny tables first (they are why a run fails), then the
/// info ones, until `budget` characters are spent or a table has its `MAX_ROWS`.
fn allocate(sections: &mut [Section], mut budget: usize) {
    for s in sections.iter_mut() {
        if !fill(&mut s.flagged, FLAGGED_HEADER, &mut budget) {
            return;
        }
    }
    for s in sections.iter_mut() {
        if !fill(&mut s.info, INFO_HEADER, &mut budget) {
            return;
        }
    }
}

/// Takes the rows of `table` that fit; false once the budget is spent.
fn fill(table: &mut Table, header: &str, budget: &mut usize) -> bool {
    // The header and the blank line after the table come with its first row.
    let mut spent = header.chars().count() + 1;
    let mut fits = true;
    for row in table.rows.iter().take(MAX_ROWS) {
        let next = spent + row.chars().count();
        if next > *budget {
            fits = false;
            break;
        }
        spent = next;
        table.shown += 1;
    }
    if table.shown > 0 {
        *budget -= spent;
    }
    fits
}

impl DecisionsMarkdown {
    fn render(&self, doc: &Document, sections: &[Section]) -> String {
        let mut out = String::new();
        let org = doc
            .org
            .as_deref()
            .map(|o| format!(" ({})", escape(o)))
            .unwrap_or_default();
        let _ = writeln!(out, "## bursar: sprint {}{org}\n", escape(&doc.sprint));
        let _ = writeln!(out, "{}\n", self.verdict(doc));
        let t = &doc.totals;
        let _ = writeln!(
            out,
            "| deny | warn | info | decisions |\n| ---: | ---: | ---: | ---: |\n| {} | {} | {} | {} |\n",
            t.deny, t.warn, t.info, t.decisions
        );
        for s in sections.iter().filter(|s| s.totals.decisions > 0) {
            let _ = writeln!(out, "### {}: {}\n", escape(s.policy), counts(&s.totals));
            table(&mut out, FLAGGED_HEADER, &s.flagged);
            if !s.info.rows.is_empty() {
                let _ = writeln!(
                    out,
                    "<details><summary>{}</summary>\n",
                    count(s.info.rows.len(), "info decision")
                );
                table(&mut out, INFO_HEADER, &s.info);
                out.push_str("</details>\n\n");
            }
        }
        let silent: Vec<String> = sections
            .iter()
            .filter(|s| s.totals.decisions == 0)
            .map(|s| escape(s.policy))
            .collect();
        if !silent.is_empty() {
            let _ = writeln!(out, "**Decided nothing:** {}.\n", silent.join(", "));
        }
        if !doc.warnings.is_empty() {
            out.push_str("**Warnings:**\n\n");
            for w in &doc.warnings {
                let _ = writeln!(out, "- {}", escape(&w.message));
            }
            out.push('\n');
        }
        let inputs = &doc.inputs;
        let _ = writeln!(
            out,
            "#### Inputs\n\n- snapshot: sha256 {}\n- pack: sha256 {}\n- engine: {}\n- rhai: {}",
            escape(&inputs.snapshot_sha256),
            escape(&inputs.pack_sha256),
            escape(&doc.engine),
            escape(&doc.rhai)
        );
        if let Some(sha256) = &inputs.exceptions_sha256 {
            let _ = writeln!(out, "- exceptions: sha256 {}", escape(sha256));
        }
        out
    }

    /// Whether the run fails, as `eval` decides its exit status from `--fail-on`.
    fn verdict(&self, doc: &Document) -> String {
        let Some(threshold) = self.fail_on else {
            return "Nothing fails the run (`--fail-on never`).".to_owned();
        };
        let failing = doc
            .decisions
            .iter()
            .filter(|d| d.severity >= threshold)
            .count();
        if failing == 0 {
            format!(
                "**Passing:** no decision at or above `{}`.",
                threshold.as_str()
            )
        } else {
            format!(
                "**Failing:** {} at or above `{}`.",
                count(failing, "decision"),
                threshold.as_str()
            )
        }
    }
}

/// A table's shown rows, then how many it left out.
fn table(out: &mut String, header: &str, table: &Table) {
    if table.shown > 0 {
        out.push_str(header);
        for row in &table.rows[..table.shown] {
            out.push_str(row);
        }
        // Without a blank line, the next paragraph would be read as one more row.
        out.push('\n');
    }
    let hidden = table.rows.len() - table.shown;
    if hidden > 0 {
        let _ = writeln!(
            out,
            "_{hidden} of {} not shown here: the decisions document has them all._\n",
            table.rows.len()
        );
    }
}

/// `1 deny, 7 warn, 5 info`, leaving out the severities a policy did not decide.
fn counts(t: &Totals) -> String {
    [(t.deny, "deny"), (t.warn, "warn"), (t.info, "info")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, severity)| format!("{n} {severity}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A table cell: escaped, and cut at `MAX_CELL` characters.
pub(crate) fn cell(text: &str) -> String {
    if text.chars().count() <= MAX_CELL {
        return escape(text);
    }
    let cut: String = text.chars().take(MAX_CELL - 1).collect();
    escape(&cut) + "…"
}

/// Text from the inputs as literal text in GitHub Markdown, in a table cell or not: `|`
/// would end a cell and a line break the row (`<br>` keeps it), `<`, `>` and `&` would be
/// HTML, and the rest would become emphasis, code, links, headings' closing `#`s, or
/// math between `$`s.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                escaped.push_str("<br>");
            }
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '#' | '$' => {
                escaped.push('\\');
                escaped.push(c);
            }
            c => escaped.push(c),
        }
    }
    escaped
}
