//! Properties: promotion is workflow-centric, so renaming or reassigning squads never
//! changes a promotion outcome; and no script, however broken or hostile, makes `check` or
//! `eval` panic or hang: it compiles and runs, or ends in a policy error.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{Value, json};

use bursar::Host;
use bursar::Limits;

const SQUADS: [&str; 4] = ["payments", "platform", "search", "mobile"];
const WORKFLOWS: [&str; 2] = ["refactor+tests", "bugfix"];
const VARIANTS: [&str; 3] = ["A", "B", "C"];
const OUTCOMES: [&str; 3] = ["success", "failure", "abandoned"];

#[derive(Debug, Clone)]
struct RunSpec {
    squad: usize,
    workflow: usize,
    variant: usize,
    outcome: usize,
    cost_cents: u32,
    minute: u32,
}

fn run_spec() -> impl Strategy<Value = RunSpec> {
    (
        0..4usize,
        0..2usize,
        0..3usize,
        0..3usize,
        1..500u32,
        0..600u32,
    )
        .prop_map(
            |(squad, workflow, variant, outcome, cost_cents, minute)| RunSpec {
                squad,
                workflow,
                variant,
                // Mostly successes, so candidates appear.
                outcome: if outcome == 2 { 0 } else { outcome },
                cost_cents,
                minute,
            },
        )
}

fn snapshot(runs: &[RunSpec], squad_names: &[String]) -> Value {
    let runs: Vec<Value> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "id": format!("r-{i:04}"),
                "squad": squad_names[r.squad],
                "workflow": WORKFLOWS[r.workflow],
                "variant": VARIANTS[r.variant],
                "pool": "exploration",
                "input_tokens": 1000,
                "output_tokens": 500,
                "cost": f64::from(r.cost_cents) / 100.0,
                "outcome": OUTCOMES[r.outcome],
                "started_at": format!("2026-11-17T{:02}:{:02}:00Z", r.minute / 60, r.minute % 60),
            })
        })
        .collect();
    json!({
        "schema_version": 1,
        "sprint": {"id": "S1", "start": "2026-11-16", "end": "2026-11-29"},
        "squads": squad_names.iter().map(|s| json!({"id": s, "headcount": 5})).collect::<Vec<_>>(),
        "budgets": {"central_tokens": 0, "exploration": squad_names.iter().map(|s| json!({"squad": s, "baseline_tokens": 2000000})).collect::<Vec<_>>()},
        "topups": [],
        "catalog": [{"workflow": "refactor+tests", "variant": "A", "status": "standard"}],
        "runs": runs,
    })
}

fn promotion_outcomes(host: &Host, pack: &bursar::Pack, doc: &Value) -> BTreeMap<String, String> {
    let bytes = serde_json::to_vec(doc).unwrap();
    let loaded =
        bursar::parse_snapshot(&bytes, "generated").expect("generated snapshots are valid");
    let evaluation = bursar::evaluate_loaded(host, pack, loaded).expect("evaluation succeeds");
    evaluation
        .document
        .decisions
        .into_iter()
        .filter(|d| d.policy == "promotion")
        .map(|d| (d.subject, d.outcome))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn renaming_or_reassigning_squads_never_changes_promotion(
        runs in prop::collection::vec(run_spec(), 1..60),
        renames in Just(SQUADS).prop_shuffle(),
        reassign in prop::collection::vec(0..4usize, 60),
    ) {
        let (host, pack) = Host::open(std::path::Path::new("policies"), Limits::default()).unwrap();
        let names: Vec<String> = SQUADS.iter().map(|s| s.to_string()).collect();
        let before = promotion_outcomes(&host, &pack, &snapshot(&runs, &names));

        let renamed: Vec<String> = renames.iter().map(|s| format!("{s}-renamed")).collect();
        prop_assert_eq!(&before, &promotion_outcomes(&host, &pack, &snapshot(&runs, &renamed)));

        let moved: Vec<RunSpec> = runs
            .iter()
            .zip(&reassign)
            .map(|(r, &squad)| RunSpec { squad, ..r.clone() })
            .collect();
        prop_assert_eq!(&before, &promotion_outcomes(&host, &pack, &snapshot(&moved, &names)));
    }
}

/// Limits low enough that any generated script stops within milliseconds in a debug build.
fn fuzz_limits() -> Limits {
    Limits {
        max_operations: 20_000,
        max_call_levels: 8,
        max_expr_depth: 32,
        max_string_size: 1 << 16,
        max_array_size: 10_000,
        max_map_size: 1_000,
        timeout_ms: 2_000,
        max_memory_mb: 256,
        max_decisions: 1_000,
        ..Limits::default()
    }
}

