//! The reference every warehouse engine is held to (the handbook's grouping rules in
//! plain Python, `tests/warehouse/engines.py`), itself checked against `gen --groups`,
//! hand-worked groups and `eval`; and what no warehouse timestamp can hold, shown.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::{Value, json};

use crate::support::{bursar, root};
use crate::warehouse::{
    GENERATED, REFERENCE, assert_same_decisions, decisions, fixtures, group_fixtures, read_json,
};

const RT: Option<&str> = Some("refactor+tests");

type Text = &'static str;
type HandRun = (Text, Text, Option<Text>, Text, Text, Text);
type HandGroup = (Text, Option<Text>, Text, u64, u64, Text, Text);

/// The hand-made sprint's runs: id, squad, workflow (variant `B`; none when untagged),
/// outcome, cost as written, start; all exploration, 100,000 + 40,000 tokens each.
#[rustfmt::skip]
const RUNS: [HandRun; 15] = [
    // payments: the earliest run is written with an offset, and sorts later as text
    ("r-0004", "payments", RT, "success", "1.5", "2026-11-17T10:30:00Z"),
    ("r-0005", "payments", RT, "success", "1.5", "2026-11-17T12:00:00+02:00"),
    // untagged, one with the lowercase `t` and `z` RFC 3339 allows
    ("r-0030", "payments", None, "success", "0.75", "2026-11-19T08:00:00-05:00"),
    ("r-0031", "payments", None, "success", "0.25", "2026-11-19t12:00:00z"),
    // search: r-0009 and r-0003 start at the same instant as payments' r-0005; the
    // smallest id, r-0003, is the variant's first run, so search is its origin
    ("r-0009", "search", RT, "success", "0.0000005", "2026-11-17T10:00:00Z"),
    ("r-0003", "search", RT, "success", "0.0000025", "2026-11-17T11:00:00+01:00"),
    // micro-unit ties round to even: 0.5 -> 0 (above), 2.5 -> 2 (above), 1.5 -> 2,
    // 4.5 -> 4; 1.0000005 x 1e6 is 1000000.5000000001 in f64 (-> 1000001), where an
    // exact decimal product would tie and round to 1000000
    ("r-0010", "search", RT, "success", "0.0000015", "2026-11-18T09:00:00Z"),
    ("r-0011", "search", RT, "success", "0.0000045", "2026-11-18T09:30:00Z"),
    ("r-0012", "search", RT, "success", "1.0000005", "2026-11-18T10:00:00Z"),
    ("r-0013", "search", RT, "success", "1.5", "2026-11-18T11:00:00Z"),
    ("r-0014", "search", RT, "success", "1.5", "2026-11-18T12:00:00Z"),
    ("r-0015", "search", RT, "success", "1.5", "2026-11-18T13:00:00Z"),
    ("r-0016", "search", RT, "success", "1.5", "2026-11-18T14:00:00Z"),
    ("r-0017", "search", RT, "success", "1.5", "2026-11-18T15:00:00Z"),
    // a cost written as an integer
    ("r-0020", "search", RT, "failure", "2", "2026-11-20T09:00:00-05:00"),
];

/// The groups the handbook says those runs make, in the SQL's order: squad, workflow,
/// outcome, count, cost_micros, first_started_at, first_run_id.
#[rustfmt::skip]
const GROUPS: [HandGroup; 4] = [
    ("payments", RT, "success", 2, 3_000_000, "2026-11-17T10:00:00.000000Z", "r-0005"),
    ("payments", None, "success", 2, 1_000_000, "2026-11-19T12:00:00.000000Z", "r-0031"),
    ("search", RT, "failure", 1, 2_000_000, "2026-11-20T14:00:00.000000Z", "r-0020"),
    ("search", RT, "success", 10, 8_500_009, "2026-11-17T10:00:00.000000Z", "r-0003"),
];

/// A snapshot of `runs`, each cost exactly as written.
fn snapshot_of(runs: &[HandRun]) -> String {
    let runs: Vec<String> = runs
        .iter()
        .map(|(id, squad, workflow, outcome, cost, at)| {
            let (workflow, variant) = match workflow {
                Some(w) => (format!("\"{w}\""), "\"B\""),
                None => ("null".to_owned(), "null"),
            };
            format!(
                "    {{\"id\": \"{id}\", \"squad\": \"{squad}\", \"workflow\": {workflow}, \
                 \"variant\": {variant}, \"pool\": \"exploration\", \"input_tokens\": 100000, \
                 \"output_tokens\": 40000, \"cost\": {cost}, \"outcome\": \"{outcome}\", \
                 \"started_at\": \"{at}\"}}"
            )
        })
        .collect();
    let head = json!({
        "schema_version": 1,
        "org": "acme",
        "sprint": {"id": "2026-S24", "start": "2026-11-16", "end": "2026-11-29"},
        "squads": [
            {"id": "payments", "name": "Payments", "headcount": 7},
            {"id": "search", "name": "Search", "headcount": 5}
        ],
        "budgets": {"central_tokens": 40000000, "exploration": [
            {"squad": "payments", "baseline_tokens": 2000000},
            {"squad": "search", "baseline_tokens": 2000000}
        ]},
        "topups": [],
        "catalog": [],
    })
    .to_string();
    let head = head.strip_suffix('}').expect("an object");
    format!("{head},\n  \"runs\": [\n{}\n  ]\n}}\n", runs.join(",\n"))
}

