//! Audited exceptions (`eval --exceptions`): applied before later policies read the
//! decision, recorded beside what the policy computed, the file's digest kept, exit codes
//! from effective severities, and every exception not applied listed as a warning.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{self, bursar};

/// An exception as governance writes one, valid and current for the example's sprint.
fn exception(id: &str, policy: &str, subject: &str, outcome: &str, severity: &str) -> Value {
    json!({
        "id": id, "policy": policy, "subject": subject, "outcome": outcome,
        "severity": severity, "reason": "approved by the forum on 2026-11-12",
        "approved_by": "budget-forum", "expires": "2026-11-30"
    })
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `eval` of the example with these exceptions: (exit code, document if written, stderr).
fn eval_with(exceptions: &Value, extra: &[&str]) -> (Option<i32>, Option<Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "exceptions.json", &exceptions.to_string());
    let out = dir.path().join("decisions.json");
    let mut args = vec![
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--exceptions",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let run = bursar(&args);
    let doc = std::fs::read_to_string(&out)
        .ok()
        .map(|t| serde_json::from_str(&t).unwrap());
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    (run.status.code(), doc, stderr)
}

fn decision<'a>(doc: &'a Value, policy: &str, subject: &str) -> Option<&'a Value> {
    doc["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["policy"] == policy && d["subject"] == subject)
}

#[test]
fn an_overridden_promotion_is_what_crediting_and_allocation_see() {
    // migration-plan/B has 8 uses: the policy says not-yet.
    let ex = json!([exception(
        "EX-1",
        "promotion",
        "migration-plan/B",
        "candidate",
        "info"
    )]);
    let (code, doc, _) = eval_with(&ex, &["--fail-on", "never"]);
    assert_eq!(code, Some(0));
    let doc = doc.expect("written");
    let promotion = decision(&doc, "promotion", "migration-plan/B").unwrap();
    assert_eq!(promotion["outcome"], "candidate");
    assert_eq!(
        promotion["exception"],
        json!({"id": "EX-1", "reason": "approved by the forum on 2026-11-12",
               "approved_by": "budget-forum", "expires": "2026-11-30",
               "computed": {"outcome": "not-yet", "severity": "info"}})
    );
    // The explanation stays the policy's.
    let summary = promotion["explanation"]["summary"].as_str().unwrap();
    assert!(summary.contains("not-yet: uses 8 < 10"), "{summary}");
    let credit = decision(&doc, "crediting", "migration-plan/B@data-eng").expect("a credit");
    assert_eq!(credit["outcome"], "credit");
    assert_eq!(
        credit["because"],
        json!([{"policy": "promotion", "subject": "migration-plan/B"}])
    );
    let allocation = decision(&doc, "allocation", "data-eng").unwrap();
    assert_eq!(allocation["values"]["tokens"], 2_250_000);
    assert!(doc.get("warnings").is_none(), "{doc}");
    assert_eq!(bursar::validate_decisions(&doc), vec![]);
}

#[test]
fn exit_codes_follow_effective_severities() {
    let deny_free = json!([
        exception("EX-1", "health", "org", "attention", "warn"),
        exception("EX-2", "topups", "tu-6", "review", "warn"),
        exception("EX-3", "topups", "tu-7", "review", "warn"),
        exception("EX-4", "topups", "tu-15", "review", "warn"),
    ]);
    let (code, doc, stderr) = eval_with(&deny_free, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(doc.unwrap()["totals"]["deny"], 0);
    // Without them the example fails on its denies, as before.
    assert_eq!(eval_with(&json!([]), &[]).0, Some(1));
    // And an exception can make a decision fail the run.
    let mut raising = deny_free.as_array().unwrap().clone();
    raising.push(exception(
        "EX-5",
        "sunset",
        "refactor+tests/A",
        "sunset",
        "deny",
    ));
    let (code, doc, stderr) = eval_with(&Value::Array(raising), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(doc.unwrap()["totals"]["deny"], 1);
    assert!(
        stderr.contains("deny  sunset  refactor+tests/A  sunset"),
        "{stderr}"
    );
}

#[test]
fn expired_unapproved_and_unmatched_exceptions_are_warnings_not_applied() {
    let mut expired = exception("EX-old", "topups", "tu-6", "ok", "info");
    // The sprint starts 2026-11-16: an exception that ended the day before is over.
    expired["expires"] = json!("2026-11-15");
    let mut last_day = exception("EX-last", "topups", "tu-15", "ok", "info");
    last_day["expires"] = json!("2026-11-16");
    let mut unapproved = exception("EX-anon", "topups", "tu-7", "ok", "info");
    unapproved["approved_by"] = json!("  ");
    let mut unexplained = exception("EX-why", "health", "org", "healthy", "info");
    unexplained.as_object_mut().unwrap().remove("reason");
    let unmatched = exception("EX-ghost", "topups", "tu-404", "ok", "info");
    let ex = json!([expired, last_day, unapproved, unexplained, unmatched]);
    let (code, doc, stderr) = eval_with(&ex, &["--fail-on", "never"]);
    assert_eq!(code, Some(0));
    let doc = doc.unwrap();
    for (subject, outcome) in [("tu-6", "violation"), ("tu-7", "violation")] {
        let d = decision(&doc, "topups", subject).unwrap();
        assert_eq!(d["outcome"], outcome, "{subject}");
        assert!(d.get("exception").is_none(), "{subject}");
    }
    assert_eq!(
        decision(&doc, "health", "org").unwrap()["outcome"],
        "violation"
    );
    assert_eq!(
        decision(&doc, "topups", "tu-15").unwrap()["exception"]["id"],
        "EX-last"
    );
    let codes: Vec<(&str, &str)> = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["exception"].as_str().unwrap(),
                w["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("EX-old", "exception-expired"),
            ("EX-anon", "exception-incomplete"),
            ("EX-why", "exception-incomplete"),
            ("EX-ghost", "exception-unmatched"),
        ]
    );
    for w in doc["warnings"].as_array().unwrap() {
        let line = format!("warning: {}", w["message"].as_str().unwrap());
        assert!(stderr.contains(&line), "{line} not in {stderr}");
    }
    insta::assert_snapshot!(stderr);
    assert_eq!(bursar::validate_decisions(&doc), vec![]);
}

#[test]
fn the_exceptions_file_digest_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    // Bytes as read, whitespace and all.
    let text = format!(
        "[\n  {}\n]\n",
        exception("EX-1", "topups", "tu-6", "ok", "info")
    );
    let file = write(dir.path(), "ex.json", &text);
    let out = bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--exceptions",
        file.to_str().unwrap(),
        "--fail-on",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = format!("{:x}", Sha256::digest(text.as_bytes()));
    assert_eq!(doc["inputs"]["exceptions_sha256"], expected.as_str());
    // Without --exceptions, nothing is recorded.
    let plain = bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--fail-on",
        "never",
    ]);
    let doc: Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(doc["inputs"].get("exceptions_sha256").is_none());
}