/// Compiles `source` as a one-policy pack (what `check` does) and, if it compiles,
/// evaluates it on a small snapshot; returns the error text, if any. Panics only if
/// bursar itself did.
fn compile_and_run(source: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("generated.rhai"), source).unwrap();
    let result = Host::open(dir.path(), fuzz_limits()).and_then(|(host, pack)| {
        let names: Vec<String> = SQUADS.iter().map(|s| s.to_string()).collect();
        let runs: Vec<RunSpec> = (0..12)
            .map(|i| RunSpec {
                squad: i % 4,
                workflow: i % 2,
                variant: i % 3,
                outcome: i % 2,
                cost_cents: 100 + i as u32,
                minute: i as u32,
            })
            .collect();
        let mut doc = snapshot(&runs, &names);
        doc["topups"] = json!([
            {"id": "tu-1", "squad": "payments", "tokens": 5000, "status": "requested",
             "reason": "critical-system", "justification": "a long enough justification",
             "approved_by": null},
            {"id": "tu-2", "squad": "search", "tokens": 9000, "status": "granted",
             "reason": null, "justification": null, "approved_by": "cfo"}
        ]);
        let bytes = serde_json::to_vec(&doc).unwrap();
        let loaded = bursar::parse_snapshot(&bytes, "generated").expect("a valid snapshot");
        bursar::evaluate_loaded(&host, &pack, loaded)
    });
    match result {
        Ok(_) => None,
        Err(err) => {
            assert!(
                matches!(err, bursar::Error::Policy(_)),
                "not a policy error: {err}\n{source}"
            );
            // Rendering must cope with any position an error reports.
            let text = bursar::render_error(&err);
            assert!(
                !text.contains("crashed the script engine"),
                "the engine panicked:\n{text}\n{source}"
            );
            Some(text)
        }
    }
}

/// Words a policy author (or an attacker) might type: Rhai's tokens, the API, literals at
/// the edges, and names of things the sandbox refuses.
#[rustfmt::skip]
const VOCABULARY: &[&str] = &[
    "let", "const", "if", "else", "for", "in", "while", "loop", "break", "continue", "return",
    "throw", "try", "catch", "fn", "true", "false", "import", "as", "export", "switch", "do",
    "until", "global", "this", "Fn", "call", "private", "+", "-", "*", "/", "%", "**", "==",
    "!=", "<", ">", "<=", ">=", "&&", "||", "!", "&", "|", "^", "<<", ">>", "=", "+=", "-=",
    "*=", "??", "?.", ".", ",", ";", ":", "::", "(", ")", "{", "}", "[", "]", "#{", "=>",
    "..", "..=", "`", "${", "x", "y", "d", "t", "facts", "decision", "record", "check", "value",
    "evidence", "summary", "decisions", "gini", "fmt", "fmt_money", "topups", "squads",
    "variants", "catalog", "runs", "variant", "squad", "family", "len", "sort", "order",
    "sort_by", "map", "filter", "reduce", "keys", "values", "push", "pad", "print", "debug",
    "sleep", "eval", "curry", "timestamp", "parse_json", "to_json", "exit", "0", "1", "-1",
    "42", "9223372036854775807", "0.5", "1e300", "0.0", "\"ok\"", "\"info\"", "\"deny\"",
    "\"tu-1\"", "\"org\"", "\"../x\"", "\"/etc/hostname\"", "\"lib/x\"", "\"\"", "'c'", "()",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCABULARY), 0..40)
        .prop_map(|tokens| format!("const POLICY = \"soup\";\n{}\n", tokens.join(" ")))
}

