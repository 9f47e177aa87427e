//! Provenance (`d.because`) in the document, and `bursar explain`: one decision with the
//! chain of decisions it drew on, down to the runs; the nearest subjects when unknown.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{self, bursar};

/// The example evaluated into `dir`, as `eval` writes it.
fn example_document(dir: &Path) -> PathBuf {
    let out = dir.join("decisions.json");
    let run = bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--fail-on",
        "never",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0));
    out
}

fn explain(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["explain"];
    all.extend(args);
    let run = bursar(&all);
    (
        run.status.code(),
        String::from_utf8(run.stdout).unwrap(),
        String::from_utf8(run.stderr).unwrap(),
    )
}

#[test]
fn the_default_pack_links_allocations_to_credits_and_credits_to_promotions() {
    let doc = support::evaluate(&support::example());
    let payments = doc.find("allocation", "payments").unwrap();
    let links: Vec<(&str, &str)> = payments
        .because
        .iter()
        .map(|l| (l.policy.as_str(), l.subject.as_str()))
        .collect();
    assert_eq!(links, [("crediting", "refactor+tests/B@payments")]);
    // A squad with no credit draws on nothing.
    assert!(
        doc.find("allocation", "data-eng")
            .unwrap()
            .because
            .is_empty()
    );
    for d in doc.decisions.iter().filter(|d| d.policy == "crediting") {
        let variant = d.subject.split('@').next().unwrap();
        let links: Vec<(&str, &str)> = d
            .because
            .iter()
            .map(|l| (l.policy.as_str(), l.subject.as_str()))
            .collect();
        assert_eq!(links, [("promotion", variant)], "{}", d.subject);
    }
    // Every link leads to a decision of the document, and each allocation names exactly
    // the credits whose tokens it added.
    for d in &doc.decisions {
        for l in &d.because {
            assert!(doc.find(&l.policy, &l.subject).is_some(), "{l:?}");
        }
        if d.policy == "allocation" {
            let credited: i64 = d
                .because
                .iter()
                .map(|l| {
                    doc.find(&l.policy, &l.subject).unwrap().values["tokens"]
                        .as_i64()
                        .unwrap()
                })
                .sum();
            assert_eq!(
                d.values["credit_tokens"].as_i64(),
                Some(credited),
                "{}",
                d.subject
            );
        }
    }
}

#[test]
fn explain_shows_an_allocation_with_its_credits_down_to_the_runs() {
    let dir = tempfile::tempdir().unwrap();
    let doc = example_document(dir.path());
    let doc = doc.to_str().unwrap();
    // infra's allocation adds two co-credits, each following a promotion candidate.
    let (code, text, stderr) = explain(&[doc, "infra"]);
    assert_eq!(code, Some(0), "{stderr}");
    insta::assert_snapshot!("explain_allocation_text", text);
    let (code, json, _) = explain(&[doc, "infra", "--format", "json"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("explain_allocation_json", json);
    // The chain as data: allocation <- credits <- promotion candidates, with their runs,
    // each decision once, each link pointing at the entry shown for it.
    let v: Value = serde_json::from_str(&json).unwrap();
    let entries = v["entries"].as_array().unwrap();
    let entry = |r: &Value| &entries[r["entry"].as_u64().unwrap() as usize];
    let credits: Vec<&Value> = entries[0]["drew_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(entry)
        .collect();
    let chain: Vec<(&str, &str, &str, i64)> = credits
        .iter()
        .map(|c| {
            let p = entry(&c["drew_on"][0]);
            (
                c["subject"].as_str().unwrap(),
                c["outcome"].as_str().unwrap(),
                p["outcome"].as_str().unwrap(),
                p["explanation"]["evidence"]["runs"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        chain,
        [
            ("bugfix-triage/C@infra", "co-credit", "candidate", 12),
            ("flaky-test-hunt/A@infra", "co-credit", "candidate", 12)
        ]
    );
    assert_eq!(entries.len(), 5);
    for c in credits {
        assert_eq!(entry(&c["drew_on"][0])["drew_on"], serde_json::json!([]));
    }
}

#[test]
fn explain_names_the_nearest_subjects_and_policies_when_one_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let doc = example_document(dir.path());
    let doc = doc.to_str().unwrap();
    let shown = |stderr: String| stderr.replace(doc, "[doc]");
    let (code, out, stderr) = explain(&[doc, "paymnets"]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert_eq!(
        shown(stderr),
        "error: `[doc]` has no decision about `paymnets`; the nearest subjects: `payments` (allocation)\n"
    );
    let (code, _, stderr) = explain(&[doc, "tu-1", "--policy", "topup"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        shown(stderr),
        "error: `[doc]` has no decision of policy `topup`; its nearest policies: `topups`\n"
    );
    // Known policy, subject it did not decide: the nearest among that policy's subjects.
    let (code, _, stderr) = explain(&[doc, "refactor+tests/B", "--policy", "crediting"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        shown(stderr),
        "error: `[doc]` has no decision about `refactor+tests/B` by policy `crediting`; the \
         nearest subjects: `refactor+tests/B@checkout` (crediting), `refactor+tests/B@payments` (crediting)\n"
    );
}

#[test]
fn a_subject_several_policies_decided_is_explained_for_each_unless_one_is_named() {
    // A squad called `org`: allocation and health both decide a subject `org`.
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("sprint.json");
    let text = std::fs::read_to_string(support::example())
        .unwrap()
        .replace("\"data-eng\"", "\"org\"");
    std::fs::write(&snapshot, text).unwrap();
    let out = dir.path().join("decisions.json");
    let run = bursar(&[
        "eval",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--fail-on",
        "never",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let doc = out.to_str().unwrap();
    let (code, text, _) = explain(&[doc, "org"]);
    assert_eq!(code, Some(0));
    assert!(
        text.starts_with("sprint 2026-S24: 2 decisions about `org`\n"),
        "{text}"
    );
    assert!(
        text.contains("\nallocation `org`: allocate (info)\n"),
        "{text}"
    );
    assert!(
        text.contains("\nhealth `org`: violation (deny)\n"),
        "{text}"
    );
    let (code, text, _) = explain(&[doc, "org", "--policy", "health"]);
    assert_eq!(code, Some(0));
    assert!(
        text.starts_with("sprint 2026-S24: 1 decision about `org`\n"),
        "{text}"
    );
    assert!(!text.contains("allocation"), "{text}");
}

#[test]
fn explain_shows_the_exception_beside_what_the_policy_decided() {
    let dir = tempfile::tempdir().unwrap();
    let exceptions = dir.path().join("exceptions.json");
    std::fs::write(
        &exceptions,
        r#"[{"id": "EX-7", "policy": "topups", "subject": "tu-15", "outcome": "ok",
             "severity": "info", "reason": "justified in the forum minutes of 2026-11-12",
             "approved_by": "budget-forum", "expires": "2026-12-31"}]"#,
    )
    .unwrap();
    let out = dir.path().join("decisions.json");
    let run = bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--exceptions",
        exceptions.to_str().unwrap(),
        "--fail-on",
        "never",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0));
    let (code, text, _) = explain(&[out.to_str().unwrap(), "tu-15"]);
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("explain_exception_text", text);
}

#[test]
fn explain_refuses_what_is_not_a_decisions_document() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("snapshot-not-decisions.json");
    std::fs::copy(support::example(), &file).unwrap();
    let (code, out, stderr) = explain(&[file.to_str().unwrap(), "payments"]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    let stderr = stderr.replace(&dir.path().display().to_string(), "[dir]");
    insta::assert_snapshot!("explain_not_a_document", stderr);
}
