//! Properties: promotion is workflow-centric, so renaming or reassigning squads never
//! changes a promotion outcome.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{json, Value};

use bursar::host::{Host, Limits};

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

fn promotion_outcomes(
    host: &Host,
    pack: &bursar::host::Pack,
    doc: &Value,
) -> BTreeMap<String, String> {
    let bytes = serde_json::to_vec(doc).unwrap();
    let loaded =
        bursar::snapshot::parse(&bytes, "generated").expect("generated snapshots are valid");
    let evaluation =
        bursar::eval::evaluate_loaded(host, pack, loaded).expect("evaluation succeeds");
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
        let host = Host::new(std::path::Path::new("policies"), Limits::default()).unwrap();
        let pack = host.load_pack(std::path::Path::new("policies")).unwrap();
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
