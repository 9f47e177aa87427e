//! The renderers over shared fixture documents (`tests/fixtures/render/`, decisions
//! documents as `eval` wrote them): every emitter pinned on every fixture, plus what a
//! snapshot review could miss, checked against the documents themselves.

use bursar::Document;
use bursar::{Format, RenderContext};

use crate::support;

/// Each fixture is an edge a renderer must handle: the full example, policies that ran
/// and decided nothing, a single decision, squad and workflow ids in CJK script, and the
/// example with audited exceptions applied and not applied.
pub(crate) const FIXTURES: [&str; 5] = [
    "example",
    "silent-policies",
    "one-decision",
    "wide-subjects",
    "exceptions",
];

// A slice, so a format added beside these is one line.
const EMITTERS: &[(&str, Format)] = &[
    ("text", Format::Text),
    ("json", Format::Json),
    ("junit", Format::Junit),
    ("sarif", Format::Sarif),
    ("github", Format::Github),
    ("markdown", Format::Markdown),
];

pub(crate) fn fixture(name: &str) -> (String, Document) {
    let path = support::root().join(format!("tests/fixtures/render/{name}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a decisions document: {e}", path.display()));
    (text, doc)
}

/// The document's totals recounted from its decisions, for a test that changed some:
/// one per decision, and one per severity.
pub(crate) fn recount(doc: &mut Document) {
    let mut totals = bursar::Totals::default();
    for d in &doc.decisions {
        totals.decisions += 1;
        match d.severity {
            bursar::Severity::Info => totals.info += 1,
            bursar::Severity::Warn => totals.warn += 1,
            bursar::Severity::Deny => totals.deny += 1,
        }
    }
    doc.totals = totals;
}

/// The context `eval` gives emitters by default: `--fail-on deny`, `--policies policies`.
pub(crate) fn context() -> RenderContext {
    RenderContext {
        fail_on: Some(bursar::Severity::Deny),
        policies: "policies".into(),
    }
}

fn emit(format: Format, doc: &Document) -> String {
    bursar::render(&*format.emitter(&context()), doc)
}

fn text(doc: &Document) -> String {
    emit(Format::Text, doc)
}

#[test]
fn every_emitter_is_pinned_on_every_fixture() {
    for name in FIXTURES {
        let (_, doc) = fixture(name);
        for &(emitter, format) in EMITTERS {
            let out = emit(format, &doc);
            insta::assert_snapshot!(format!("{emitter}__{name}"), out);
        }
    }
}

#[test]
fn json_gives_back_the_bytes_eval_wrote() {
    for name in FIXTURES {
        let (written, doc) = fixture(name);
        let out = emit(Format::Json, &doc);
        assert!(
            out == written,
            "{name}: the json emitter changed the document"
        );
    }
}

#[test]
fn one_decision_is_counted_in_the_singular() {
    let (_, doc) = fixture("one-decision");
    assert_eq!(doc.decisions.len(), 1);
    let out = text(&doc);
    let first = out.lines().next().unwrap();
    assert!(first.contains(": 1 decision ("), "{first}");
}

#[test]
fn every_policy_that_ran_is_shown_even_when_it_decided_nothing() {
    let (_, doc) = fixture("silent-policies");
    let out = text(&doc);
    let mut silent = 0;
    for policy in &doc.inputs.policies {
        let decided = doc.decisions.iter().any(|d| d.policy == policy.name);
        let heading = format!("\n\n{}\n", policy.name);
        assert!(
            out.contains(&heading),
            "{} has no heading:\n{out}",
            policy.name
        );
        if !decided {
            silent += 1;
            let empty = format!("\n\n{}\n  no decisions\n", policy.name);
            assert!(
                out.contains(&empty),
                "{} is not shown as empty:\n{out}",
                policy.name
            );
        }
    }
    assert!(silent > 0, "the fixture has a policy that decided nothing");
}

/// Terminal columns of the characters these fixtures use: East Asian wide characters
/// (CJK ideographs, kana, full-width forms) take two, everything else here one.
fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| match c {
            '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FF00}'..='\u{FF60}'
            | '\u{FFE0}'..='\u{FFE6}' => 2,
            _ => 1,
        })
        .sum()
}

#[test]
fn columns_line_up_on_screen_with_wide_subjects() {
    let (_, doc) = fixture("wide-subjects");
    assert!(
        doc.decisions
            .iter()
            .any(|d| columns(&d.subject) > d.subject.chars().count()),
        "the fixture has wide subjects"
    );
    let out = text(&doc);
    let lines: Vec<&str> = out.lines().collect();
    let mut policies: Vec<&str> = doc.decisions.iter().map(|d| d.policy.as_str()).collect();
    policies.dedup();
    for policy in policies {
        // Where the summary column starts on screen, for the header and every row.
        let mut starts = Vec::new();
        let table = lines.iter().position(|l| *l == policy).unwrap() + 1;
        let header = lines[table];
        starts.push(columns(&header[..header.find("summary").unwrap()]));
        for d in doc.decisions.iter().filter(|d| d.policy == policy) {
            let line = lines[table + 1..]
                .iter()
                .take_while(|l| !l.is_empty())
                .find(|l| l.starts_with(&format!("  {} ", d.subject)))
                .unwrap_or_else(|| panic!("no row for {}:\n{out}", d.subject));
            let summary = &d.explanation.summary;
            assert!(line.ends_with(summary.as_str()), "{line}");
            starts.push(columns(&line[..line.len() - summary.len()]));
        }
        assert!(
            starts.iter().all(|&s| s == starts[0]),
            "{policy}: summaries start at columns {starts:?}:\n{out}"
        );
    }
}
