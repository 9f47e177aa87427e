//! `--format markdown`: read back as GitHub-flavoured Markdown (with a CommonMark parser,
//! tables, strikethrough and math on, as GitHub renders them) to check what the insta
//! snapshots cannot: that text from the inputs shows as it was written, that the info
//! decisions are folded, and that a huge document still fits a pull-request comment.

use bursar::{Document, Severity};
use bursar::{Format, RenderContext};
use bursar::{MARKDOWN_MAX_CHARS as MAX_CHARS, MARKDOWN_MAX_ROWS as MAX_ROWS};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::render::fixture;
use crate::support;

fn markdown(doc: &Document, fail_on: Option<Severity>) -> String {
    let context = RenderContext {
        fail_on,
        policies: "policies".into(),
    };
    bursar::render(&*Format::Markdown.emitter(&context), doc)
}

/// A table as a reader sees it: its rows (the header first) of cells, and whether it
/// sits in a `<details>` fold.
#[derive(Debug)]
struct Table {
    folded: bool,
    rows: Vec<Vec<String>>,
}

/// What GitHub would show: every table, and every heading's text. Inside a cell or a
/// heading, text is kept as it reads, `<br>` as a line break, and anything else that
/// Markdown made of the input (emphasis, a link, code, math, HTML) as a `{marker}` that
/// no expected text contains.
fn read(markdown: &str) -> (Vec<Table>, Vec<String>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_MATH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    let (mut tables, mut headings) = (Vec::<Table>::new(), Vec::new());
    let mut folded = false;
    let mut text: Option<String> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Html(html) if html.contains("<details>") => folded = true,
            Event::Html(html) if html.contains("</details>") => folded = false,
            Event::Start(Tag::Table(_)) => tables.push(Table {
                folded,
                rows: Vec::new(),
            }),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                tables.last_mut().unwrap().rows.push(Vec::new())
            }
            Event::Start(Tag::TableCell | Tag::Heading { .. }) => text = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                let cell = text.take().unwrap();
                tables
                    .last_mut()
                    .unwrap()
                    .rows
                    .last_mut()
                    .unwrap()
                    .push(cell);
            }
            Event::End(TagEnd::Heading(_)) => headings.push(text.take().unwrap()),
            event => {
                if let Some(text) = text.as_mut() {
                    match event {
                        Event::Text(t) => text.push_str(&t),
                        Event::InlineHtml(h) if &*h == "<br>" => text.push('\n'),
                        other => text.push_str(&format!("{{{other:?}}}")),
                    }
                }
            }
        }
    }
    // The totals table aside: only decisions' tables, whose first column is the subject.
    tables.retain(|t| t.rows[0][0] == "subject");
    (tables, headings)
}

/// Everything Markdown or HTML would read as markup, and line breaks.
const HOSTILE: &str = "a|b *c* _d_ __e__ [f](g) ![h](i) [^j] <b>k</b> &amp; \\l `m` $n$ ~o~ #";

#[test]
fn text_from_the_inputs_shows_as_written() {
    let (_, mut doc) = fixture("one-decision");
    doc.sprint = format!("S1 {HOSTILE}");
    doc.org = Some("<script>x</script>".into());
    let d = &mut doc.decisions[0];
    d.severity = Severity::Warn;
    d.subject = HOSTILE.into();
    d.outcome = "re|view".into();
    d.explanation.summary = format!("first\nsecond\r\nthird | {HOSTILE} costs $5 and $6");
    let summary = d.explanation.summary.clone();
    crate::render::recount(&mut doc);
    let out = markdown(&doc, Some(Severity::Deny));
    // Escaping `>` alone already stops every tag; `<` is escaped as well, in case.
    assert!(out.contains(" (&lt;script&gt;x&lt;/script&gt;)\n"), "{out}");
    let (tables, headings) = read(&out);
    assert_eq!(
        headings[0],
        format!("bursar: sprint S1 {HOSTILE} (<script>x</script>)"),
        "{out}"
    );
    let table = tables
        .iter()
        .find(|t| t.rows[0] == ["subject", "outcome", "severity", "summary"])
        .unwrap_or_else(|| panic!("no warn table:\n{out}"));
    assert_eq!(
        table.rows[1],
        [
            HOSTILE.to_owned(),
            "re|view".to_owned(),
            "warn".to_owned(),
            summary.replace("\r\n", "\n"),
        ],
        "{out}"
    );
}

/// On the example: each warn and deny decision is a row of its policy's table in view,
/// each info decision a row of a folded one, in the document's order.
#[test]
fn info_decisions_are_folded_and_the_rest_in_view() {
    let (_, doc) = fixture("example");
    let out = markdown(&doc, Some(Severity::Deny));
    let (tables, _) = read(&out);
    let mut shown = Vec::new();
    for table in &tables {
        let columns = table.rows[0].len();
        assert_eq!(table.folded, columns == 3, "{table:?}");
        for row in &table.rows[1..] {
            assert_eq!(row.len(), columns, "{row:?}");
            shown.push((row[0].clone(), row[1].clone(), table.folded));
        }
    }
    let mut expected = Vec::new();
    for policy in doc.policies() {
        for folded in [false, true] {
            expected.extend(
                doc.decisions
                    .iter()
                    .filter(|d| d.policy == policy && (d.severity == Severity::Info) == folded)
                    .map(|d| (d.subject.clone(), d.outcome.clone(), folded)),
            );
        }
    }
    assert_eq!(shown, expected);
    assert!(
        out.contains("<details><summary>12 info decisions</summary>\n\n"),
        "{out}"
    );
}

