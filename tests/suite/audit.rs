//! Auditors' tools tried as an attacker would: forged limits in a record `verify` is
//! asked to re-run, documents with a key twice, twin decisions, links to nowhere, endless
//! streams and FIFOs as documents and exceptions files, a sprint snapshot given as a
//! document, explain over a ladder of shared decisions, a long chain and a cycle, a
//! falsified check, causes whatever the display options, and markdown under its limit.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use bursar::Document;
use serde_json::Value;

use crate::diff::{PACK, SPRINT, eval, stderr, stdout};
use crate::support;

fn guarded(args: &[&str]) -> Output {
    support::bursar_guarded(args)
}

/// Asserts exit 2 without a panic and without output; returns stderr.
fn refused(out: &Output, what: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert_eq!(stdout(out), "", "{what}");
    err
}

/// The fixture pack evaluated on the fixture sprint, written in `dir`.
fn recorded(dir: &Path) -> PathBuf {
    let path = dir.join("decisions.json");
    eval(
        &support::root().join(SPRINT),
        &support::root().join(PACK),
        &path,
    );
    path
}

/// The document at `path` as JSON, edited by `edit`, written as `name` beside it.
fn forged(path: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut json);
    let out = path.with_file_name(name);
    std::fs::write(&out, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    out
}

/// The document with its recorded `max_operations` set to `to`, every other byte kept.
fn replaced(document: &Path, name: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(document).unwrap();
    let from = "\"max_operations\": 20000000";
    assert_eq!(text.matches(from).count(), 1);
    let path = document.with_file_name(name);
    std::fs::write(
        &path,
        text.replace(from, &format!("\"max_operations\": {to}")),
    )
    .unwrap();
    path
}

fn verify(document: &Path, extra: &[&str]) -> Output {
    let (pack, sprint) = (support::root().join(PACK), support::root().join(SPRINT));
    let mut args = vec![
        "verify",
        document.to_str().unwrap(),
        "--snapshot",
        sprint.to_str().unwrap(),
        "--policies",
        pack.to_str().unwrap(),
    ];
    args.extend(extra);
    guarded(&args)
}

