//! `bursar check`: every finding of every file in one go, located and with a hint, on
//! small broken packs (`tests/fixtures/check/`), and nothing on the shipped pack.

use std::process::Output;

use crate::support::bursar;

const FIXTURES: &str = "tests/fixtures/check";

fn check(pack: &str, json: bool) -> Output {
    let dir = format!("{FIXTURES}/{pack}");
    let mut args = vec!["check", "--policies", &dir];
    if json {
        args.extend(["--error-format", "json"]);
    }
    bursar(&args)
}

/// `check` on a broken fixture: exit 1, the findings on stderr (also pinned), and each of
/// `expected` among them.
fn findings(pack: &str, expected: &[&str]) -> String {
    let out = check(pack, false);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{pack}: {stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{pack}: no `{e}` in\n{stderr}");
    }
    insta::assert_snapshot!(format!("check_{pack}"), stderr);
    stderr
}

/// The findings as data: one object per line, each with the fields editors read.
fn findings_json(pack: &str) -> Vec<serde_json::Value> {
    let out = check(pack, true);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let objects: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    for o in &objects {
        for key in ["code", "message", "file", "line", "column", "span", "hint"] {
            assert!(o.get(key).is_some(), "no `{key}` in {o}");
        }
    }
    insta::assert_json_snapshot!(format!("check_{pack}_json"), objects);
    objects
}