/// Expressions over the prelude's variables and functions.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "0",
        "1",
        "-7",
        "9223372036854775807",
        "0.5",
        "(0.0 / 0.0)",
        "1e300",
        "\"ok\"",
        "\"tu-1\"",
        "true",
        "()",
        "v0",
        "v1",
        "v2",
        "v3",
        "facts.topups.len()",
        "facts.squads.len()",
        "facts.variants.len()",
        "facts.runs.len()",
        "[3, 1, 2]",
        "#{a: 1}",
        "facts.topups",
        "facts.runs[0]",
        "facts.squad(\"payments\")",
    ])
    .prop_map(str::to_owned);
    leaf.prop_recursive(4, 24, 3, |inner| {
        let op = prop::sample::select(vec![
            "+", "-", "*", "/", "%", "**", "==", "!=", "<", ">=", "&&", "||", "??", "<<",
        ]);
        let closure = prop::sample::select(vec![
            "|x, y| x - y",
            "|x, y| if (x + y) % 2 == 0 { 1 } else { -1 }",
            "|x, y| \"later\"",
            "|x, y| x > y",
        ]);
        let method = prop::sample::select(vec![
            "len()",
            "to_string()",
            "keys()",
            "sort()",
            "order()",
            "pop()",
            "trim()",
            "to_json()",
            "map(|x| x)",
            "filter(|x| x != ())",
            "index_of(1)",
            "pad(3, 0)",
            "contains(1)",
            "reverse()",
            "sub_string(1, 2)",
            "split(\",\")",
        ]);
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            (inner.clone(), method).prop_map(|(a, m)| format!("{a}.{m}")),
            (inner.clone(), closure).prop_map(|(a, c)| format!("{a}.order({c})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}]")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}[{b}]")),
            inner.clone().prop_map(|a| format!("f0({a})")),
            inner.clone().prop_map(|a| format!("f1({a})")),
            inner.clone().prop_map(|a| format!("gini({a})")),
            inner.clone().prop_map(|a| format!("fmt({a}, 2)")),
            inner.clone().prop_map(|a| format!("parse_json({a})")),
            (inner.clone(), inner.clone(), inner)
                .prop_map(|(c, a, b)| format!("if {c} != () {{ {a} }} else {{ {b} }}")),
        ]
    })
}

fn statement() -> impl Strategy<Value = String> {
    let subject = prop::sample::select(vec!["\"tu-1\"", "\"tu-2\"", "\"org\"", "v2"]);
    let outcome = prop::sample::select(vec![
        "\"ok\", \"info\"",
        "\"review\", \"warn\"",
        "\"no\", \"deny\"",
        "\"x\", \"fatal\"",
    ]);
    let check = prop::sample::select(vec![">=", "<", "==", "in", "not in", "~"]);
    let simple = prop_oneof![
        4 => (prop::sample::select(vec!["v0", "v1", "v2", "v3"]), expression())
            .prop_map(|(v, e)| format!("{v} = {e};")),
        2 => expression().prop_map(|e| format!("print({e});")),
        4 => (subject, expression(), check, expression(), outcome).prop_map(|(s, a, op, b, o)| {
            format!(
                "{{ let d = decision({s}); d.value(\"a\", {a}); \
                 d.check(\"c\", {a}, \"{op}\", {b}); d.record({o}); }}"
            )
        }),
        1 => expression().prop_map(|e| format!("if {e} == () {{ throw {e}; }}")),
        2 => expression().prop_map(|e| format!("v3.push({e});")),
        1 => Just("f2(1);".to_owned()),
        1 => Just("v0 = decisions(\"other\");".to_owned()),
    ];
    simple.prop_recursive(2, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|body| {
                format!(
                    "for t in facts.topups {{ decision(t.id).record(\"ok\", \"info\"); {} }}",
                    body.join(" ")
                )
            }),
            (expression(), prop::collection::vec(inner.clone(), 1..3))
                .prop_map(|(c, body)| format!("if {c} != () {{ {} }}", body.join(" "))),
            prop::collection::vec(inner, 1..3)
                .prop_map(|body| { format!("while v1 < 50 {{ v1 += 1; {} }}", body.join(" ")) }),
        ]
    })
}

fn program() -> impl Strategy<Value = String> {
    let decides = prop::sample::select(vec![
        "",
        "",
        "",
        "const DECIDES = \"topups\";",
        "const DECIDES = \"org\";",
        "const DECIDES = \"squads\";",
    ]);
    (decides, prop::collection::vec(statement(), 0..6)).prop_map(|(decides, body)| {
        format!(
            "const POLICY = \"generated\";\n{decides}\n\
             fn f0(a) {{ a + 1 }}\n\
             fn f1(a) {{ if a > 0 {{ f1(a - 1) }} else {{ a }} }}\n\
             fn f2(a) {{ f2(a) }}\n\
             let v0 = 0; let v1 = 1; let v2 = \"tu-1\"; let v3 = [];\n{}\n",
            body.join("\n")
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn token_soups_never_panic_or_hang(source in token_soup()) {
        compile_and_run(&source);
    }

    #[test]
    fn generated_programs_never_panic_or_hang(source in program()) {
        compile_and_run(&source);
    }
}
