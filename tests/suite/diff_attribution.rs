//! `bursar diff` given two snapshots and two packs: each change labelled with its cause,
//! on a case where only the data changed, one where only the policy did, and one where
//! only both together give the new result. Expectations follow from the fixture pack's
//! rule (staffed when headcount ≥ the module's minimum), not from the attribution code.

use std::path::Path;

use serde_json::Value;

use crate::diff::{PACK, SPRINT, edited, literal, stderr, stdout, valid};
use crate::support::{self, bursar};

fn crossed(old: (&Path, &Path), new: (&Path, &Path), format: &str) -> std::process::Output {
    bursar(&[
        "diff",
        "--old-snapshot",
        old.0.to_str().unwrap(),
        "--old-policies",
        old.1.to_str().unwrap(),
        "--new-snapshot",
        new.0.to_str().unwrap(),
        "--new-policies",
        new.1.to_str().unwrap(),
        "--format",
        format,
    ])
}

/// (subject, cause) of every listed difference, and the totals per cause.
fn causes(json: &Value) -> (Vec<(String, String)>, Value) {
    let mut listed = Vec::new();
    for list in ["changed", "added", "removed", "values_changed"] {
        for c in json[list].as_array().unwrap() {
            listed.push((
                c["subject"].as_str().unwrap().to_owned(),
                c["cause"].as_str().unwrap().to_owned(),
            ));
        }
    }
    listed.sort();
    (listed, json["totals"]["causes"].clone())
}

fn run_json(old: (&Path, &Path), new: (&Path, &Path)) -> Value {
    let out = crossed(old, new, "json");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    valid(&json);
    json
}

#[test]
fn only_the_data_changed() {
    let dir = tempfile::tempdir().unwrap();
    let pack = support::root().join(PACK);
    let old = support::root().join(SPRINT);
    // search grows to 4 people: staffed under the same pack.
    let new = edited(
        dir.path(),
        "sprint.json",
        "grown.json",
        &[(
            "",
            r#""search", "headcount": 2"#,
            r#""search", "headcount": 4"#,
        )],
    );
    let json = run_json((&old, &pack), (&new, &pack));
    let (listed, totals) = causes(&json);
    assert_eq!(listed, [("search".to_owned(), "data".to_owned())]);
    assert_eq!(
        totals,
        serde_json::json!({"policy": 0, "data": 1, "both": 0, "either": 0})
    );
}

#[test]
fn only_the_policy_changed() {
    let dir = tempfile::tempdir().unwrap();
    let old_pack = support::root().join(PACK);
    // Two people are enough now: search (2) becomes staffed on the same sprint.
    let new_pack = edited(
        dir.path(),
        "pack",
        "pack2",
        &[(
            "lib/staffing.rhai",
            "MIN_HEADCOUNT = 3",
            "MIN_HEADCOUNT = 2",
        )],
    );
    let sprint = support::root().join(SPRINT);
    let json = run_json((&sprint, &old_pack), (&sprint, &new_pack));
    let (listed, _) = causes(&json);
    // search flips; infra and payments keep their outcome but their threshold moved, a
    // difference all the same.
    let policy = |s: &str| (s.to_owned(), "policy".to_owned());
    assert_eq!(
        listed,
        [policy("infra"), policy("payments"), policy("search")]
    );
    assert_eq!(json["changed"].as_array().unwrap().len(), 1);
    assert_eq!(json["inputs"]["files"][0]["file"], "lib/staffing.rhai");
}

#[test]
fn both_changed_and_each_change_is_attributed() {
    let dir = tempfile::tempdir().unwrap();
    let old_pack = support::root().join(PACK);
    let old_sprint = support::root().join(SPRINT);
    // The policy renames `staffed` to `well-staffed`; the data grows search to 4 and adds
    // a squad of 5. payments and infra: renamed by the policy alone. search: the old pack
    // on the new data says `staffed`, the new pack on the old data `understaffed`, so only
    // both give `well-staffed`. ops: only in the new data; under the old pack it would be
    // `staffed`, under the new one `well-staffed`: both.
    let new_pack = edited(
        dir.path(),
        "pack",
        "renamed",
        &[(
            "squads.rhai",
            r#"d.record("staffed""#,
            r#"d.record("well-staffed""#,
        )],
    );
    let new_sprint = edited(
        dir.path(),
        "sprint.json",
        "next.json",
        &[
            (
                "",
                r#""search", "headcount": 2"#,
                r#""search", "headcount": 4"#,
            ),
            (
                "",
                r#"{"id": "infra", "headcount": 4}"#,
                r#"{"id": "infra", "headcount": 4}, {"id": "ops", "headcount": 5}"#,
            ),
            (
                "",
                r#"{"squad": "infra", "baseline_tokens": 1000000}"#,
                r#"{"squad": "infra", "baseline_tokens": 1000000}, {"squad": "ops", "baseline_tokens": 1000000}"#,
            ),
        ],
    );
    let json = run_json((&old_sprint, &old_pack), (&new_sprint, &new_pack));
    let (listed, totals) = causes(&json);
    let want: Vec<(String, String)> = [
        ("infra", "policy"),
        ("ops", "both"),
        ("payments", "policy"),
        ("search", "both"),
    ]
    .iter()
    .map(|(s, c)| (s.to_string(), c.to_string()))
    .collect();
    assert_eq!(listed, want);
    assert_eq!(
        totals,
        serde_json::json!({"policy": 2, "data": 0, "both": 2, "either": 0})
    );

    let filters = [(literal(dir.path()), "[TMP]")];
    let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    for format in ["text", "markdown"] {
        let out = crossed((&old_sprint, &old_pack), (&new_sprint, &new_pack), format);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let text = stdout(&out).replace(&support::root().display().to_string(), "[ROOT]");
        insta::with_settings!({filters => filters.clone()}, {
            insta::assert_snapshot!(format!("attribution_{format}"), text);
        });
    }
}

