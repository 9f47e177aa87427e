//! Input that lies quietly (issue 18, handbook v1.1): a run dated outside its sprint is
//! warned about (stderr and the document) or, on request, refused at its pointer; a
//! family named `(untagged)` keeps its own row in `health`'s tokens by family; and an
//! integer past 2^53 is compared with a float threshold without rounding.

use serde_json::{Value, json};

use crate::support::{self, bursar};

fn example() -> Value {
    serde_json::from_slice(&std::fs::read(support::root().join(support::example())).unwrap())
        .unwrap()
}

/// Writes `doc` to a temporary file; returns the folder (kept alive) and the path.
fn written(doc: &Value) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.json");
    std::fs::write(&path, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

fn eval(path: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["eval", "--snapshot", path, "--fail-on", "never"];
    args.extend(extra);
    bursar(&args)
}

fn warnings(doc: &Value) -> Vec<&Value> {
    doc["warnings"]
        .as_array()
        .map(|w| w.iter().collect())
        .unwrap_or_default()
}

/// A run dated a year early is accepted and warned about by name; the last second of the
/// sprint's last UTC day and the first of its first are inside; a run group's first run
/// counts by `first_started_at`.
#[test]
fn a_run_outside_the_sprint_is_a_warning_naming_it() {
    let mut doc = example();
    let runs = doc["runs"].as_array_mut().unwrap();
    runs[0]["started_at"] = json!("2025-01-01T10:00:00Z");
    runs[1]["started_at"] = json!("2026-11-29T23:59:59Z");
    runs[2]["started_at"] = json!("2026-11-16T00:00:00Z");
    // An offset moves it across midnight UTC: 2026-11-30T00:30:00Z.
    runs[3]["started_at"] = json!("2026-11-29T23:30:00-01:00");
    let (first, fourth) = (runs[0]["id"].clone(), runs[3]["id"].clone());
    let (_dir, path) = written(&doc);
    let out = eval(&path, &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let decisions: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = warnings(&decisions);
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed[0]["code"], "run-outside-sprint");
    assert_eq!(listed[0]["run"], first);
    assert_eq!(listed[1]["run"], fourth);
    let message = listed[0]["message"].as_str().unwrap();
    assert!(message.contains(first.as_str().unwrap()), "{message}");
    assert!(err.contains(&format!("warning: {message}")), "{err}");
    // The document is still valid against its schema.
    assert!(bursar::validate_decisions(&decisions).is_empty());

    // Refused on request: exit 2, each at its pointer, nothing on stdout.
    let refused = eval(&path, &["--refuse-runs-outside-sprint"]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(refused.stdout.is_empty());
    assert!(err.contains("/runs/0/started_at: run"), "{err}");
    assert!(err.contains("/runs/3/started_at: run"), "{err}");
    assert!(!err.contains("/runs/1/"), "{err}");
}

/// `validate` warns about the same runs in the same words as `eval` (still valid, exit 0),
/// and refuses them on request.
#[test]
fn validate_warns_about_runs_outside_the_sprint_in_evals_words() {
    let mut doc = example();
    doc["runs"][2]["started_at"] = json!("2025-01-01T10:00:00Z");
    let (_dir, path) = written(&doc);
    let out = bursar(&["validate", &path]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("valid snapshot"));
    let decisions: Value = serde_json::from_slice(&eval(&path, &[]).stdout).unwrap();
    let message = warnings(&decisions)[0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(err.trim_end(), format!("warning: {message}"));

    let refused = bursar(&["validate", &path, "--refuse-runs-outside-sprint"]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(refused.stdout.is_empty());
    assert!(
        err.contains(&format!("/runs/2/started_at: {message}")),
        "{err}"
    );

    // A snapshot with every run inside warns about nothing.
    let (_dir, inside) = written(&example());
    let out = bursar(&["validate", &inside, "--refuse-runs-outside-sprint"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_run_group_outside_the_sprint_is_a_warning_naming_its_first_run() {
    let out = bursar(&["gen", "--runs", "200", "--groups", "--seed", "5"]);
    assert_eq!(out.status.code(), Some(0));
    let mut doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let group = &mut doc["run_groups"][1];
    group["first_started_at"] = json!("2030-01-01T00:00:00Z");
    let id = group["first_run_id"].clone();
    let (_dir, path) = written(&doc);
    let out = eval(&path, &[]);
    assert_eq!(out.status.code(), Some(0));
    let decisions: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = warnings(&decisions);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["run"], id);
    let refused = eval(&path, &["--refuse-runs-outside-sprint"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("/run_groups/1/first_started_at"));
}

/// A snapshot of runs all dated elsewhere gives a bounded list: the first hundred named,
/// then one warning counting the rest.
#[test]
fn many_runs_outside_the_sprint_give_a_bounded_list() {
    let mut doc = example();
    let runs = doc["runs"].as_array_mut().unwrap();
    let n = runs.len();
    assert!(n > 101, "the example has {n} runs");
    for run in runs.iter_mut() {
        run["started_at"] = json!("2020-02-02T02:02:02Z");
    }
    let (_dir, path) = written(&doc);
    let out = eval(&path, &[]);
    let decisions: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = warnings(&decisions);
    assert_eq!(listed.len(), 101);
    let last = listed[100]["message"].as_str().unwrap();
    assert!(last.contains(&format!("{} more runs", n - 100)), "{last}");
}

/// A workflow family named `(untagged)` (a legal name) keeps its own row beside the
/// untagged runs' row, whose key no family name can hold.
#[test]
fn a_family_named_untagged_keeps_its_own_row() {
    let before = support::evaluate(&support::example());
    let health = |doc: &bursar::Document| {
        let d = doc.decisions.iter().find(|d| d.policy == "health").unwrap();
        serde_json::to_value(&d.values).unwrap()["exploration_tokens_by_family"].clone()
    };
    let untagged = health(&before)[bursar::UNTAGGED].clone();
    assert!(untagged.as_u64().unwrap() > 0);

    let mut doc = example();
    let runs = doc["runs"].as_array_mut().unwrap();
    let run = runs
        .iter_mut()
        .find(|r| r["pool"] == "exploration" && r["workflow"].is_string())
        .unwrap();
    run["workflow"] = json!("(untagged)");
    let tokens = run["input_tokens"].as_u64().unwrap() + run["output_tokens"].as_u64().unwrap();
    let (_dir, path) = written(&doc);
    let after = support::evaluate(std::path::Path::new(&path));
    let by_family = health(&after);
    assert_eq!(by_family["(untagged)"], json!(tokens), "{by_family}");
    assert_eq!(by_family[bursar::UNTAGGED], untagged, "{by_family}");
}

/// A top-up of 2^53 + 1 tokens against a cap of 2^53 (half a baseline of 2^54, a float
/// in the policy) is over the cap: through f64 both sides would be 2^53.
#[test]
fn an_integer_past_2_pow_53_against_a_float_cap_is_compared_exactly() {
    let mut doc = example();
    let squad = doc["topups"][0]["squad"].clone();
    let topups = doc["topups"].as_array_mut().unwrap();
    topups.retain(|t| t["squad"] != squad || t["id"] == "tu-1");
    topups[0]["tokens"] = json!(9_007_199_254_740_993_u64);
    let budgets = doc["budgets"]["exploration"].as_array_mut().unwrap();
    let budget = budgets.iter_mut().find(|b| b["squad"] == squad).unwrap();
    budget["baseline_tokens"] = json!(18_014_398_509_481_984_u64);
    let (_dir, path) = written(&doc);
    let out = eval(&path, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decisions: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = decisions["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["policy"] == "topups" && d["subject"] == "tu-1")
        .unwrap();
    let cap = d["explanation"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["label"] == "granted top-ups with this one")
        .unwrap();
    assert_eq!(cap["pass"], false, "{cap}");
    assert_eq!(d["values"]["within_cap"], false, "{d}");
}
