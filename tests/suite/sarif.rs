//! `--format sarif`, validated against the official SARIF 2.1.0 schema (a copy in
//! `tests/fixtures/schemas/`, formats checked too), and read back: its rules, results,
//! levels and locations must be the document's policies and decisions. (Checked by hand
//! besides: Microsoft's `Sarif.Multitool validate`, from the npm registry, reports no
//! error on the example; it is not run here, being a .NET binary of its own.)

use std::sync::OnceLock;

use bursar::{Document, Severity};
use bursar::{Format, RenderContext};
use jsonschema::Validator;
use serde_json::{Value, json};

use crate::render::{FIXTURES, context, fixture};
use crate::support;

/// The official schema, compiled twice with `format` enforced: as draft-04, which its
/// `$schema` declares, and as draft-07, whose `uri-reference` format (unknown to
/// draft-04, so unchecked there) the schema uses for every artifact URI. The keywords it
/// uses mean the same in both drafts otherwise.
fn validators() -> &'static [Validator; 2] {
    static V: OnceLock<[Validator; 2]> = OnceLock::new();
    V.get_or_init(|| {
        let path = support::root().join("tests/fixtures/schemas/sarif-schema-2.1.0.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .expect("the schema copy is JSON");
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
        let draft4 = jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema);
        let draft7 = jsonschema::draft7::options()
            .should_validate_formats(true)
            .build(&schema);
        [draft4, draft7].map(|v| v.expect("the SARIF schema compiles"))
    })
}

/// What the schema finds wrong with a log, one line each.
fn problems(log: &Value) -> Vec<String> {
    validators()
        .iter()
        .flat_map(|v| v.iter_errors(log))
        .map(|e| format!("{}: {e}", e.instance_path().as_str()))
        .collect()
}

fn sarif(doc: &Document, context: &RenderContext) -> Value {
    let out = bursar::render(&*Format::Sarif.emitter(context), doc);
    serde_json::from_str(&out).expect("the sarif emitter writes JSON")
}

fn assert_valid(log: &Value, what: &str) {
    let problems = problems(log);
    assert!(problems.is_empty(), "{what}: {problems:#?}");
}

#[test]
fn every_fixture_validates_against_the_sarif_schema() {
    for name in FIXTURES {
        let (_, doc) = fixture(name);
        assert_valid(&sarif(&doc, &context()), name);
    }
}

#[test]
fn the_schema_refuses_what_sarif_does_not_allow() {
    let (_, doc) = fixture("example");
    let valid = sarif(&doc, &context());
    assert_valid(&valid, "example");
    let mutations: [(&str, Value); 5] = [
        ("/runs/0/results/0/level", json!("fatal")),
        (
            "/runs/0/results/0/locations/0/physicalLocation/region/startLine",
            json!(0),
        ),
        (
            "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri",
            json!("health rules.rhai"),
        ),
        ("/version", json!("2.0.0")),
        ("/$schema", json!("sarif schema.json")),
    ];
    for (pointer, value) in mutations {
        let mut log = valid.clone();
        *log.pointer_mut(pointer).expect(pointer) = value.clone();
        assert!(
            !problems(&log).is_empty(),
            "{pointer} = {value} passed the schema"
        );
    }
}

#[test]
fn rules_and_results_match_the_document() {
    for name in FIXTURES {
        let (_, doc) = fixture(name);
        let log = sarif(&doc, &context());
        let run = &log["runs"][0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "bursar");
        assert_eq!(driver["version"], bursar::ENGINE_VERSION);
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), doc.inputs.policies.len(), "{name}");
        for (rule, policy) in rules.iter().zip(&doc.inputs.policies) {
            assert_eq!(rule["id"], policy.name.as_str());
            assert_eq!(
                rule["shortDescription"]["text"],
                policy.description.as_str()
            );
            assert_eq!(rule["fullDescription"]["text"], policy.description.as_str());
        }
        // The folder bursar ran in is left to the consumer (SARIF 3.14.14).
        let bases = run["originalUriBaseIds"].as_object().unwrap();
        assert_eq!(bases.keys().collect::<Vec<_>>(), ["%SRCROOT%"]);
        assert_eq!(bases["%SRCROOT%"].get("uri"), None);

        let flagged: Vec<_> = doc
            .decisions
            .iter()
            .filter(|d| d.severity >= Severity::Warn)
            .collect();
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), flagged.len(), "{name}");
        for (result, decision) in results.iter().zip(flagged) {
            let level = match decision.severity {
                Severity::Deny => "error",
                _ => "warning",
            };
            assert_eq!(result["level"], level, "{name}");
            assert_eq!(result["ruleId"], decision.policy.as_str());
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], decision.policy.as_str());
            assert_eq!(
                result["message"]["text"],
                decision.explanation.summary.as_str()
            );
            let location = &result["locations"][0];
            let logical = &location["logicalLocations"][0];
            assert_eq!(logical["name"], decision.subject.as_str());
            let qualified = format!("{}/{}", decision.policy, decision.subject);
            assert_eq!(logical["fullyQualifiedName"], qualified.as_str());
            let check = decision.explanation.checks.iter().find(|c| !c.pass);
            let check = check.expect("every flagged decision in the fixtures failed a check");
            let physical = &location["physicalLocation"];
            // As reached from where bursar ran, so GitHub (which reads it from the
            // repository root) and base-id-aware viewers both find the policy.
            let uri = format!("policies/{}", check.file);
            assert_eq!(physical["artifactLocation"]["uri"], uri.as_str());
            assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            assert_eq!(physical["region"]["startLine"], json!(check.line));
            assert_eq!(physical["region"]["startColumn"], json!(check.column));
        }
    }
}

