//! `bursar import` on bad input: exit 2, the file and line (and attribute) named,
//! nothing written. The bad lines are written by hand: no real client writes them.

use std::path::Path;

use serde_json::{Value, json};

use crate::import::{T0, base, p, write};
use crate::support::bursar;

/// One span as the OTLP JSON file exporter writes it, with `change` applied.
fn span_line(change: impl FnOnce(&mut Value)) -> String {
    let mut line = json!({"resourceSpans": [{
        "resource": {"attributes": [{"key": "team.id", "value": {"stringValue": "payments"}}]},
        "scopeSpans": [{"scope": {"name": "t"}, "spans": [{
            "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331",
            "name": "invoke_agent a", "kind": 1,
            "startTimeUnixNano": T0.to_string(), "endTimeUnixNano": (T0 + 1).to_string(),
            "attributes": [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "invoke_agent"}},
                {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
                {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "12"}},
                {"key": "gen_ai.usage.output_tokens", "value": {"intValue": 3}}
            ],
            "status": {}
        }]}]
    }]});
    change(&mut line["resourceSpans"][0]["scopeSpans"][0]["spans"][0]);
    line.to_string()
}

const PRICED: &str = "[prices.\"gpt-4o\"]\ninput = 5\noutput = 15\n";

/// Imports `lines` (after one good line) and expects exit 2 naming `expected` (each),
/// with nothing written to `--out`.
fn refused(bad: &str, mapping: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let good = span_line(|s| s["spanId"] = json!("1111111111111111"));
    let otlp = write(dir.path(), "spans.jsonl", &format!("{good}\n{bad}\n"));
    refused_with(dir.path(), &["--otlp", p(&otlp)], mapping, expected);
}