/// The hand-made corner cases: ties in micro-units, offsets, equal instants, untagged.
pub fn hand_made_snapshot() -> String {
    snapshot_of(&RUNS)
}

/// Ten runs of one variant; payments' r-0002 is the earliest by 800 ns, but search's
/// r-0001 starts in the same microsecond.
#[rustfmt::skip]
const SUB_MICROSECOND: [HandRun; 10] = [
    ("r-0001", "search", RT, "success", "1.5", "2026-11-17T10:00:00.0000009Z"),
    ("r-0002", "payments", RT, "success", "1.5", "2026-11-17T12:00:00.0000001+02:00"),
    ("r-0003", "search", RT, "success", "1.5", "2026-11-18T10:00:00.000000999Z"),
    ("r-0004", "search", RT, "success", "1.5", "2026-11-18T11:00:00Z"),
    ("r-0005", "search", RT, "success", "1.5", "2026-11-18T12:00:00Z"),
    ("r-0006", "search", RT, "success", "1.5", "2026-11-18T13:00:00Z"),
    ("r-0007", "search", RT, "success", "1.5", "2026-11-18T14:00:00Z"),
    ("r-0008", "search", RT, "success", "1.5", "2026-11-18T15:00:00Z"),
    ("r-0009", "search", RT, "success", "1.5", "2026-11-18T16:00:00Z"),
    ("r-0010", "search", RT, "success", "1.5", "2026-11-18T17:00:00Z"),
];

pub fn sub_microsecond_snapshot() -> String {
    snapshot_of(&SUB_MICROSECOND)
}

/// Run groups by key, their earliest instant parsed (the SQL writes UTC, gen an offset).
fn groups_by_key(doc: &Value) -> BTreeMap<String, (Value, bursar::Instant)> {
    let mut by_key = BTreeMap::new();
    for g in doc["run_groups"].as_array().expect("run_groups") {
        let key = ["squad", "workflow", "variant", "pool", "outcome"]
            .map(|f| g[f].to_string())
            .join(" ");
        let at = g["first_started_at"].as_str().expect("first_started_at");
        let at = bursar::parse_instant(at).unwrap_or_else(|| panic!("`{at}` is not RFC 3339"));
        let mut rest = g.clone();
        rest.as_object_mut().unwrap().remove("first_started_at");
        assert!(
            by_key.insert(key, (rest, at)).is_none(),
            "one group per key"
        );
    }
    by_key
}

/// The reference's groups are gen's own `--groups` (an oracle that shares no code with
/// it), the hand-worked ones, and decide every fixture as its runs do.
#[test]
fn the_reference_groups_as_gen_the_handbook_and_eval_do() {
    let dir = tempfile::tempdir().unwrap();
    let all = fixtures(dir.path());
    let grouped = group_fixtures(&REFERENCE, &all, dir.path());
    for (i, options) in GENERATED.iter().enumerate() {
        let mut ours = read_json(&grouped[i]);
        let mut generated = read_json(&dir.path().join(format!("gen-{i}-groups.json")));
        assert_eq!(groups_by_key(&ours), groups_by_key(&generated), "{options}");
        assert!(ours.get("runs").is_none(), "`runs` replaced");
        ours.as_object_mut().unwrap().remove("run_groups");
        generated.as_object_mut().unwrap().remove("run_groups");
        assert_eq!(
            ours, generated,
            "{options}: everything but the runs as it was"
        );
    }

    let hand = all
        .iter()
        .position(|f| f.ends_with("hand-made.json"))
        .unwrap();
    let written = read_json(&grouped[hand]);
    let written = written["run_groups"].as_array().expect("run_groups");
    assert_eq!(written.len(), GROUPS.len(), "{written:#?}");
    for (written, (squad, workflow, outcome, count, cost, first_at, first_id)) in
        written.iter().zip(GROUPS)
    {
        let expected = json!({
            "squad": squad, "workflow": workflow, "variant": workflow.map(|_| "B"),
            "pool": "exploration", "outcome": outcome, "count": count,
            "input_tokens": count * 100_000, "output_tokens": count * 40_000,
            "cost_micros": cost, "first_started_at": first_at, "first_run_id": first_id,
        });
        assert_eq!(written, &expected);
    }
    let decided = assert_same_decisions(&all[hand], &grouped[hand]);
    // The case decides what it means to: the tie-break makes search the origin.
    let promotion = &decided[&("promotion".into(), "refactor+tests/B".into())];
    assert_eq!(promotion["outcome"], "candidate");
    assert_eq!(promotion["values"]["origin_squad"], "search");

    for (fixture, grouped) in all.iter().zip(&grouped) {
        if !fixture.ends_with("sub-microsecond.json") {
            assert_same_decisions(fixture, grouped);
        }
    }
}

