//! `explain` over graphs of `because` links built for the test: a ladder reached once per
//! decision, a long chain in linear output, a cycle named as one.

use std::path::PathBuf;

use serde_json::Value;

use crate::render::explain::ExplainText;
use crate::{Document, Limits, Link};

/// The diff fixture's sprint evaluated with its pack, as `bursar eval` records it.
fn recorded() -> Document {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    crate::evaluate(
        &root.join("tests/fixtures/diff/sprint.json"),
        &root.join("tests/fixtures/diff/pack"),
        Limits::default(),
    )
    .unwrap()
    .document
}

/// A document of `decisions` built from the fixture's first decision, with `because`
/// links given as (from, to) indices.
fn graph(n: usize, policy_of: impl Fn(usize) -> String, links: &[(usize, usize)]) -> Document {
    let mut doc = recorded();
    let template = doc.decisions[0].clone();
    doc.decisions = (0..n)
        .map(|i| {
            let mut d = template.clone();
            d.policy = policy_of(i);
            d.subject = format!("s{i}");
            d
        })
        .collect();
    for &(from, to) in links {
        let link = Link {
            policy: doc.decisions[to].policy.clone(),
            subject: doc.decisions[to].subject.clone(),
        };
        doc.decisions[from].because.push(link);
    }
    doc
}

fn explained(doc: &Document, subject: &str) -> (String, Value) {
    let e = super::explain(doc, subject, None).unwrap();
    let text = crate::render::to_string(&ExplainText, &e);
    let json = serde_json::to_value(&e).unwrap();
    (text, json)
}

#[test]
fn explain_shows_each_decision_of_a_ladder_once_and_points_back() {
    // 30 rungs of two decisions; each decision of a rung draws on both of the rung below:
    // as a tree that is 2^29 paths, as a graph 60 decisions.
    let rungs = 30;
    let links: Vec<(usize, usize)> = (1..rungs)
        .flat_map(|r| [(0, 0), (0, 1), (1, 0), (1, 1)].map(|(a, b)| (2 * r + a, 2 * (r - 1) + b)))
        .collect();
    let doc = graph(2 * rungs, |i| format!("p{:02}", i / 2), &links);
    let top = format!("s{}", 2 * rungs - 1);
    let (text, json) = explained(&doc, &top);
    let entries = json["entries"].as_array().unwrap();
    // Everything below the top decision's rung is reached: 1 + 2 × 29 decisions, once each.
    assert_eq!(entries.len(), 1 + 2 * (rungs - 1));
    let headers = text
        .lines()
        .filter(|l| l.contains(": ") && l.contains("`s"))
        .count();
    assert!(text.contains("see above"), "{text}");
    assert!(headers <= 2 * rungs + 2 * 2 * rungs, "{headers}");
    assert!(text.len() < 200 * 1024, "{} bytes", text.len());
}

#[test]
fn explain_ends_on_a_long_chain_with_output_linear_in_it() {
    let size = |n: usize| {
        let links: Vec<(usize, usize)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let doc = graph(n, |i| format!("p{}", i % 7), &links);
        let (text, json) = explained(&doc, "s0");
        assert_eq!(json["entries"].as_array().unwrap().len(), n);
        text.len()
    };
    let (small, large) = (size(10_000), size(100_000));
    // Ten times the links, about ten times the output (never the square).
    assert!(large < small * 12, "{small} → {large}");
}

#[test]
fn a_cycle_is_named_as_a_cycle() {
    let doc = graph(3, |i| format!("p{i}"), &[(0, 1), (1, 2), (2, 0)]);
    let (text, json) = explained(&doc, "s0");
    assert_eq!(json["entries"].as_array().unwrap().len(), 3);
    assert_eq!(json["entries"][2]["drew_on"][0]["shown"], "cycle");
    assert!(text.contains("p0 `s0`: a cycle"), "{text}");
    assert!(!text.contains("not in the document"), "{text}");
}
