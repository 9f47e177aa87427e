//! `bursar import` on data the real clients wrote: traces and Claude Code-like events by
//! the OpenTelemetry Python SDK's JSON file exporter, payloads by the `litellm` package
//! itself (tests/telemetry/). Each imported run is checked field by field against what
//! the client was told to emit.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::support::{bursar, root};

/// 2026-11-16T10:00:00Z, the first day of the example's sprint (2026-11-16..2026-11-29).
pub const T0: u64 = 1_794_823_200_000_000_000;
const SECOND: u64 = 1_000_000_000;
const DAY: u64 = 86_400 * SECOND;

/// Panics (never skips) when python3 cannot import `module`: the test was built to run.
pub fn require(module: &str, what: &str) {
    let probe = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output();
    match probe {
        Ok(p) if p.status.success() => {}
        Ok(p) => panic!(
            "this test needs {what}: python3 cannot import {module} ({}); install it as .ci/run does",
            String::from_utf8_lossy(&p.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ),
        Err(e) => panic!("this test needs python3 with {what}: {e}"),
    }
}

pub fn require_otel() {
    require(
        "opentelemetry.exporter.otlp.json.file",
        "opentelemetry-sdk and opentelemetry-exporter-otlp-json-file",
    );
}

/// Runs a generator of tests/telemetry on `plan`, writing `out`.
pub fn generate(script: &str, plan: &Value, dir: &Path, name: &str) -> PathBuf {
    let plan_path = dir.join(format!("{name}.plan.json"));
    std::fs::write(&plan_path, plan.to_string()).unwrap();
    let out = dir.join(format!("{name}.jsonl"));
    let run = Command::new("python3")
        .arg(root().join("tests/telemetry").join(script))
        .arg(&plan_path)
        .arg(&out)
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

/// The example's sprint, squads, budgets and catalog, without runs.
pub fn base(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join("examples/sprint-2026-S24.json")).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let map = doc.as_object_mut().unwrap();
    map.remove("run_groups");
    map.insert("runs".into(), json!([]));
    let path = dir.join("base.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path
}

/// `base` counting in `currency`, written beside it.
fn in_currency(base: &Path, currency: &str) -> PathBuf {
    let mut doc: Value = serde_json::from_slice(&std::fs::read(base).unwrap()).unwrap();
    doc["currency"] = json!(currency);
    let path = base.with_file_name(format!("base-{currency}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    path
}

/// Runs `bursar import` with `args` and `--out`, expecting exit 2 with each of
/// `expected` on stderr and nothing written.
fn import_refused(dir: &Path, args: &[&str], expected: &[&str]) {
    let out = dir.join("refused.json");
    let run = bursar(&[&["import"], args, &["--out", p(&out)]].concat());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected `{e}` in:\n{stderr}");
    }
    assert!(!out.exists(), "an output was written");
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `bursar import` with `args`, expecting success; the written snapshot.
pub fn import(args: &[&str]) -> (Value, String) {
    let out = bursar(&[&["import"], args].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = serde_json::from_slice(&out.stdout).expect("the output is JSON");
    (doc, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Runs `bursar import` of one source (`--otlp` or `--litellm` and its file) over `base`
/// with `mapping`, expecting success; the written snapshot.
fn import_one(base: &Path, (flag, source): (&str, &Path), mapping: &Path) -> (Value, String) {
    import(&["--base", p(base), flag, p(source), "--mapping", p(mapping)])
}

/// Checks the snapshot holds `n` runs, listing them when it does not.
fn assert_runs(doc: &Value, n: usize) {
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), n, "{:#}", doc["runs"]);
}

/// Checks a run's workflow and variant; `None`: untagged (both null).
fn assert_tag(run: &Value, tag: Option<(&str, &str)>) {
    let expected = tag.map_or((Value::Null, Value::Null), |(w, v)| (json!(w), json!(v)));
    assert_eq!(
        (&run["workflow"], &run["variant"]),
        (&expected.0, &expected.1),
        "run {}",
        run["id"]
    );
}

pub fn run<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no run `{id}` in {:#}", doc["runs"]))
}

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Checks the cost to the micro-unit the snapshot counts.
pub fn assert_cost(run: &Value, expected: f64) {
    let cost = run["cost"].as_f64().unwrap();
    assert!(
        (cost - expected).abs() < 0.6e-6,
        "run {}: cost {cost}, expected {expected}",
        run["id"]
    );
}

const PRICES: &str = r#"
[traces]
outcome = "attribute:run.outcome"

[squads]
t-7 = "search"

[prices."gpt-4o-2024-08-06"]
input = 2.5
output = 10.0

[prices."gpt-4o"]
input = 5
output = 15

[prices."claude-sonnet-4-5"]
input = 3.0
output = 15.0
"#;

fn chat(model: &str, response: Option<&str>, tokens: (u64, u64), start: u64) -> Value {
    let mut span = json!({
        "name": format!("chat {model}"), "operation": "chat", "request_model": model,
        "input_tokens": tokens.0, "output_tokens": tokens.1,
        "start_ns": start, "end_ns": start + SECOND,
    });
    if let Some(r) = response {
        span["response_model"] = json!(r);
    }
    span
}

/// Nested agents, model calls with and without usage on the agent span, an error,
/// a span outside the sprint, usage outside any agent, two resources.
fn traces_plan(batch: bool) -> Value {
    json!({
        "batch": batch,
        "resources": {
            "pay": {"service.name": "agents", "team.id": "payments"},
            "bare": {"service.name": "agents"}
        },
        "traces": [
            {"resource": "pay", "trace_id": "11111111111111111111111111111111", "spans": [{
                "name": "invoke_agent bugfix-triage", "span_id": "1000000000000001",
                "operation": "invoke_agent", "agent": "bugfix-triage", "version": "A",
                "start_ns": T0 + 123, "end_ns": T0 + 60 * SECOND,
                "children": [
                    chat("gpt-4o", Some("gpt-4o-2024-08-06"), (100, 20), T0 + SECOND),
                    {"name": "invoke_agent helper", "operation": "invoke_agent", "agent": "helper",
                     "version": "v1", "start_ns": T0 + 2 * SECOND, "end_ns": T0 + 9 * SECOND,
                     "children": [chat("claude-sonnet-4-5", None, (50, 10), T0 + 3 * SECOND)]},
                    {"name": "execute_tool grep", "operation": "execute_tool",
                     "start_ns": T0 + 10 * SECOND, "end_ns": T0 + 20 * SECOND,
                     "children": [chat("gpt-4o", None, (7, 3), T0 + 11 * SECOND)]}
                ]
            }]},
            {"resource": "pay", "trace_id": "22222222222222222222222222222222", "spans": [{
                "name": "invoke_workflow release", "span_id": "2000000000000002",
                "operation": "invoke_workflow", "workflow": "release", "agent": "ignored",
                "version": "B", "request_model": "gpt-4o",
                "input_tokens": 1000, "output_tokens": 200, "status": "error",
                "start_ns": T0 + DAY, "end_ns": T0 + DAY + 5 * SECOND,
                "children": [chat("gpt-4o", None, (10, 10), T0 + DAY + SECOND)]
            }]},
            {"resource": "bare", "trace_id": "33333333333333333333333333333333", "spans": [{
                "name": "invoke_agent", "span_id": "3000000000000003", "operation": "invoke_agent",
                "attributes": {"team.id": "t-7", "run.outcome": "abandoned"},
                "start_ns": T0 + 13 * DAY + 50_399 * SECOND, "end_ns": T0 + 14 * DAY,
                "children": [chat("gpt-4o", None, (5, 5), T0 + 13 * DAY + 50_399 * SECOND)]
            }]},
            {"resource": "pay", "trace_id": "44444444444444444444444444444444", "spans": [{
                "name": "invoke_agent late", "span_id": "4000000000000004", "operation": "invoke_agent",
                "agent": "late", "version": "v1",
                "start_ns": T0 + 20 * DAY, "end_ns": T0 + 20 * DAY + SECOND
            }]},
            {"resource": "pay", "trace_id": "55555555555555555555555555555555", "spans": [
                chat("gpt-4o", None, (1, 1), T0 + 2 * DAY)
            ]}
        ]
    })
}

#[test]
#[cfg_attr(
    not(have_otel_sdk),
    ignore = "needs opentelemetry-sdk and its JSON file exporter (.ci/run installs them)"
)]
fn sdk_traces_import_field_by_field() {
    require_otel();
    let dir = tempfile::tempdir().unwrap();
    let otlp = generate("otel_spans.py", &traces_plan(false), dir.path(), "traces");
    let mapping = write(dir.path(), "map.toml", PRICES);
    let base = base(dir.path());
    let (doc, stderr) = import_one(&base, ("--otlp", &otlp), &mapping);
    assert_runs(&doc, 3);

    // Usage on the model calls, summed through a nested agent and a tool span.
    let r = run(
        &doc,
        "otlp:11111111111111111111111111111111:1000000000000001",
    );
    assert_eq!(r["squad"], "payments");
    assert_tag(r, Some(("bugfix-triage", "A")));
    assert_eq!(r["pool"], "central", "a standard catalog entry");
    assert_eq!(
        (&r["input_tokens"], &r["output_tokens"]),
        (&json!(157), &json!(33))
    );
    // Priced by the response model when there is one, else the request model.
    assert_cost(
        r,
        (100.0 * 2.5 + 20.0 * 10.0 + 50.0 * 3.0 + 10.0 * 15.0 + 7.0 * 5.0 + 3.0 * 15.0) / 1e6,
    );
    assert_eq!(r["outcome"], "success");
    assert_eq!(r["started_at"], "2026-11-16T10:00:00.000000123Z");

    // Usage on the run span itself: its children's is not added (never both).
    let r = run(
        &doc,
        "otlp:22222222222222222222222222222222:2000000000000002",
    );
    assert_tag(r, Some(("release", "B")));
    assert_eq!(r["pool"], "exploration");
    assert_eq!(
        (&r["input_tokens"], &r["output_tokens"]),
        (&json!(1000), &json!(200))
    );
    assert_cost(r, (1000.0 * 5.0 + 200.0 * 15.0) / 1e6);
    assert_eq!(r["outcome"], "failure", "span status ERROR");
    assert_eq!(r["started_at"], "2026-11-17T10:00:00Z");

    // No resource team: the span's own, translated by [squads]; no name: untagged; the
    // last second of the sprint's last day is in it; the mapped outcome wins.
    let r = run(
        &doc,
        "otlp:33333333333333333333333333333333:3000000000000003",
    );
    assert_eq!(r["squad"], "search");
    assert_tag(r, None);
    assert_eq!(r["outcome"], "abandoned");
    assert_eq!(r["started_at"], "2026-11-29T23:59:59Z");

    let source = &doc["provenance"]["sources"][0];
    assert_eq!(source["runs_kept"], 3);
    assert_eq!(source["runs_outside_sprint"], 1, "the late agent");
    assert_eq!(
        source["records_in_no_run"], 1,
        "the model call outside any agent"
    );
    assert_eq!(source["records"], 12);
    assert!(
        stderr.contains("3 runs kept, 1 outside sprint 2026-S24 (left out)"),
        "{stderr}"
    );
}

#[test]
#[cfg_attr(
    not(have_otel_sdk),
    ignore = "needs opentelemetry-sdk and its JSON file exporter (.ci/run installs them)"
)]
fn inputs_in_any_order_and_batching_give_the_same_bytes() {
    require_otel();
    let dir = tempfile::tempdir().unwrap();
    let one = generate(
        "otel_spans.py",
        &traces_plan(false),
        dir.path(),
        "one-a-line",
    );
    let batched = generate("otel_spans.py", &traces_plan(true), dir.path(), "batched");
    let logs = generate("otel_logs.py", &logs_plan(), dir.path(), "logs");
    let mapping = write(dir.path(), "map.toml", &format!("{PRICES}{LOGS_MAPPING}"));
    let base = base(dir.path());
    let with = |files: &[&Path]| {
        let mut args = vec!["--base", p(&base), "--mapping", p(&mapping)];
        for f in files {
            args.extend(["--otlp", p(f)]);
        }
        bursar(&[&["import"], args.as_slice()].concat())
    };
    let ab = with(&[&one, &logs]);
    let ba = with(&[&logs, &one]);
    assert_eq!(
        ab.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ab.stderr)
    );
    assert_eq!(
        ab.stdout, ba.stdout,
        "the order of the sources changed the bytes"
    );
    // Spans one a line (children first) or batched: the same runs.
    let runs = |out: &std::process::Output| {
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["runs"].clone()
    };
    let b = with(&[&batched, &logs]);
    assert_eq!(runs(&ab), runs(&b));
}