#[test]
fn a_missing_fourth_input_is_refused() {
    let out = bursar(&[
        "diff",
        "--old-snapshot",
        SPRINT,
        "--old-policies",
        PACK,
        "--new-snapshot",
        SPRINT,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("takes all four of"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn exceptions_go_with_their_pack() {
    let dir = tempfile::tempdir().unwrap();
    let pack = support::root().join(PACK);
    let sprint = support::root().join(SPRINT);
    let exceptions = dir.path().join("exceptions.json");
    std::fs::write(
        &exceptions,
        r#"[{"id": "EX-1", "policy": "squads", "subject": "search", "outcome": "staffed", "severity": "info", "reason": "a hire starts next week", "approved_by": "forum", "expires": "2026-12-31"}]"#,
    )
    .unwrap();
    let (s, p, e) = (
        sprint.to_str().unwrap(),
        pack.to_str().unwrap(),
        exceptions.to_str().unwrap(),
    );
    let out = bursar(&[
        "diff",
        "--old-snapshot",
        s,
        "--old-policies",
        p,
        "--new-snapshot",
        s,
        "--new-policies",
        p,
        "--new-exceptions",
        e,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    valid(&json);
    let (listed, _) = causes(&json);
    assert_eq!(listed, [("search".to_owned(), "policy".to_owned())]);
    assert_eq!(
        json["inputs"]["fields"][0]["field"],
        "/inputs/exceptions_sha256"
    );
}

#[test]
fn standard_input_for_both_snapshots_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("report.txt");
    // The packs do not exist: a refusal that read anything first would name them.
    let missing = dir.path().join("no-such-pack");
    let missing = missing.to_str().unwrap();
    let out = bursar(&[
        "diff",
        "--old-snapshot",
        "-",
        "--old-policies",
        missing,
        "--new-snapshot",
        "-",
        "--new-policies",
        missing,
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim(),
        "error: `-` (standard input) is given for both --old-snapshot and --new-snapshot; \
         it can be read only once"
    );
    assert!(!out_file.exists());
}

/// Each (subject, cause) a text or markdown report shows: `~ infra: ... [data]` or a table
/// row `| changed | infra | ... | data | ... |`.
fn shown_causes(text: &str) -> Vec<(String, String)> {
    let causes = ["policy", "data", "both", "either"];
    let mut found = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(['~', '+', '-', '*']) {
            let subject = rest.trim().split(':').next().unwrap_or("").to_owned();
            if let Some(c) = causes.iter().find(|c| rest.ends_with(&format!("[{c}]"))) {
                found.push((subject, c.to_string()));
            }
        } else if t.starts_with("| ") {
            // A difference's row: | what | subject | before | after | cause | details |
            let cells: Vec<&str> = t.split('|').map(str::trim).collect();
            if cells.len() < 8 {
                continue;
            }
            if let Some(c) = cells.iter().find(|c| causes.contains(c)) {
                found.push((cells[2].to_owned(), c.to_string()));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn causes_are_the_same_with_and_without_details_in_every_format() {
    // The same pack on both sides: every change is the data's, whatever is shown. Values
    // change (headcount) without outcomes changing, the case that once read `either`.
    let dir = tempfile::tempdir().unwrap();
    let pack = support::root().join(PACK);
    let sprint = support::root().join(SPRINT);
    let next = edited(
        dir.path(),
        "sprint.json",
        "next.json",
        &[
            ("", r#""headcount": 5"#, r#""headcount": 7"#),
            (
                "",
                r#""search", "headcount": 2"#,
                r#""search", "headcount": 3"#,
            ),
        ],
    );
    let json = run_json((&sprint, &pack), (&next, &pack));
    let (listed, _) = causes(&json);
    assert!(!listed.is_empty());
    assert!(listed.iter().all(|(_, c)| c == "data"), "{listed:?}");
    for format in ["text", "markdown", "json"] {
        for details in [false, true] {
            let mut args = vec![
                "diff",
                "--old-snapshot",
                sprint.to_str().unwrap(),
                "--old-policies",
                pack.to_str().unwrap(),
                "--new-snapshot",
                next.to_str().unwrap(),
                "--new-policies",
                pack.to_str().unwrap(),
                "--format",
                format,
            ];
            if details {
                args.push("--details");
            }
            let out = support::bursar(&args);
            assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
            let shown = if format == "json" {
                causes(&serde_json::from_slice(&out.stdout).unwrap()).0
            } else {
                shown_causes(&stdout(&out))
            };
            assert_eq!(
                shown,
                listed,
                "{format}, details {details}:\n{}",
                stdout(&out)
            );
        }
    }
}
