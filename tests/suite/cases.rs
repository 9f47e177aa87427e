//! Data-driven policy cases: each `tests/cases/<name>/` holds a `snapshot.json` and an
//! `expect.txt` listing every decision the shipped pack must give on it, one per line:
//! `<policy> <subject> <outcome> [name=value ...]`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::support;

#[derive(Debug, PartialEq)]
struct Expected {
    outcome: String,
    values: Vec<(String, String)>,
}

fn parse_expect(text: &str, file: &Path) -> BTreeMap<(String, String), Expected> {
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(policy), Some(subject), Some(outcome)) =
            (words.next(), words.next(), words.next())
        else {
            panic!(
                "{}:{}: expected `<policy> <subject> <outcome>`",
                file.display(),
                n + 1
            );
        };
        let values = words
            .map(|w| {
                let (k, v) = w.split_once('=').unwrap_or_else(|| {
                    panic!("{}:{}: `{w}` is not name=value", file.display(), n + 1)
                });
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let key = (policy.to_owned(), subject.to_owned());
        let previous = out.insert(
            key,
            Expected {
                outcome: outcome.to_owned(),
                values,
            },
        );
        assert!(
            previous.is_none(),
            "{}:{}: listed twice",
            file.display(),
            n + 1
        );
    }
    out
}

/// Compares an expected `name=value` with a decision value, numbers exactly.
fn same(expected: &str, actual: &Value) -> bool {
    match actual {
        Value::Number(n) => expected.parse::<f64>().ok() == n.as_f64(),
        Value::Bool(b) => expected == b.to_string(),
        Value::String(s) => expected == s,
        Value::Null => matches!(expected, "null" | "None"),
        other => *other.to_string() == *expected,
    }
}

#[test]
fn every_case_gives_exactly_its_expected_decisions() {
    let cases = support::subdirs(Path::new("tests/cases"));
    assert!(!cases.is_empty(), "no cases under tests/cases");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect_file = case.join("expect.txt");
        let text = std::fs::read_to_string(&expect_file)
            .unwrap_or_else(|e| panic!("{}: {e}", expect_file.display()));
        let expected = parse_expect(&text, &expect_file);
        let doc = support::evaluate(&case.join("snapshot.json"));
        let mut problems = Vec::new();
        let mut seen = BTreeMap::new();
        for d in &doc.decisions {
            seen.insert((d.policy.clone(), d.subject.clone()), d);
        }
        for ((policy, subject), exp) in &expected {
            let Some(d) = seen.get(&(policy.clone(), subject.clone())) else {
                problems.push(format!("missing: {policy} {subject} {}", exp.outcome));
                continue;
            };
            if d.outcome != exp.outcome {
                problems.push(format!(
                    "{policy} {subject}: outcome `{}`, expected `{}` ({})",
                    d.outcome, exp.outcome, d.explanation.summary
                ));
            }
            for (k, v) in &exp.values {
                match d.values.get(k) {
                    Some(actual) if same(v, actual) => {}
                    actual => problems.push(format!(
                        "{policy} {subject}: {k} is {}, expected {v}",
                        actual.map_or("absent".to_owned(), Value::to_string)
                    )),
                }
            }
        }
        for (policy, subject) in seen.keys() {
            if !expected.contains_key(&(policy.clone(), subject.clone())) {
                let d = seen[&(policy.clone(), subject.clone())];
                problems.push(format!("unexpected: {policy} {subject} {}", d.outcome));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("case `{name}`:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_case_snapshot_is_schema_valid_and_decisions_validate() {
    for case in support::subdirs(Path::new("tests/cases")) {
        let doc = support::evaluate(&case.join("snapshot.json"));
        let json: Value = serde_json::from_str(&support::to_json(&doc)).unwrap();
        let problems = bursar::schema::validate_decisions(&json);
        assert!(problems.is_empty(), "{}: {problems:?}", case.display());
    }
}