const LOGS_MAPPING: &str = r#"
[logs]
workflow = "resource:workflow.name"
variant = "resource:workflow.variant"
"#;

fn event(
    resource: &str,
    session: &str,
    at: u64,
    tokens: [u64; 4],
    cost: f64,
    strings: bool,
) -> Value {
    json!({
        "resource": resource, "timestamp_ns": at, "session": session,
        "model": "claude-sonnet-4-5", "cost_usd": cost,
        "input_tokens": tokens[0], "output_tokens": tokens[1],
        "cache_read_tokens": tokens[2], "cache_creation_tokens": tokens[3],
        "strings": strings,
    })
}

fn logs_plan() -> Value {
    json!({
        "resources": {
            "cc-pay": {"service.name": "claude-code", "team.id": "payments",
                        "workflow.name": "bugfix-triage", "workflow.variant": "A"},
            "cc-search": {"service.name": "claude-code", "team.id": "t-7"}
        },
        "events": [
            event("cc-pay", "s-1", T0 + 5 * SECOND, [100, 20, 300, 40], 0.0123, true),
            event("cc-pay", "s-1", T0 + 2 * SECOND, [10, 5, 0, 0], 0.0005, false),
            event("cc-search", "s-2", T0 + 3 * DAY, [7, 3, 1, 2], 0.25, false),
            event("cc-search", "s-3", T0 - DAY, [1, 1, 0, 0], 0.1, false),
            {"resource": "cc-pay", "timestamp_ns": T0, "session": "s-1",
             "model": "claude-sonnet-4-5", "event": "user_prompt"}
        ]
    })
}