/// A warehouse timestamp holds microseconds: runs 800 ns apart in one microsecond tie,
/// the smallest id is first, and here that moves the origin, as the README warns.
#[test]
fn below_the_microsecond_the_warehouse_ties_and_the_smallest_id_is_first() {
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs.json");
    let grouped = dir.path().join("groups.json");
    std::fs::write(&runs, sub_microsecond_snapshot()).unwrap();
    crate::warehouse::assemble(
        &REFERENCE,
        "warehouse/run_groups.duckdb.sql",
        &[(runs.clone(), grouped.clone())],
    );
    let doc = read_json(&grouped);
    let firsts: Vec<_> = doc["run_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["squad"].clone(),
                g["first_started_at"].clone(),
                g["first_run_id"].clone(),
            )
        })
        .collect();
    assert_eq!(
        firsts,
        [
            (
                json!("payments"),
                json!("2026-11-17T10:00:00.000000Z"),
                json!("r-0002")
            ),
            (
                json!("search"),
                json!("2026-11-17T10:00:00.000000Z"),
                json!("r-0001")
            ),
        ]
    );
    let key = ("promotion".to_owned(), "refactor+tests/B".to_owned());
    let origin = |d: &BTreeMap<_, Value>| d[&key]["values"]["origin_squad"].clone();
    assert_eq!(
        origin(&decisions(&runs).0),
        "payments",
        "bursar sees the nanoseconds"
    );
    assert_eq!(
        origin(&decisions(&grouped).0),
        "search",
        "the warehouse cannot"
    );
}

/// No engine's timestamp holds second 60: the loader refuses the snapshot, located,
/// and writes nothing.
#[test]
fn a_leap_second_is_refused_before_any_engine_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("leap.json");
    let text = sub_microsecond_snapshot().replace("2026-11-18T17:00:00Z", "2026-12-31T23:59:60Z");
    std::fs::write(&runs, text).unwrap();
    assert_eq!(
        bursar(&["validate", runs.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let out = dir.path().join("groups.json");
    for engine in ["reference", "duckdb"] {
        let run = Command::new("python3")
            .arg("tests/warehouse/assemble.py")
            .args([engine, "warehouse/run_groups.duckdb.sql"])
            .args([&runs, &out])
            .current_dir(root())
            .output()
            .expect("python3 runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        let expected = format!(
            "error: {}: /runs/9/started_at: `2026-12-31T23:59:60Z` is a leap second, which no warehouse timestamp holds\n",
            runs.display()
        );
        assert_eq!(stderr, expected);
        assert!(!out.exists());
        if !cfg!(have_duckdb) {
            break;
        }
    }
}

/// Every query file, run by the tests or not, is made the same way: the ten input
/// columns in its header as `-- name TYPE`, then `SET`s and one `SELECT` of `runs`.
#[test]
fn every_query_file_lists_the_same_input_columns() {
    let names = [
        "id",
        "squad",
        "workflow",
        "variant",
        "pool",
        "input_tokens",
        "output_tokens",
        "cost",
        "outcome",
        "started_at",
    ];
    for engine in [
        "duckdb",
        "spark",
        "clickhouse",
        "datafusion",
        "bigquery",
        "snowflake",
    ] {
        let path = root().join(format!("warehouse/run_groups.{engine}.sql"));
        let sql = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{engine}: {e}"));
        let header = sql.split("\n\n").next().unwrap();
        let listed: Vec<&str> = header
            .lines()
            .filter_map(|l| l.strip_prefix("-- "))
            .filter_map(|l| l.split_once(' '))
            .filter(|(name, ty)| {
                names.contains(name) && ty.starts_with(|c: char| c.is_ascii_uppercase())
            })
            .map(|(name, _)| name)
            .collect();
        assert_eq!(listed, names, "{engine}");
        assert!(sql.contains("FROM runs"), "{engine}");
    }
}