#[test]
fn the_shipped_pack_has_no_findings() {
    let out = bursar(&["check", "--policies", "policies"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("6 policies compiled")
    );
}

#[test]
fn a_misspelled_field_is_found_with_the_nearest_name_and_the_fields_of_its_type() {
    findings(
        "misspelled-field",
        &[
            "spend.rhai:6:30: a squad has no field `exploraton_tokens`",
            "help: did you mean `exploration_tokens`? the fields of a squad are `id`, `name`",
        ],
    );
    let json = findings_json("misspelled-field");
    assert_eq!(json.len(), 1);
    assert_eq!(json[0]["code"], "unknown-field");
    assert_eq!(json[0]["span"], "exploraton_tokens".len());
}

#[test]
fn a_threshold_of_the_wrong_type_is_found_where_it_meets_the_check() {
    findings(
        "wrong-threshold",
        &[
            "promotion.rhai:12:35: threshold `MIN_USES` is a string (`\"10\"`), but `>=` compares numbers",
            "help: declare it as a number: `const MIN_USES = 10;`",
        ],
    );
}

#[test]
fn decisions_of_a_policy_missing_from_reads_are_found() {
    findings(
        "missing-reads",
        &[
            "allocation.rhai:4:20: policy `allocation` reads the decisions of `crediting` but does not list it in `READS`",
            "help: declare it: `const READS = [\"crediting\"];`",
        ],
    );
}

#[test]
fn a_reads_cycle_and_an_unknown_read_are_both_found() {
    findings(
        "cycle",
        &[
            "a.rhai:2:1: policies read each other in a cycle: `a` → `b` → `c` → `a`",
            "c.rhai:2:1: `READS` names `ghost`, which is not a policy in this pack",
            "check: 2 findings in 2 files",
        ],
    );
}

#[test]
fn every_broken_file_is_reported_in_one_go() {
    let out = check("two-broken", false);
    assert!(
        out.stdout.is_empty(),
        "a pack that does not compile has no listing"
    );
    findings(
        "two-broken",
        &[
            "two-broken/first.rhai:3:",
            // Reading a policy whose file does not compile names that file, not another.
            "two-broken/good.rhai:2:1: `READS` names `first`, whose file `first.rhai` does not compile",
            "two-broken/lib/helpers.rhai:",
            "two-broken/second.rhai: the policy declares no name",
            "check: 4 findings in 4 files",
        ],
    );
    let codes: Vec<String> = findings_json("two-broken")
        .iter()
        .map(|o| o["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["syntax", "unknown-policy", "syntax", "declaration"]);
}

#[test]
fn literal_operators_units_severities_and_undeclared_outcomes_are_found() {
    findings(
        "literals",
        &[
            "unknown operator `=<` in `d.check`",
            "did you mean `<=`?",
            "unknown unit `token` in `d.check`",
            "`t.status` is a string, but `>` compares numbers",
            "outcome `okay` is not declared in `OUTCOMES` of policy `topups`",
            "unknown severity `warning` in `d.record`",
            "did you mean `warn`?",
        ],
    );
}

#[test]
fn an_unreadable_pack_cannot_be_checked() {
    let out = bursar(&["check", "--policies", "tests/fixtures/check/no-such-pack"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_undeclared_outcome_stops_eval_at_the_record_call() {
    let dir = tempfile::tempdir().unwrap();
    let policy = "const POLICY = \"health\";\nconst OUTCOMES = [\"ok\"];\nlet d = decision(\"org\");\nd.record(\"okay\", \"info\");\n";
    std::fs::write(dir.path().join("health.rhai"), policy).unwrap();
    let pack = dir.path().to_str().unwrap();
    let example = "examples/sprint-2026-S24.json";
    let out = bursar(&["eval", "--policies", pack, "--snapshot", example]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("health.rhai:4:3: outcome `okay` is not declared in `OUTCOMES` of policy `health` (it declares `ok`)"),
        "{stderr}"
    );
    // Declared, the same label is recorded.
    std::fs::write(
        dir.path().join("health.rhai"),
        policy.replace("[\"ok\"]", "[\"ok\", \"okay\"]"),
    )
    .unwrap();
    let out = bursar(&["eval", "--policies", pack, "--snapshot", example]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn reads_through_indexes_and_loops_are_followed_and_nothing_unclear_is_judged() {
    let stderr = findings(
        "chains",
        &[
            "p.rhai:7:24: a run has no field `idd`",
            "p.rhai:10:16: a run has no field `squadd`",
            "a family has no field `standard_cost_per_succes`",
            "check: 3 findings in 1 file",
        ],
    );
    // The findings' own lines: the excerpts around them quote the silent reads as context.
    let messages: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error:") || l.trim_start().starts_with("help:"))
        .collect();
    for silent in ["anything", "whatever", "not_judged", "payments"] {
        assert!(
            !messages.iter().any(|l| l.contains(silent)),
            "{silent}: {stderr}"
        );
    }
}

#[test]
fn every_broken_declaration_of_a_file_is_found() {
    findings(
        "declarations",
        &[
            "p.rhai:2:1: `const DESCRIPTION` must be a string literal",
            "p.rhai:3:1: `const READS` must be an array of policy names",
            "p.rhai:5:1: `DECIDES` names `everything`, which is not a domain",
            "q.rhai: the policy declares no name",
            "q.rhai:2:1: `const OUTCOMES` must be an array of outcome labels",
            "check: 5 findings in 2 files",
        ],
    );
}

#[test]
fn a_declaration_written_twice_is_found_at_the_second() {
    findings(
        "repeated-declaration",
        &[
            "spend.rhai:5:1: `const DECIDES` is declared twice (first on line 3): bursar reads the first, the script sees the last",
        ],
    );
}

#[test]
fn arithmetic_on_a_string_and_a_string_compared_with_a_number_are_found() {
    let stderr = findings(
        "string-operators",
        &[
            "spend.rhai:9:22: `/` on a string (`s.id`) and an integer (`s.exploration_tokens`)",
            "spend.rhai:10:13: `==` compares a string (`s.id`) with an integer (`3`)",
            "check: 2 findings in 1 file",
        ],
    );
    // Joining strings with `+`, a number divided, and like compared with like pass.
    for line in [14, 15, 16] {
        assert!(!stderr.contains(&format!("spend.rhai:{line}:")), "{stderr}");
    }
}

#[test]
fn a_misspelled_value_of_a_read_decision_is_found_with_the_recorded_name() {
    let stderr = findings(
        "misspelled-value",
        &[
            "reader.rhai:7:26: decisions of `origin` have no value `origin_squadd`",
            "help: did you mean `origin_squad`? `origin` records `family`, `origin_squad`",
            "reader.rhai:8:31: decisions of `origin` have no value `famly`",
            "help: did you mean `family`?",
            "check: 2 findings in 1 file",
        ],
    );
    // A default would hide the typo: it is never offered.
    assert!(!stderr.contains("??"), "{stderr}");
    let json = findings_json("misspelled-value");
    assert!(
        json.iter().all(|f| f["code"] == "unknown-value"),
        "{json:?}"
    );
}

#[test]
fn check_writes_the_pack_and_its_findings_as_one_json_document() {
    let out = bursar(&["check", "--policies", "policies", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["compiled"], true);
    let names: Vec<&str> = doc["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names.contains(&"topups"), "{names:?}");
    assert_eq!(doc["findings"], serde_json::json!([]));

    let dir = format!("{FIXTURES}/string-operators");
    let out = bursar(&["check", "--policies", &dir, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["string-arithmetic", "string-number-comparison"]);
    assert_eq!(doc["summary"]["findings"], 2);
}

#[test]
fn a_misspelled_value_name_in_a_case_is_found_before_any_case_runs() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    std::fs::create_dir_all(pack.join("tests")).unwrap();
    for file in crate::support::files(&crate::support::policies(), "rhai") {
        std::fs::copy(&file, pack.join(file.file_name().unwrap())).unwrap();
    }
    let shipped = std::fs::read_to_string(
        crate::support::policies().join("tests/health-untagged-exact-020.case"),
    )
    .unwrap();
    let typo = shipped.replacen("untagged_share=", "untagged_shar=", 1);
    assert_ne!(typo, shipped);
    std::fs::write(pack.join("tests/typo.case"), typo).unwrap();
    let out = bursar(&["check", "--policies", pack.to_str().unwrap()]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("typo.case:4:29: `health` records no value `untagged_shar`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `untagged_share`?"),
        "{stderr}"
    );
    assert!(stderr.contains("check: 1 finding in 1 file"), "{stderr}");
}

#[test]
fn under_error_format_json_every_stderr_line_of_check_is_a_json_object() {
    let missing = bursar(&[
        "check",
        "--policies",
        "no/such/pack",
        "--error-format",
        "json",
    ]);
    let broken = check("string-operators", true);
    for (out, code) in [(missing, 2), (broken, 1)] {
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{stderr}");
        assert!(!stderr.is_empty());
        for line in stderr.lines() {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: `{line}`"));
            assert!(value["message"].is_string(), "{line}");
        }
    }
}