#[test]
fn a_broken_exceptions_file_is_refused_with_its_pointers() {
    let cases = [
        ("not-json", "[{\"id\": \"EX-1\",]".to_owned()),
        ("not-a-list", json!({"id": "EX-1"}).to_string()),
        (
            "fields",
            json!([{"id": "", "policy": "topups", "subject": "tu-6", "outcome": "ok",
                    "severity": "fine", "expires": "30/11/2026", "approved": "x"},
                   {"policy": "topups"}])
            .to_string(),
        ),
        (
            "dates-ids-and-blanks",
            json!([
                {"id": "EX-1", "policy": "topups", "subject": "tu-6", "outcome": "ok",
                 "severity": "info", "expires": "2026-02-30"},
                {"id": "EX-1", "policy": "topups", "subject": "tu-7", "outcome": " ",
                 "severity": "info", "expires": "2026-12-01"}
            ])
            .to_string(),
        ),
        (
            "two-for-one-decision",
            json!([
                exception("EX-1", "topups", "tu-6", "ok", "info"),
                exception("EX-2", "topups", "tu-6", "review", "warn")
            ])
            .to_string(),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("decisions.json");
    for (name, text) in cases {
        let file = write(dir.path(), &format!("{name}.json"), &text);
        let run = bursar(&[
            "eval",
            "--snapshot",
            "examples/sprint-2026-S24.json",
            "--exceptions",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&run.stderr)
            .replace(&dir.path().display().to_string(), "[dir]");
        assert_eq!(run.status.code(), Some(2), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: wrote --out");
        insta::assert_snapshot!(format!("exceptions_{name}"), stderr);
    }
}

#[test]
fn a_case_evaluates_with_its_exceptions_section() {
    // The shipped case passes only because its exception applies (cases.rs runs it too).
    let dir = tempfile::tempdir().unwrap();
    let shipped = support::root().join("policies/tests/exceptions-promotion-override.case");
    let text = std::fs::read_to_string(&shipped).unwrap();
    let out = bursar(&["test", shipped.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    // Without the section, the same expectations fail.
    let without: String = {
        let start = text.find("--- exceptions").unwrap();
        let end = text.find("--- snapshot").unwrap();
        format!("{}{}", &text[..start], &text[end..])
    };
    let case = write(dir.path(), "without.case", &without);
    let out = bursar(&["test", case.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    // A failure report says the outcome it shows came from the exception.
    let wrong = text.replace(
        "promotion review/X candidate uses=5",
        "promotion review/X not-yet uses=5",
    );
    let case = write(dir.path(), "wrong.case", &wrong);
    let out = bursar(&["test", case.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains(
            "    decided `candidate` (info): review/X → not-yet: uses 5 < 10, success rate \
             1.00 ≥ 0.80\n      exception `EX-2026-01` approved by `forum-2026-01-02` until \
             2026-01-05 (the policy decided `not-yet`, info): "
        ),
        "{report}"
    );
    // A broken section is placed at its line in the case file.
    let broken = text.replace("\"severity\": \"info\",", "\"severity\": \"info\"");
    let case = write(dir.path(), "broken.case", &broken);
    let out = bursar(&["test", case.to_str().unwrap()]);
    let stderr =
        String::from_utf8_lossy(&out.stderr).replace(&dir.path().display().to_string(), "[dir]");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: [dir]/broken.case:13:4: in the exceptions: expected `,`"),
        "{stderr}"
    );
    // --update of a case without expectations adds its lines before the section, never
    // inside its JSON.
    let bare: String = text
        .lines()
        .filter(|l| {
            !["promotion ", "crediting ", "allocation "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let case = write(dir.path(), "bare.case", &bare);
    let out = bursar(&["test", "--update", case.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let updated = std::fs::read_to_string(&case).unwrap();
    let credit = updated.find("crediting review/X@search credit").unwrap();
    assert!(
        credit < updated.find("--- exceptions").unwrap(),
        "{updated}"
    );
    assert_eq!(
        bursar(&["test", case.to_str().unwrap()]).status.code(),
        Some(0)
    );
}

#[test]
fn the_text_format_marks_an_applied_exception_and_lists_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let ex = json!([
        exception("EX-1", "topups", "tu-15", "ok", "info"),
        exception("EX-2", "topups", "tu-404", "ok", "info")
    ]);
    let file = write(dir.path(), "exceptions.json", &ex.to_string());
    let out = bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--exceptions",
        file.to_str().unwrap(),
        "--format",
        "text",
        "--fail-on",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // The topups table (where the exception shows) and what follows it.
    let topups = &text[text.find("\ntopups\n").unwrap() + 1..];
    insta::assert_snapshot!(topups);
}

#[test]
fn every_problem_of_an_exceptions_file_is_reported_in_one_run_with_near_names() {
    let unknown = exception("EX-1", "topup", "tu-6", "ok", "info");
    let undeclared = exception("EX-2", "topups", "tu-7", "okay", "info");
    let mut impossible = exception("EX-3", "topups", "tu-8", "ok", "info");
    impossible["expires"] = json!("2026-02-30");
    let twice = exception("EX-3", "topups", "tu-9", "ok", "info");
    // Two for one decision: a problem only the sprint shows, reported with the others.
    let rival = exception("EX-5", "topups", "tu-9", "review", "warn");
    let ex = json!([unknown, undeclared, impossible, twice, rival]);
    let (code, doc, stderr) = eval_with(&ex, &["--fail-on", "never"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(doc.is_none());
    assert!(stderr.contains("5 problems"), "{stderr}");
    for words in [
        ["/0/policy", "`topup`", "did you mean `topups`?"],
        ["/1/outcome", "`okay`", "did you mean `ok`?"],
        ["/2/expires", "`2026-02-30`", "not a real date"],
        ["/3/id", "`EX-3`", "/2/id"],
        ["/4: exceptions `EX-3` and `EX-5`", "`tu-9`", "keep one"],
    ] {
        for w in words {
            assert!(stderr.contains(w), "`{w}` in {stderr}");
        }
    }
}

/// A file the schema refuses still has its pack's problems reported in the same run: an
/// author fixing the schema's list must not find a second list behind it.
#[test]
fn schema_problems_and_pack_problems_are_reported_in_one_run() {
    let mut unknown = exception("EX-1", "topup", "tu-6", "ok", "info");
    unknown["severity"] = json!("fine");
    let mut undeclared = exception("EX-2", "topups", "tu-7", "okay", "info");
    undeclared.as_object_mut().unwrap().remove("subject");
    let mut nameless = exception("", "topups", "tu-8", "okey", "info");
    nameless["expires"] = json!("2026-02-30");
    let ex = json!([unknown, undeclared, nameless, {"policy": 7}, "not an entry"]);
    let (code, doc, stderr) = eval_with(&ex, &["--fail-on", "never"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(doc.is_none());
    for words in [
        &["/0/severity", "`\"fine\"`"][..],
        &[
            "/0/policy",
            "exception `EX-1`",
            "`topup`",
            "did you mean `topups`?",
        ],
        &["/1: missing required field `subject`"],
        &[
            "/1/outcome",
            "exception `EX-2`",
            "`okay`",
            "did you mean `ok`?",
        ],
        &["/2/id", "shorter than 1"],
        &["/2/expires", "not a real date"],
        &[
            "/2/outcome",
            "the exception at /2",
            "`okey`",
            "did you mean `ok`?",
        ],
        &["/3/policy: expected string"],
        &["/4: expected object"],
    ] {
        for w in words {
            assert!(stderr.contains(w), "`{w}` in {stderr}");
        }
    }
}

#[test]
fn an_exceptions_file_with_a_key_twice_is_refused_with_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"[{"id": "EX-1", "policy": "topups", "subject": "tu-6", "outcome": "ok",
        "severity": "info", "reason": "r", "approved_by": "a",
        "expires": "2026-12-31", "expires": "2020-01-01"}]"#;
    let file = write(dir.path(), "twice.json", text);
    let out = bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--exceptions",
        file.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/0/expires") && err.contains("appears twice"),
        "{err}"
    );
    assert!(
        err.contains("line 3 column 9") && err.contains("line 3 column 34"),
        "{err}"
    );
}