fn refused_with(dir: &Path, sources: &[&str], mapping: &str, expected: &[&str]) {
    let base = base(dir);
    let map = write(dir, "map.toml", mapping);
    let out = dir.join("out.json");
    let mut args = vec![
        "import",
        "--base",
        p(&base),
        "--mapping",
        p(&map),
        "--out",
        p(&out),
    ];
    args.extend(sources);
    let run = bursar(&args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected `{e}` in:\n{stderr}");
    }
    assert!(!out.exists(), "an output was written");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_good_line_imports() {
    // The baseline the refusals below change one thing of.
    let dir = tempfile::tempdir().unwrap();
    let otlp = write(
        dir.path(),
        "spans.jsonl",
        &format!("{}\n", span_line(|_| {})),
    );
    let base = base(dir.path());
    let map = write(dir.path(), "map.toml", PRICED);
    let run = bursar(&[
        "import",
        "--base",
        p(&base),
        "--otlp",
        p(&otlp),
        "--mapping",
        p(&map),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(doc["runs"][0]["input_tokens"], 12, "intValue as a string");
    assert_eq!(doc["runs"][0]["output_tokens"], 3, "intValue as a number");
    assert_eq!(doc["runs"][0]["cost"], 0.000105);
}

#[test]
fn a_truncated_line_is_refused_at_its_line() {
    let line = span_line(|_| {});
    refused(
        &line[..line.len() / 2],
        PRICED,
        &["spans.jsonl:2:", "truncated"],
    );
}

#[test]
fn a_number_in_the_wrong_encoding_is_refused_naming_the_attribute() {
    let bad = span_line(|s| s["attributes"][2]["value"] = json!({"intValue": "12x"}));
    refused(
        &bad,
        PRICED,
        &[
            "spans.jsonl:2:",
            "attribute `gen_ai.usage.input_tokens`",
            "`intValue` \"12x\"",
        ],
    );
    let bad = span_line(|s| s["attributes"][3]["value"] = json!({"intValue": 3.5}));
    refused(
        &bad,
        PRICED,
        &["spans.jsonl:2:", "attribute `gen_ai.usage.output_tokens`"],
    );
    let bad = span_line(|s| s["startTimeUnixNano"] = json!(1.7e18));
    refused(&bad, PRICED, &["spans.jsonl:2:", "`startTimeUnixNano`"]);
}

#[test]
fn a_value_of_an_unknown_kind_is_refused_not_dropped() {
    let bad = span_line(|s| s["attributes"][0]["value"] = json!({"stringVal": "invoke_agent"}));
    refused(&bad, PRICED, &["spans.jsonl:2:", "stringVal"]);
    let bad = span_line(|s| s["status"] = json!({"code": "STATUS_CODE_ERROR"}));
    refused(
        &bad,
        PRICED,
        &["spans.jsonl:2:", "`status.code`", "integers"],
    );
}

#[test]
fn an_id_that_is_not_hex_is_refused() {
    let bad = span_line(|s| s["traceId"] = json!("Cvdlkc2VjdXJlIGlkIQ=="));
    refused(&bad, PRICED, &["spans.jsonl:2:", "`traceId`", "hex"]);
    let bad = span_line(|s| s["parentSpanId"] = json!("zz00000000000000"));
    refused(&bad, PRICED, &["spans.jsonl:2:", "`parentSpanId`"]);
}

#[test]
fn a_span_with_no_start_is_refused() {
    let bad = span_line(|s| {
        s.as_object_mut().unwrap().remove("startTimeUnixNano");
    });
    refused(
        &bad,
        PRICED,
        &[
            "spans.jsonl:2:",
            "span `b7ad6b7169203331`",
            "`startTimeUnixNano`",
        ],
    );
}

#[test]
fn every_model_without_a_price_is_listed_with_its_tokens() {
    let priced_as = |model: &str, span: &str| {
        span_line(|s| {
            s["attributes"][1]["value"] = json!({ "stringValue": model });
            s["spanId"] = json!(span);
        })
    };
    let lines = [
        priced_as("mystery-1", "2222222222222222"),
        priced_as("mystery-2", "3333333333333333"),
        priced_as("mystery-1", "4444444444444444"),
    ];
    // No price at all: the good line's `gpt-4o` is listed too.
    refused(
        &lines.join("\n"),
        "",
        &[
            "3 models have no price",
            "`gpt-4o`: 12 input and 3 output tokens (first at ",
            "`mystery-1`: 24 input and 6 output tokens (first at ",
            "spans.jsonl:2)",
            "`mystery-2`: 12 input and 3 output tokens (first at ",
        ],
    );
}

#[test]
fn a_team_that_is_no_squad_is_refused_at_its_record() {
    let bad = span_line(|s| {
        s["attributes"][0]["value"] = json!({"stringValue": "invoke_agent"});
    })
    .replace("\"payments\"", "\"ghost-team\"");
    refused(
        &bad,
        PRICED,
        &[
            "spans.jsonl:2:",
            "team `ghost-team` is not a squad",
            "[squads]",
        ],
    );
}

#[test]
fn a_base_that_is_not_a_valid_snapshot_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let base_path = base(dir.path());
    let text = std::fs::read_to_string(&base_path).unwrap();
    std::fs::write(
        &base_path,
        text.replace("\"central_tokens\"", "\"centrl_tokens\""),
    )
    .unwrap();
    let otlp = write(
        dir.path(),
        "spans.jsonl",
        &format!("{}\n", span_line(|_| {})),
    );
    let out = dir.path().join("out.json");
    let map = write(dir.path(), "map.toml", PRICED);
    let run = bursar(&[
        "import",
        "--base",
        p(&base_path),
        "--otlp",
        p(&otlp),
        "--mapping",
        p(&map),
        "--out",
        p(&out),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("base.json") && stderr.contains("/budgets"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_mapping_key_bursar_does_not_know_is_refused_with_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    let otlp = write(
        dir.path(),
        "spans.jsonl",
        &format!("{}\n", span_line(|_| {})),
    );
    refused_with(
        dir.path(),
        &["--otlp", p(&otlp)],
        &format!("{PRICED}[traces]\nsqad = \"resource:team.id\"\n"),
        &["map.toml: [traces]: unknown key `sqad` (did you mean `squad`?)"],
    );
    refused_with(
        dir.path(),
        &["--otlp", p(&otlp)],
        &format!("{PRICED}[traces]\nsquad = \"resorce:team.id\"\n"),
        &["unknown source `resorce:` (did you mean `resource`?)"],
    );
}

#[test]
fn bad_litellm_records_are_refused_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = json!({"id": "r-1", "trace_id": "t", "startTime": 1_794_909_600.0, "response_cost": 0.001,
        "prompt_tokens": 10, "completion_tokens": 2, "model": "m", "status": "success",
        "request_tags": [], "metadata": {"user_api_key_team_alias": "payments"}});
    let mut no_cost = good.clone();
    no_cost["response_cost"] = Value::Null;
    let file = write(dir.path(), "ll.jsonl", &format!("{good}\n{no_cost}\n"));
    refused_with(
        dir.path(),
        &["--litellm", p(&file)],
        "",
        &["ll.jsonl:2:", "`response_cost`"],
    );
    let mut bad_status = good.clone();
    bad_status["status"] = json!("ok");
    let file = write(dir.path(), "ll.jsonl", &format!("{good}\n{bad_status}\n"));
    refused_with(
        dir.path(),
        &["--litellm", p(&file)],
        "",
        &["ll.jsonl:2:", "`status` `ok`"],
    );
}

#[test]
fn a_span_read_twice_is_refused_at_its_second_line() {
    // The spans are checked once every source is read: the second reading is named.
    let again = span_line(|s| s["spanId"] = json!("1111111111111111"));
    refused(
        &again,
        PRICED,
        &[
            "spans.jsonl:2: span `1111111111111111` of trace `0af7651916cd43dd8448eb211c80319c` appears twice (first at line 1)",
        ],
    );
}