/// A warn decision of the example, reshaped to test where a result points.
fn one_warning(shape: impl FnOnce(&mut bursar::Decision)) -> Value {
    let (_, mut doc) = fixture("example");
    doc.decisions.retain(|d| d.subject == "migration-plan/A");
    assert_eq!(doc.decisions[0].severity, Severity::Warn);
    shape(&mut doc.decisions[0]);
    let log = sarif(&doc, &context());
    assert_valid(&log, "reshaped example");
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"].clone()
}

#[test]
fn a_result_points_at_the_failing_check_else_the_last_check_else_the_policy() {
    // The example decision passes its first check (line 28) and fails the second (29).
    let failing = one_warning(|_| {});
    assert_eq!(
        failing["region"],
        json!({"startLine": 29, "startColumn": 22})
    );

    let last = one_warning(|d| {
        for c in &mut d.explanation.checks {
            c.pass = true;
        }
        d.explanation.checks[0].line = Some(7);
        d.explanation.checks[1].line = Some(12);
    });
    assert_eq!(last["region"]["startLine"], 12);

    let module = one_warning(|d| d.explanation.checks[1].file = "lib/limits.rhai".into());
    assert_eq!(
        module["artifactLocation"]["uri"],
        "policies/lib/limits.rhai"
    );

    let policy = one_warning(|d| d.explanation.checks.clear());
    assert_eq!(
        policy,
        json!({
            "artifactLocation": {"uri": "policies/sunset.rhai", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 1}
        })
    );
}

#[test]
fn paths_become_valid_uri_references() {
    let (_, mut doc) = fixture("one-decision");
    doc.decisions[0].severity = Severity::Deny;
    doc.decisions[0].explanation.checks[0].pass = false;
    doc.decisions[0].explanation.checks[0].file = "org health #1.rhai".into();
    for (folder, base) in [
        ("policies", "policies/"),
        ("./policies/", "policies/"),
        ("../my pack", "../my%20pack/"),
        ("", ""),
        (".", ""),
        ("/srv/pack", "file:///srv/pack/"),
        ("規則", "%E8%A6%8F%E5%89%87/"),
    ] {
        let context = RenderContext {
            policies: folder.into(),
            ..context()
        };
        let log = sarif(&doc, &context);
        assert_valid(&log, folder);
        let run = &log["runs"][0];
        let location = &run["results"][0]["locations"][0]["physicalLocation"];
        let uri = format!("{base}org%20health%20%231.rhai");
        assert_eq!(
            location["artifactLocation"]["uri"],
            uri.as_str(),
            "{folder}"
        );
        // An absolute folder gives `file:` URIs that need no base id.
        if base.starts_with("file:") {
            assert_eq!(run.get("originalUriBaseIds"), None, "{folder}");
            assert_eq!(
                location["artifactLocation"].get("uriBaseId"),
                None,
                "{folder}"
            );
        } else {
            assert_eq!(
                location["artifactLocation"]["uriBaseId"], "%SRCROOT%",
                "{folder}"
            );
        }
    }
}

/// Nothing in the log may change between two runs of the same inputs.
#[test]
fn no_timestamps_or_invocation_details() {
    fn keys(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    found.push(key.clone());
                    keys(v, found);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| keys(v, found)),
            _ => {}
        }
    }
    let (_, doc) = fixture("example");
    let mut found = Vec::new();
    keys(&sarif(&doc, &context()), &mut found);
    for key in found {
        let key = key.to_lowercase();
        assert!(
            !key.contains("time") && !key.contains("invocation") && !key.contains("guid"),
            "{key}"
        );
    }
}

#[test]
fn example_sarif_is_pinned_and_valid() {
    let out = support::bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--format",
        "sarif",
        "--fail-on",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_valid(&serde_json::from_str(&text).unwrap(), "example");
    insta::assert_snapshot!("example_sarif", text);
}
