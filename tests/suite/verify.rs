//! `bursar verify`: a document reproduced byte for byte exits 0; a one-byte change in the
//! snapshot, in a policy or in an imported module, a document from another engine, a
//! decision edited by hand and a reformatted file each exit 1 and say what differs. The
//! messages are pinned together.

use std::path::Path;

use crate::diff::{PACK, SPRINT, edited, eval, literal, stderr, stdout};
use crate::support::{self, bursar};

fn verify(document: &Path, snapshot: &Path, pack: &Path) -> std::process::Output {
    bursar(&[
        "verify",
        document.to_str().unwrap(),
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--policies",
        pack.to_str().unwrap(),
    ])
}

/// A copy of `document` with one edit made exactly once.
fn tampered(document: &Path, name: &str, from: &str, to: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(document).unwrap();
    assert_eq!(text.matches(from).count(), 1, "`{from}` once");
    let path = document.with_file_name(name);
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn each_kind_of_mismatch_is_caught_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (pack, sprint) = (support::root().join(PACK), support::root().join(SPRINT));
    let document = dir.path().join("decisions.json");
    eval(&sprint, &pack, &document);

    let same = verify(&document, &sprint, &pack);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let mut report = stdout(&same);

    // One byte each: a digit of the snapshot, a letter of a policy's summary, a digit of
    // the module's constant.
    let snapshot = edited(
        dir.path(),
        "sprint.json",
        "s.json",
        &[("", r#""headcount": 5"#, r#""headcount": 6"#)],
    );
    let policy = edited(
        dir.path(),
        "pack",
        "policy",
        &[("squads.rhai", "${s.id}: headcount", "${s.id}: Headcount")],
    );
    let module = edited(
        dir.path(),
        "pack",
        "module",
        &[(
            "lib/staffing.rhai",
            "MIN_HEADCOUNT = 3",
            "MIN_HEADCOUNT = 5",
        )],
    );
    let engine = tampered(
        &document,
        "engine.json",
        r#""engine": "bursar "#,
        r#""engine": "bursar 0.0.0-"#,
    );
    let outcome = tampered(
        &document,
        "outcome.json",
        r#""outcome": "understaffed""#,
        r#""outcome": "staffed""#,
    );
    let spaced = document.with_file_name("spaced.json");
    let text = std::fs::read_to_string(&document).unwrap();
    std::fs::write(
        &spaced,
        text.replacen("\n  \"sprint\"", "\n   \"sprint\"", 1),
    )
    .unwrap();

    for (doc, snapshot, pack, what) in [
        (&document, &snapshot, &pack, "snapshot"),
        (&document, &sprint, &policy, "policy"),
        (&document, &sprint, &module, "module"),
        (&engine, &sprint, &pack, "engine version"),
        (&outcome, &sprint, &pack, "decision"),
        (&spaced, &sprint, &pack, "bytes"),
    ] {
        let out = verify(doc, snapshot, pack);
        assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
        report.push_str(&stdout(&out));
    }
    let report = report.replace(&support::root().display().to_string(), "[ROOT]");
    let filters = [(literal(dir.path()), "[TMP]")];
    let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    insta::with_settings!({filters => filters}, {
        insta::assert_snapshot!("verify_mismatches", report);
    });
}

#[test]
fn the_example_is_reproduced_and_a_broken_document_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("example.json");
    eval(
        &support::root().join(support::example()),
        &support::root().join(support::policies()),
        &document,
    );
    let out = verify(&document, &support::example(), &support::policies());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("reproduced byte for byte (54 decisions)"),
        "{}",
        stdout(&out)
    );

    std::fs::write(&document, "{\"format\": 2").unwrap();
    let broken = verify(&document, &support::example(), &support::policies());
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        stderr(&broken).contains("example.json:1:12: "),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn exceptions_are_an_input_verify_takes_and_names() {
    let dir = tempfile::tempdir().unwrap();
    let (pack, sprint) = (support::root().join(PACK), support::root().join(SPRINT));
    let exceptions = dir.path().join("exceptions.json");
    std::fs::write(
        &exceptions,
        r#"[{"id": "EX-1", "policy": "squads", "subject": "search", "outcome": "staffed", "severity": "info", "reason": "a hire starts next week", "approved_by": "forum", "expires": "2026-12-31"}]"#,
    )
    .unwrap();
    let document = dir.path().join("decisions.json");
    let run = bursar(&[
        "eval",
        "--snapshot",
        sprint.to_str().unwrap(),
        "--policies",
        pack.to_str().unwrap(),
        "--exceptions",
        exceptions.to_str().unwrap(),
        "--out",
        document.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));

    let mut with = vec!["verify", document.to_str().unwrap(), "--snapshot"];
    with.extend([
        sprint.to_str().unwrap(),
        "--policies",
        pack.to_str().unwrap(),
    ]);
    let without = bursar(&with);
    assert_eq!(without.status.code(), Some(1), "{}", stderr(&without));
    let text = stdout(&without);
    assert!(text.contains("exceptions digest: \""), "{text}");
    assert!(text.contains("\" → (none)\n"), "{text}");
    assert!(
        text.contains("~ search: staffed (info) → understaffed (warn)"),
        "{text}"
    );

    with.extend(["--exceptions", exceptions.to_str().unwrap()]);
    let given = bursar(&with);
    assert_eq!(given.status.code(), Some(0), "{}", stdout(&given));
}

#[test]
fn the_recorded_limits_are_the_ones_used_again() {
    // Evaluated under limits other than the defaults: verify must take them from the
    // record, or the limits in the output would differ from the file's.
    let dir = tempfile::tempdir().unwrap();
    let (pack, sprint) = (support::root().join(PACK), support::root().join(SPRINT));
    let document = dir.path().join("decisions.json");
    let run = bursar(&[
        "eval",
        "--snapshot",
        sprint.to_str().unwrap(),
        "--policies",
        pack.to_str().unwrap(),
        "--max-operations",
        "123456",
        "--max-decisions",
        "77",
        "--fail-on",
        "never",
        "--out",
        document.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let out = verify(&document, &sprint, &pack);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}