#[test]
fn verify_refuses_a_record_that_asks_for_wider_limits_naming_each_and_its_flag() {
    let dir = tempfile::tempdir().unwrap();
    let document = recorded(dir.path());
    // Spin (operations, time), memory, snapshot size: each raised alone, then all.
    let cases = [
        ("max_operations", "--max-operations"),
        ("timeout_ms", "--timeout-ms"),
        ("max_memory_mb", "--max-memory-mb"),
        ("max_snapshot_mb", "--max-snapshot-mb"),
        ("max_string_size", "--max-string-size"),
        ("max_decisions", "--max-decisions"),
    ];
    for (limit, flag) in cases {
        let path = forged(&document, &format!("{limit}.json"), |j| {
            j["limits"][limit] = Value::from(u64::MAX / 2);
        });
        let err = refused(&verify(&path, &[]), limit);
        assert!(err.contains(&format!("/limits/{limit}")), "{err}");
        assert!(err.contains(flag), "{err}");
        assert!(err.contains(&(u64::MAX / 2).to_string()), "{err}");
    }
    let all = forged(&document, "all.json", |j| {
        for (limit, _) in cases {
            j["limits"][limit] = Value::from(u64::MAX / 2);
        }
    });
    let err = refused(&verify(&all, &[]), "all");
    for (limit, _) in cases {
        assert!(err.contains(&format!("/limits/{limit}")), "{limit}: {err}");
    }
    // The same record is re-run when the command line allows what it asks for...
    let wide = replaced(&document, "wide.json", "30000000");
    let out = verify(&wide, &["--max-operations", "30000000"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // ... and a record under the command line's limits runs with its own.
    let narrow = replaced(&document, "narrow.json", "1000000");
    let out = verify(&narrow, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_document_with_a_key_twice_twin_decisions_or_links_to_nowhere_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let document = recorded(dir.path());
    let text = std::fs::read_to_string(&document).unwrap();
    let twice = dir.path().join("twice.json");
    let end = text.trim_end().strip_suffix('}').unwrap();
    std::fs::write(&twice, format!("{end},\n  \"decisions\": []\n}}\n")).unwrap();
    let twin = forged(&document, "twin.json", |j| {
        let list = j["decisions"].as_array_mut().unwrap();
        let mut copy = list[0].clone();
        copy["outcome"] = Value::from("ok");
        list.push(copy);
    });
    let nowhere = forged(&document, "nowhere.json", |j| {
        j["decisions"][1]["because"] = serde_json::json!([{"policy": "ghost", "subject": "x"}]);
    });
    let expected = [
        (&twice, vec!["/decisions", "appears twice", "line "]),
        (
            &twin,
            vec!["/decisions/3", "second decision", "/decisions/0"],
        ),
        (&nowhere, vec!["/decisions/1/because/0", "`ghost`"]),
    ];
    for (path, words) in expected {
        let p = path.to_str().unwrap();
        let d = document.to_str().unwrap();
        for args in [
            vec!["diff", d, p],
            vec!["explain", p, "org"],
            vec!["verify", p, "--snapshot", SPRINT, "--policies", PACK],
        ] {
            let err = refused(&guarded(&args), &args.join(" "));
            for w in &words {
                assert!(err.contains(w), "{}: `{w}` in {err}", args.join(" "));
            }
        }
    }
}

#[test]
fn a_sprint_snapshot_given_as_a_document_is_named_as_one() {
    for args in [vec!["explain", SPRINT, "org"], vec!["diff", SPRINT, SPRINT]] {
        let err = refused(&guarded(&args), args[0]);
        assert!(
            err.contains("this is a sprint snapshot, not a decisions document"),
            "{err}"
        );
    }
}

#[test]
fn endless_streams_and_fifos_are_read_once_and_no_further_than_the_bound() {
    for args in [
        vec!["explain", "/dev/zero", "org", "--max-document-mb", "1"],
        vec!["diff", "/dev/zero", "/dev/zero", "--max-document-mb", "1"],
    ] {
        let err = refused(&guarded(&args), args[0]);
        assert!(err.contains("larger than the limit of 1 MiB"), "{err}");
        assert!(err.contains("--max-document-mb"), "{err}");
    }
    let out = guarded(&[
        "eval",
        "--snapshot",
        SPRINT,
        "--policies",
        PACK,
        "--exceptions",
        "/dev/zero",
    ]);
    let err = refused(&out, "eval --exceptions /dev/zero");
    assert!(err.contains("larger than 16 MiB"), "{err}");

    // A document in a FIFO: read once, explained.
    let dir = tempfile::tempdir().unwrap();
    let document = recorded(dir.path());
    let fifo = dir.path().join("fifo.json");
    crate::output::mkfifo(&fifo);
    let text = std::fs::read(&document).unwrap();
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut pipe = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        let _ = pipe.write_all(&text);
    });
    let out = guarded(&["explain", fifo.to_str().unwrap(), "infra"]);
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("squads `infra`"), "{}", stdout(&out));

    // An exceptions file in a FIFO: read once, its problems reported like a file's.
    let fifo = dir.path().join("exceptions.fifo");
    crate::output::mkfifo(&fifo);
    let text = br#"[{"id": "EX-1", "policy": "squadz", "subject": "infra", "outcome": "ok",
        "severity": "info", "expires": "2026-02-30"}]"#;
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut pipe = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        let _ = pipe.write_all(text);
    });
    let out = guarded(&[
        "eval",
        "--snapshot",
        SPRINT,
        "--policies",
        PACK,
        "--exceptions",
        fifo.to_str().unwrap(),
    ]);
    writer.join().unwrap();
    let err = refused(&out, "eval --exceptions FIFO");
    for w in [
        "/0/expires",
        "not a real date",
        "/0/policy",
        "did you mean `squads`?",
    ] {
        assert!(err.contains(w), "`{w}` in {err}");
    }
}

#[test]
fn a_falsified_check_is_found_by_diff_and_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let document = recorded(dir.path());
    let falsified = forged(&document, "falsified.json", |j| {
        let check = &mut j["decisions"][0]["explanation"]["checks"][0];
        check["actual"] = Value::from(99);
        check["pass"] = Value::from(!check["pass"].as_bool().unwrap());
    });
    let out = guarded(&[
        "diff",
        document.to_str().unwrap(),
        falsified.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("check headcount:") && text.contains("99"),
        "{text}"
    );
    let out = verify(&falsified, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("infra") && text.contains("check headcount: 99"),
        "{text}"
    );
    assert!(!text.contains("the file differs"), "{text}");
}