/// `--fail-on` as the run applies it, with the example's counts stated (4 deny, 11 warn).
#[test]
fn the_summary_says_whether_the_run_fails() {
    let (_, example) = fixture("example");
    let (_, clean) = fixture("one-decision");
    for (doc, fail_on, verdict) in [
        (
            &example,
            Some(Severity::Deny),
            "**Failing:** 4 decisions at or above `deny`.",
        ),
        (
            &example,
            Some(Severity::Warn),
            "**Failing:** 15 decisions at or above `warn`.",
        ),
        (&example, None, "Nothing fails the run (`--fail-on never`)."),
        (
            &clean,
            Some(Severity::Info),
            "**Failing:** 1 decision at or above `info`.",
        ),
        (
            &clean,
            Some(Severity::Warn),
            "**Passing:** no decision at or above `warn`.",
        ),
    ] {
        let out = markdown(doc, fail_on);
        assert_eq!(out.lines().nth(2), Some(verdict), "{out}");
    }
}

#[test]
fn policies_that_decided_nothing_are_named_and_inputs_close_the_summary() {
    let (_, doc) = fixture("silent-policies");
    let out = markdown(&doc, Some(Severity::Deny));
    let silent: Vec<&str> = doc
        .inputs
        .policies
        .iter()
        .filter(|p| !doc.decisions.iter().any(|d| d.policy == p.name))
        .map(|p| p.name.as_str())
        .collect();
    assert!(
        silent.len() >= 2,
        "the fixture has policies that decided nothing"
    );
    let line = format!("**Decided nothing:** {}.", silent.join(", "));
    assert!(out.contains(&format!("\n{line}\n")), "{out}");
    for policy in &silent {
        assert!(!out.contains(&format!("### {policy}")), "{out}");
    }
    let tail: Vec<&str> = out.lines().rev().take(4).collect();
    assert_eq!(
        tail,
        [
            format!("- rhai: {}", doc.rhai),
            format!("- engine: {}", doc.engine),
            format!("- pack: sha256 {}", doc.inputs.pack_sha256),
            format!("- snapshot: sha256 {}", doc.inputs.snapshot_sha256),
        ]
    );
}

/// `n` copies of the document's first decision as policy `policy`, `severity`, with
/// summaries of `width` characters.
fn many(doc: &mut Document, policy: &str, severity: Severity, n: usize, width: usize) {
    let model = doc.decisions[0].clone();
    for i in 0..n {
        let mut d = model.clone();
        d.policy = policy.into();
        d.severity = severity;
        d.subject = format!("s-{i:05}");
        d.explanation.summary = format!("{i:05} {}", "x".repeat(width));
        doc.decisions.push(d);
    }
    crate::render::recount(doc);
}

/// GitHub refuses a comment over 65,536 characters.
const GITHUB_LIMIT: usize = 65_536;

#[test]
fn a_long_table_stops_at_the_row_cap_and_says_how_many_more() {
    let (_, mut doc) = fixture("one-decision");
    many(&mut doc, "health", Severity::Warn, 300, 10);
    let out = markdown(&doc, Some(Severity::Deny));
    let (tables, _) = read(&out);
    assert_eq!(tables[0].rows.len() - 1, MAX_ROWS);
    assert_eq!(MAX_ROWS, 200);
    assert!(
        out.contains("\n_100 of 300 not shown here: the decisions document has them all._\n"),
        "{out}"
    );
}

#[test]
fn a_huge_document_still_fits_a_comment_and_warn_rows_come_first() {
    let (_, mut doc) = fixture("example");
    many(&mut doc, "zz-bulk", Severity::Info, 1_000, 400);
    many(&mut doc, "zz-bulk", Severity::Warn, 1_000, 400);
    doc.decisions
        .sort_by(|a, b| (&a.policy, &a.subject).cmp(&(&b.policy, &b.subject)));
    let out = markdown(&doc, Some(Severity::Deny));
    let chars = out.chars().count();
    assert!(
        chars <= MAX_CHARS && MAX_CHARS < GITHUB_LIMIT,
        "{chars} characters"
    );
    // The room went to warn and deny rows, the example's and then the bulk's, until it
    // ran out; no info row took any of it.
    let (tables, _) = read(&out);
    assert!(tables.iter().all(|t| !t.folded), "{out}");
    let bulk = out.find("### zz-bulk").unwrap();
    let (bulk_tables, _) = read(&out[bulk..]);
    let shown = bulk_tables[0].rows.len() - 1;
    assert!(shown > 10, "{shown} rows of the bulk shown");
    assert!(
        out.contains(&format!("_{} of 1000 not shown here", 1_000 - shown)),
        "{out}"
    );
    // Every info table says it left its rows out.
    assert!(out.contains("_12 of 12 not shown here"), "{out}");
}

#[test]
fn a_giant_summary_is_cut_not_dropped() {
    let (_, mut doc) = fixture("one-decision");
    let d = &mut doc.decisions[0];
    d.severity = Severity::Deny;
    d.explanation.summary = "|".repeat(200_000);
    crate::render::recount(&mut doc);
    let out = markdown(&doc, Some(Severity::Deny));
    let (tables, _) = read(&out);
    let summary = &tables[0].rows[1][3];
    assert_eq!(*summary, format!("{}…", "|".repeat(999)));
    assert!(out.chars().count() < 5_000);
}

#[test]
fn eval_writes_the_summary() {
    let out = support::bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--format",
        "markdown",
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("## bursar: sprint 2026-S24 (acme)\n\n**Failing:** 4 decisions"),
        "{stdout}"
    );
}