#[test]
#[cfg_attr(
    not(have_otel_sdk),
    ignore = "needs opentelemetry-sdk and its JSON file exporter (.ci/run installs them)"
)]
fn sdk_claude_code_events_import_as_sessions() {
    require_otel();
    let dir = tempfile::tempdir().unwrap();
    let otlp = generate("otel_logs.py", &logs_plan(), dir.path(), "logs");
    let mapping = write(dir.path(), "map.toml", &format!("{PRICES}{LOGS_MAPPING}"));
    let base = base(dir.path());
    let (doc, _) = import_one(&base, ("--otlp", &otlp), &mapping);
    assert_runs(&doc, 2);

    let r = run(&doc, "claude-code:s-1");
    assert_eq!(r["squad"], "payments");
    assert_tag(r, Some(("bugfix-triage", "A")));
    assert_eq!(r["pool"], "central");
    // Input counts cache reads and cache creation too.
    assert_eq!(r["input_tokens"], 100 + 300 + 40 + 10);
    assert_eq!(r["output_tokens"], 25);
    assert_cost(r, 0.0128);
    assert_eq!(r["outcome"], "success");
    assert_eq!(
        r["started_at"], "2026-11-16T10:00:02Z",
        "the session's earliest event"
    );

    let r = run(&doc, "claude-code:s-2");
    assert_eq!(r["squad"], "search");
    assert_tag(r, None);
    assert_eq!(
        (&r["input_tokens"], &r["output_tokens"]),
        (&json!(10), &json!(3))
    );
    assert_cost(r, 0.25);

    let source = &doc["provenance"]["sources"][0];
    assert_eq!(
        source["runs_outside_sprint"], 1,
        "s-3 started the day before"
    );
    assert_eq!(source["records_in_no_run"], 1, "the user_prompt event");

    // A base in euros: `cost_usd` is converted by the mapping's rate, never taken as
    // euros; with no rate each session is priced by the mapping's prices instead.
    let eur = in_currency(&base, "EUR");
    let rated = write(
        dir.path(),
        "eur.toml",
        &format!("{PRICES}{LOGS_MAPPING}\n[currency]\ncode = \"EUR\"\nusd_rate = 0.9\n"),
    );
    let (doc, _) = import_one(&eur, ("--otlp", &otlp), &rated);
    assert_cost(run(&doc, "claude-code:s-1"), 0.0128 * 0.9);
    assert_cost(run(&doc, "claude-code:s-2"), 0.25 * 0.9);
    let (doc, _) = import_one(&eur, ("--otlp", &otlp), &mapping);
    // claude-sonnet-4-5 at 3 and 15 per million: (450 × 3 + 25 × 15) / 10⁶.
    assert_cost(run(&doc, "claude-code:s-1"), 0.001725);
    assert_cost(
        run(&doc, "claude-code:s-2"),
        (10.0 * 3.0 + 3.0 * 15.0) / 1e6,
    );
}

