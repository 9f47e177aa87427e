//! `bursar diff` of two decisions documents: a small pack with a module
//! (`tests/fixtures/diff/`) evaluated on two sprints that differ in a module constant and in
//! the squads, pinned in each format, the JSON checked against `schemas/diff.schema.json`;
//! documents that cannot be read are refused with their location. Helpers here are shared
//! with `diff_attribution` and `verify`.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::support::{self, bursar};

pub(crate) const PACK: &str = "tests/fixtures/diff/pack";
pub(crate) const SPRINT: &str = "tests/fixtures/diff/sprint.json";

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub(crate) fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Copies `from` (a file or a folder) to `to`, recursively.
fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// A copy of the fixture `what` (`pack` or `sprint.json`) at `dir/name`, with each edit
/// (file within it, text, replacement) made exactly once.
pub(crate) fn edited(dir: &Path, what: &str, name: &str, edits: &[(&str, &str, &str)]) -> PathBuf {
    let to = dir.join(name);
    copy(&support::root().join("tests/fixtures/diff").join(what), &to);
    for (file, from, into) in edits {
        let path = if file.is_empty() {
            to.clone()
        } else {
            to.join(file)
        };
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` once in {}",
            path.display()
        );
        std::fs::write(&path, text.replacen(from, into, 1)).unwrap();
    }
    to
}

/// `bursar eval` of the snapshot with the pack, written to `out`.
pub(crate) fn eval(snapshot: &Path, pack: &Path, out: &Path) {
    let run = bursar(&[
        "eval",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--policies",
        pack.to_str().unwrap(),
        "--fail-on",
        "never",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
}

/// The temporary folder as a literal regular expression, for insta filters.
pub(crate) fn literal(path: &Path) -> String {
    path.display()
        .to_string()
        .chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// Checks a report against the shipped diff schema.
pub(crate) fn valid(report: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(support::root().join("schemas/diff.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("the diff schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{report:#}");
}

/// Two documents: the fixture pack on the fixture sprint, and next sprint (payments grew,
/// search grew, infra left, data joined) under a module that asks for 4 people, not 3.
fn two_documents(dir: &Path) -> (PathBuf, PathBuf) {
    let old = dir.join("old.json");
    eval(
        &support::root().join(SPRINT),
        &support::root().join(PACK),
        &old,
    );
    let sprint = edited(
        dir,
        "sprint.json",
        "next.json",
        &[
            ("", "2026-S24", "2026-S25"),
            (
                "",
                r#""payments", "headcount": 5"#,
                r#""payments", "headcount": 6"#,
            ),
            (
                "",
                r#""search", "headcount": 2"#,
                r#""search", "headcount": 4"#,
            ),
            (
                "",
                r#"{"id": "infra", "headcount": 4}"#,
                r#"{"id": "data", "headcount": 1}"#,
            ),
            ("", r#""squad": "infra""#, r#""squad": "data""#),
        ],
    );
    let pack = edited(
        dir,
        "pack",
        "pack4",
        &[(
            "lib/staffing.rhai",
            "MIN_HEADCOUNT = 3",
            "MIN_HEADCOUNT = 4",
        )],
    );
    let new = dir.join("new.json");
    eval(&sprint, &pack, &new);
    (old, new)
}

fn diff(args: &[&str]) -> Output {
    let mut all = vec!["diff"];
    all.extend(args);
    bursar(&all)
}

#[test]
fn two_documents_are_compared_in_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = two_documents(dir.path());
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let filters = [(literal(dir.path()), "[TMP]")];
    let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    for (name, extra) in [
        ("diff_text", &[][..]),
        ("diff_text_details", &["--details"][..]),
        ("diff_markdown", &["--format", "markdown"][..]),
        ("diff_json", &["--format", "json"][..]),
    ] {
        let mut args = vec![old, new];
        args.extend(extra);
        let out = diff(&args);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{}", stderr(&out));
        let text = stdout(&out);
        if name == "diff_json" {
            valid(&serde_json::from_str(&text).unwrap());
        }
        insta::with_settings!({filters => filters.clone()}, {
            insta::assert_snapshot!(name, text);
        });
    }
}

#[test]
fn the_json_report_lists_each_kind_of_difference() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = two_documents(dir.path());
    let out = diff(&[
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let subjects = |list: &str| -> Vec<String> {
        json[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["subject"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(subjects("changed"), ["search"]);
    assert_eq!(subjects("added"), ["data"]);
    assert_eq!(subjects("removed"), ["infra"]);
    assert_eq!(subjects("values_changed"), ["payments"]);
    let flip = &json["changed"][0]["checks"][0];
    assert_eq!(flip["label"], "headcount");
    assert_eq!(
        (&flip["old"]["actual"], &flip["old"]["threshold"]),
        (&2.into(), &3.into())
    );
    assert_eq!(
        (&flip["new"]["actual"], &flip["new"]["threshold"]),
        (&4.into(), &4.into())
    );
    assert_eq!(json["values_changed"][0]["values"][0]["old"], 5);
    assert_eq!(json["values_changed"][0]["values"][0]["new"], 6);
    let files = &json["inputs"]["files"];
    assert_eq!(files.as_array().unwrap().len(), 1, "{files}");
    assert_eq!(files[0]["file"], "lib/staffing.rhai");
    let fields: Vec<&str> = json["inputs"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["/inputs/snapshot_sha256", "/sprint"]);
    assert_eq!(json["totals"]["unchanged"], 0);
}

#[test]
fn the_same_document_twice_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("d.json");
    eval(
        &support::root().join(SPRINT),
        &support::root().join(PACK),
        &doc,
    );
    let doc = doc.to_str().unwrap();
    let out = diff(&[doc, doc]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("same inputs\n\n0 outcomes changed, 0 added, 0 removed, 0 otherwise changed, 3 unchanged\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn documents_it_cannot_read_are_refused_with_their_location() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    eval(
        &support::root().join(SPRINT),
        &support::root().join(PACK),
        &good,
    );
    let text = std::fs::read_to_string(&good).unwrap();
    let cases = [
        ("truncated.json", text[..40].to_owned()),
        ("format1.json", {
            let format = format!("\"format\": {}", bursar::DOCUMENT_FORMAT);
            assert!(text.contains(&format));
            text.replacen(&format, "\"format\": 1", 1)
        }),
        (
            "badseverity.json",
            text.replacen("\"severity\": \"warn\"", "\"severity\": \"loud\"", 1),
        ),
        ("array.json", "[]".to_owned()),
    ];
    let mut messages = String::new();
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = diff(&[good.to_str().unwrap(), path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(out.stdout.is_empty());
        messages.push_str(&stderr(&out));
    }
    let missing = diff(&[good.to_str().unwrap(), "tests/fixtures/diff/none.json"]);
    assert_eq!(missing.status.code(), Some(2));
    messages.push_str(&stderr(&missing));
    let filters = [(literal(dir.path()), "[TMP]")];
    let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    insta::with_settings!({filters => filters}, {
        insta::assert_snapshot!("diff_unreadable", messages);
    });
}

/// A document of `n` decisions of one policy, each `outcome`.
fn document(n: usize, outcome: &str) -> bursar::Document {
    document_of(n, outcome, "squad-")
}

/// Like `document`, subjects starting with `prefix`.
fn document_of(n: usize, outcome: &str, prefix: &str) -> bursar::Document {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.json");
    eval(
        &support::root().join(SPRINT),
        &support::root().join(PACK),
        &path,
    );
    let mut doc: bursar::Document =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let template = doc.decisions[0].clone();
    doc.decisions = (0..n)
        .map(|i| {
            let mut d = template.clone();
            d.subject = format!("{prefix}{i:02}");
            d.outcome = outcome.to_owned();
            d
        })
        .collect();
    doc
}

#[test]
fn markdown_folds_a_policy_with_more_than_ten_differences() {
    for (n, folded) in [(10, false), (11, true)] {
        let (old, new) = (document(n, "staffed"), document(n, "understaffed"));
        let json = |d: &bursar::Document| serde_json::to_value(d).unwrap();
        let side = bursar::DiffSide {
            document: Some("d.json".into()),
            ..Default::default()
        };
        let report = bursar::DiffReport::new(
            (side.clone(), &json(&old), &old),
            (side, &json(&new), &new),
            false,
        );
        let md = bursar::render(&bursar::DiffMarkdown, &report);
        let summary = format!("<details><summary>{n} differences</summary>");
        assert_eq!(md.contains(&summary), folded, "{n}:\n{md}");
        assert_eq!(md.contains("</details>"), folded, "{n}:\n{md}");
        assert_eq!(md.matches("| changed | squad-").count(), n);
    }
}

/// The cells of every table row of a Markdown text, read back as GitHub renders it
/// (tables and math on); `<br>` reads as a line break, anything else Markdown made of the
/// text as `{marker}`.
fn cells(markdown: &str) -> Vec<Vec<String>> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let options = Options::ENABLE_TABLES | Options::ENABLE_MATH | Options::ENABLE_GFM;
    let (mut rows, mut cell): (Vec<Vec<String>>, Option<String>) = (Vec::new(), None);
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => rows.last_mut().unwrap().push(cell.take().unwrap()),
            Event::Text(t) if cell.is_some() => cell.as_mut().unwrap().push_str(&t),
            Event::InlineHtml(h) if cell.is_some() && &*h == "<br>" => {
                cell.as_mut().unwrap().push('\n')
            }
            other if cell.is_some() => cell.as_mut().unwrap().push_str(&format!("{{{other:?}}}")),
            _ => {}
        }
    }
    rows
}

#[test]
fn markdown_shows_hostile_subjects_as_written() {
    let hostile = "a|b *c* <b>d</b> $x$ `e`\nf-";
    let (old, new) = (
        document_of(1, "staffed", hostile),
        document_of(1, "under|staffed", hostile),
    );
    let json = |d: &bursar::Document| serde_json::to_value(d).unwrap();
    let side = bursar::DiffSide {
        document: Some("d.json".into()),
        ..Default::default()
    };
    let report = bursar::DiffReport::new(
        (side.clone(), &json(&old), &old),
        (side, &json(&new), &new),
        false,
    );
    let md = bursar::render(&bursar::DiffMarkdown, &report);
    let rows = cells(&md);
    let row = rows
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "changed"))
        .unwrap_or_else(|| panic!("no changed row:\n{md}"));
    assert_eq!(row.len(), 5, "{row:?}\n{md}");
    assert_eq!(row[1], format!("{hostile}00"));
    assert_eq!(row[3], "under|staffed (info)");
}

#[test]
fn markdown_stays_under_the_comment_limit_and_says_what_it_cut() {
    let many = |outcome: &str| {
        let mut doc = document(1200, outcome);
        for (i, d) in doc.decisions.iter_mut().enumerate() {
            d.policy = format!("policy-{:02}", i % 40);
        }
        doc
    };
    let (old, new) = (many("staffed"), many("understaffed"));
    let json = |d: &bursar::Document| serde_json::to_value(d).unwrap();
    let side = |name: &str| bursar::DiffSide {
        document: Some(name.into()),
        ..Default::default()
    };
    let report = bursar::DiffReport::new(
        (side("old.json"), &json(&old), &old),
        (side("new.json"), &json(&new), &new),
        true,
    );
    let md = bursar::render(&bursar::DiffMarkdown, &report);
    let limit = bursar::DIFF_MARKDOWN_MAX_CHARS;
    assert!(
        md.chars().count() < limit,
        "{} characters",
        md.chars().count()
    );
    assert!(md.contains("**Cut to fit a pull-request comment"), "{md}");
    assert!(
        md.contains("`bursar diff --format json old.json new.json`"),
        "{md}"
    );
    // What is shown and what the note says was cut add up to every difference.
    let shown = md.matches("| changed | squad-").count();
    let note = md.split("**Cut to fit").nth(1).unwrap();
    let cut: usize = note
        .split(":** ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert_eq!(shown + cut, 1200, "{note}");
}