#[test]
fn a_decision_without_checks_is_located_at_its_record_call_in_the_ci_formats() {
    use bursar::{Format, RenderContext as Context};
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Document =
        serde_json::from_str(&std::fs::read_to_string(recorded(dir.path())).unwrap()).unwrap();
    let d = doc
        .decisions
        .iter_mut()
        .find(|d| d.severity != bursar::Severity::Info)
        .expect("the fixture warns about one squad");
    d.explanation.checks.clear();
    let site = d.site.clone().expect("every decision records its site");
    assert_eq!(site.file, "squads.rhai");
    let context = Context {
        fail_on: Some(bursar::Severity::Deny),
        policies: "pack".into(),
    };
    let github = bursar::render(&*Format::Github.emitter(&context), &doc);
    let at = format!(
        "file=pack/squads.rhai,line={},col={}",
        site.line, site.column
    );
    assert!(github.contains(&at), "{github}");
    let sarif: Value =
        serde_json::from_str(&bursar::render(&*Format::Sarif.emitter(&context), &doc)).unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], site.line, "{sarif}");
    assert_eq!(region["startColumn"], site.column, "{sarif}");
}

/// The problems `diff`, `explain` and `verify` report for a document: its decisions are
/// checked one at a time as they are read, never as one tree.
fn streamed_problems(json: &Value) -> Vec<String> {
    let text = serde_json::to_string_pretty(json).unwrap();
    match bursar::parse_document(text.as_bytes(), "forged.json") {
        Err(bursar::Error::InvalidInput { problems, .. }) => {
            problems.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn a_document_read_one_decision_at_a_time_is_refused_exactly_as_its_whole_tree() {
    let dir = tempfile::tempdir().unwrap();
    let document = recorded(dir.path());
    let good: Value = serde_json::from_str(&std::fs::read_to_string(&document).unwrap()).unwrap();
    type Edit = fn(&mut Value);
    // One per class: a decision's field, a check deep in it, a field the schema does not
    // know, a decision that is not an object, `decisions` not a list or absent, and the
    // envelope wrong beside wrong decisions. (Written from a tree, `decisions` precedes
    // `format`: the reader cannot know the format before reading the decisions.)
    let edits: [(&str, Edit); 7] = [
        ("severity", |j| {
            j["decisions"][0]["severity"] = "fatal".into()
        }),
        ("deep", |j| {
            j["decisions"][2]["explanation"]["checks"][0]["pass"] = "yes".into();
            j["decisions"][1]["explanation"]["summary"] = "".into();
        }),
        ("unknown", |j| j["decisions"][1]["surplus"] = 1.into()),
        ("scalar", |j| j["decisions"][0] = "a decision".into()),
        ("object", |j| j["decisions"] = serde_json::json!({"0": {}})),
        ("absent", |j| {
            j.as_object_mut().unwrap().remove("decisions");
        }),
        ("envelope", |j| {
            j["limits"]["max_operations"] = (-1).into();
            j["decisions"][0]["because"] = serde_json::json!([]);
            j["decisions"][0].as_object_mut().unwrap().remove("values");
        }),
    ];
    for (name, edit) in edits {
        let mut json = good.clone();
        edit(&mut json);
        let whole: Vec<String> = {
            let mut p = bursar::validate_decisions(&json);
            p.sort();
            p.iter().map(ToString::to_string).collect()
        };
        assert!(
            !whole.is_empty(),
            "{name}: the forgery must break the schema"
        );
        assert_eq!(streamed_problems(&json), whole, "{name}");
    }
    // An older format is not held to today's schema, but its model still is: the first
    // decision that does not read is named at its pointer.
    let mut old = good.clone();
    old["format"] = 3.into();
    old["decisions"][1]["severity"] = "fatal".into();
    let problems = streamed_problems(&old);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("/decisions/1"), "{problems:?}");
}