/// The payloads litellm wrote, by trace id: (tokens in, tokens out, cost, statuses).
fn payloads(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
#[cfg_attr(
    not(have_litellm),
    ignore = "needs litellm and freezegun (.ci/run installs them)"
)]
fn litellm_payloads_import_by_trace() {
    require("litellm", "litellm");
    require("freezegun", "freezegun");
    let dir = tempfile::tempdir().unwrap();
    let tags = json!(["workflow:bugfix-triage", "variant:A"]);
    let plan = json!({"calls": [
        // A failed call retried with success: one run, a success.
        {"at": "2026-11-17T10:00:00Z", "model": "gpt-4o-mini", "fail": true, "trace_id": "tr-1",
         "tags": tags, "team_id": "t-1", "team_alias": "payments"},
        {"at": "2026-11-17T10:00:03.250Z", "model": "gpt-4o-mini", "response": "fixed it in two lines",
         "trace_id": "tr-1", "tags": tags, "team_id": "t-1", "team_alias": "payments"},
        // No alias: the team id, translated by [squads]; a success then a failure.
        {"at": "2026-11-18T09:00:00Z", "model": "gpt-4o-mini", "response": "ok", "trace_id": "tr-2", "team_id": "t-7"},
        {"at": "2026-11-18T09:01:00Z", "model": "gpt-4o-mini", "fail": true, "trace_id": "tr-2", "team_id": "t-7"},
        // No trace id given: litellm draws one; outside the sprint.
        {"at": "2026-12-01T00:00:00Z", "model": "gpt-4o-mini", "response": "late", "team_alias": "search"}
    ]});
    let file = generate("litellm_logs.py", &plan, dir.path(), "litellm");
    let written = payloads(&file);
    assert_eq!(written.len(), 5);
    let mapping = write(dir.path(), "map.toml", "[squads]\nt-7 = \"search\"\n");
    let base = base(dir.path());
    let (doc, stderr) = import_one(&base, ("--litellm", &file), &mapping);
    assert_runs(&doc, 2);
    let sum = |trace: &str, field: &str| -> f64 {
        written
            .iter()
            .filter(|w| w["trace_id"] == trace)
            .map(|w| w[field].as_f64().unwrap())
            .sum()
    };

    let r = run(&doc, "litellm:trace:tr-1");
    assert_eq!(r["squad"], "payments");
    assert_tag(r, Some(("bugfix-triage", "A")));
    assert_eq!(r["pool"], "central");
    assert_eq!(r["outcome"], "success", "the retry succeeded");
    assert_eq!(
        r["input_tokens"].as_f64().unwrap(),
        sum("tr-1", "prompt_tokens")
    );
    assert_eq!(
        r["output_tokens"].as_f64().unwrap(),
        sum("tr-1", "completion_tokens")
    );
    assert!(
        r["output_tokens"].as_u64().unwrap() > 0,
        "the mocked completion has tokens"
    );
    assert_cost(r, sum("tr-1", "response_cost"));
    assert_eq!(r["started_at"], "2026-11-17T10:00:00Z", "the first attempt");

    let r = run(&doc, "litellm:trace:tr-2");
    assert_eq!(r["squad"], "search");
    assert_tag(r, None);
    assert_eq!(r["outcome"], "failure", "its last call failed");
    assert_cost(r, sum("tr-2", "response_cost"));

    let late = written
        .iter()
        .find(|w| w["trace_id"] != "tr-1" && w["trace_id"] != "tr-2")
        .unwrap();
    assert!(late["trace_id"].is_string(), "litellm drew a trace id");
    let source = &doc["provenance"]["sources"][0];
    assert_eq!(source["runs_outside_sprint"], 1);
    assert_eq!(source["records"], 5);
    assert!(stderr.contains("2 runs kept, 1 outside sprint"), "{stderr}");

    // `response_cost` is in US dollars: a base in euros needs the mapping's rate.
    let eur = in_currency(&base, "EUR");
    let sources = ["--base", p(&eur), "--litellm", p(&file), "--mapping"];
    import_refused(
        dir.path(),
        &[&sources[..], &[p(&mapping)]].concat(),
        &[
            "litellm.jsonl:1: LiteLLM's `response_cost` is in USD and the base counts in `EUR`",
            "`[currency]` with `code = \"EUR\"` and `usd_rate`",
        ],
    );
    let rate = |code: &str| {
        let text =
            format!("[squads]\nt-7 = \"search\"\n[currency]\ncode = \"{code}\"\nusd_rate = 0.5\n");
        write(dir.path(), &format!("{code}.toml"), &text)
    };
    let gbp = rate("GBP");
    import_refused(
        dir.path(),
        &[&sources[..], &[p(&gbp)]].concat(),
        &["GBP.toml: [currency] code `GBP` is not the base's currency `EUR`"],
    );
    let eur_rate = rate("EUR");
    let (doc, _) = import(&[&sources[..], &[p(&eur_rate)]].concat());
    assert_cost(
        run(&doc, "litellm:trace:tr-1"),
        sum("tr-1", "response_cost") * 0.5,
    );
    assert_cost(
        run(&doc, "litellm:trace:tr-2"),
        sum("tr-2", "response_cost") * 0.5,
    );
}
