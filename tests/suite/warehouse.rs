//! The warehouse path run for real: `warehouse/run_groups.sql` run by DuckDB over a
//! snapshot's runs (`tests/warehouse/assemble.py`) gives the `run_groups` that `eval`
//! decides exactly as it decides the runs, evidence aside.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::support::{self, bursar, root};

/// Whether `python3` can import `duckdb`. The tests that need it are ignored (by the
/// `have_duckdb` flag of `build.rs`) where it was missing at build time; when one runs,
/// a missing DuckDB is a failure, never a silent pass.
fn duckdb_available() -> bool {
    let why = match Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
    {
        Ok(probe) if probe.status.success() => return true,
        Ok(probe) => {
            let stderr = String::from_utf8_lossy(&probe.stderr);
            let last = stderr.lines().last().unwrap_or("").to_owned();
            format!("python3 cannot import duckdb ({last})")
        }
        Err(err) => format!("python3 cannot be run ({err})"),
    };
    let install = format!(
        "install python3 and the duckdb package: `python3 -m pip install {}` (as .ci/run does)",
        duckdb_pin()
    );
    panic!("the warehouse SQL test needs DuckDB: {why}; {install}");
}

/// The `duckdb==X` that `.ci/run` installs, so the hint names the version CI tests.
fn duckdb_pin() -> String {
    let script = std::fs::read_to_string(root().join(".ci/run")).unwrap_or_default();
    script
        .split_whitespace()
        .find(|word| word.starts_with("duckdb=="))
        .unwrap_or("duckdb")
        .to_owned()
}

/// Runs the SQL over each snapshot's runs and writes its grouped twin (one Python
/// process for all: importing DuckDB costs more than grouping a small sprint).
fn assemble(pairs: &[(PathBuf, PathBuf)]) {
    let run = Command::new("python3")
        .arg("tests/warehouse/assemble.py")
        .arg("warehouse/run_groups.sql")
        .args(pairs.iter().flat_map(|(snapshot, out)| [snapshot, out]))
        .current_dir(root())
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "assembling failed ({}):\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
}

fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The decisions `bursar eval` writes for `snapshot` with the shipped pack.
fn eval(snapshot: &Path) -> Vec<Value> {
    let out = bursar(&[
        "eval",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--fail-on",
        "never",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "eval {}:\n{}",
        snapshot.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("eval writes JSON");
    doc["decisions"].as_array().expect("decisions").clone()
}

type Subject = (String, String);

fn subject(d: &Value) -> Subject {
    let text = |field: &str| d[field].as_str().expect("a string").to_owned();
    (text("policy"), text("subject"))
}

/// Decisions by (policy, subject) without their evidence (grouped runs have no last id),
/// and, apart, the first run id each evidence cites (the SQL must find the same).
fn split_evidence(decisions: Vec<Value>) -> (BTreeMap<Subject, Value>, BTreeMap<Subject, Value>) {
    let mut without = BTreeMap::new();
    let mut first_ids = BTreeMap::new();
    for mut d in decisions {
        let key = subject(&d);
        let evidence = d["explanation"]
            .as_object_mut()
            .expect("explanation")
            .remove("evidence");
        if let Some(first) = evidence.as_ref().and_then(|e| e.get("first_run_id")) {
            first_ids.insert(key.clone(), first.clone());
        }
        assert!(without.insert(key, d).is_none(), "one decision per subject");
    }
    (without, first_ids)
}

/// Evaluates `snapshot` and its grouped twin and asserts the same decisions.
fn assert_same_decisions(snapshot: &Path, grouped: &Path) -> BTreeMap<Subject, Value> {
    let (runs, runs_first) = split_evidence(eval(snapshot));
    let (groups, groups_first) = split_evidence(eval(grouped));
    assert!(!runs.is_empty(), "{}: no decisions", snapshot.display());
    assert_eq!(groups, runs, "{}", snapshot.display());
    assert_eq!(
        groups_first,
        runs_first,
        "{}: first run ids",
        snapshot.display()
    );
    runs
}

/// Run groups by key, their earliest instant parsed (the SQL writes UTC, gen an offset).
fn groups_by_key(doc: &Value) -> BTreeMap<String, (Value, bursar::instant::Instant)> {
    let mut by_key = BTreeMap::new();
    for g in doc["run_groups"].as_array().expect("run_groups") {
        let key = ["squad", "workflow", "variant", "pool", "outcome"]
            .map(|f| g[f].to_string())
            .join(" ");
        let at = g["first_started_at"].as_str().expect("first_started_at");
        let at =
            bursar::instant::parse_rfc3339(at).unwrap_or_else(|| panic!("`{at}` is not RFC 3339"));
        let mut rest = g.clone();
        rest.as_object_mut().unwrap().remove("first_started_at");
        assert!(
            by_key.insert(key, (rest, at)).is_none(),
            "one group per key"
        );
    }
    by_key
}

#[test]
#[cfg_attr(
    not(have_duckdb),
    ignore = "needs python3 with duckdb (.ci/run installs it)"
)]
fn generated_runs_grouped_by_the_sql_give_the_same_decisions() {
    if !duckdb_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let option_sets = [
        "--runs 4000 --seed 11",
        "--runs 3000 --seed 12 --untagged-share 0.5",
        "--runs 2000 --seed 13 --squads 40 --variants 7 --untagged-share 1",
        "--runs 1500 --seed 14 --skew 0 --untagged-share 0",
    ];
    let path = |i: usize, name: &str| dir.path().join(format!("{i}-{name}.json"));
    for (i, options) in option_sets.iter().enumerate() {
        for (name, extra) in [("runs", None), ("gen-groups", Some("--groups"))] {
            let out = path(i, name);
            let mut args = vec!["gen", "--out", out.to_str().unwrap()];
            args.extend(options.split_whitespace().chain(extra));
            let gen = bursar(&args);
            assert_eq!(gen.status.code(), Some(0), "gen {args:?}");
        }
    }
    let pairs: Vec<_> = (0..option_sets.len())
        .map(|i| (path(i, "runs"), path(i, "sql-groups")))
        .collect();
    assemble(&pairs);

    for (i, options) in option_sets.iter().enumerate() {
        // The SQL's groups are gen's own `--groups`, to the instant, and the rest of
        // the snapshot is untouched: an oracle that shares no code with the SQL.
        let mut sql = read_json(&path(i, "sql-groups"));
        let mut gen = read_json(&path(i, "gen-groups"));
        assert_eq!(groups_by_key(&sql), groups_by_key(&gen), "{options}");
        assert!(sql.get("runs").is_none(), "`runs` replaced");
        sql.as_object_mut().unwrap().remove("run_groups");
        gen.as_object_mut().unwrap().remove("run_groups");
        assert_eq!(sql, gen, "{options}: everything but the runs as it was");

        assert_same_decisions(&path(i, "runs"), &path(i, "sql-groups"));
    }
}

/// Whether a run starts in a leap second (second `60`).
fn has_leap_second(snapshot: &Value) -> bool {
    snapshot["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["started_at"].as_str())
        .any(|at| at.get(17..19) == Some("60"))
}

/// The policy cases pin every boundary of the handbook with itemised runs; grouped by
/// the SQL, each must decide the same.
#[test]
#[cfg_attr(
    not(have_duckdb),
    ignore = "needs python3 with duckdb (.ci/run installs it)"
)]
fn every_policy_case_grouped_by_the_sql_decides_the_same() {
    if !duckdb_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<PathBuf> = support::case_names()
        .iter()
        .map(|name| support::case_snapshot(name))
        // A case that already ships groups has no itemised twin to compare with.
        .filter(|snapshot| read_json(snapshot).get("run_groups").is_none())
        // DuckDB refuses a leap second (`:60`, as run_groups.sql says): a case with one
        // has no SQL twin.
        .filter(|snapshot| !has_leap_second(&read_json(snapshot)))
        .collect();
    assert!(cases.len() >= 30, "the policy cases are found");
    let pairs: Vec<_> = cases
        .iter()
        .enumerate()
        .map(|(i, snapshot)| (snapshot.clone(), dir.path().join(format!("{i}.json"))))
        .collect();
    assemble(&pairs);
    for (snapshot, grouped) in &pairs {
        assert_same_decisions(snapshot, grouped);
    }
}

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

/// The hand-made snapshot, its runs one per line with each cost exactly as written.
fn hand_made_snapshot() -> String {
    let runs: Vec<String> = RUNS
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

#[test]
#[cfg_attr(
    not(have_duckdb),
    ignore = "needs python3 with duckdb (.ci/run installs it)"
)]
fn the_handbook_corner_cases_survive_the_sql() {
    if !duckdb_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("runs.json");
    let grouped = dir.path().join("groups.json");
    std::fs::write(&original, hand_made_snapshot()).unwrap();
    assemble(&[(original.clone(), grouped.clone())]);

    let written = read_json(&grouped);
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

    let decisions = assert_same_decisions(&original, &grouped);
    // The case decides what it means to: the tie-break makes search the origin.
    let promotion = &decisions[&("promotion".into(), "refactor+tests/B".into())];
    assert_eq!(promotion["outcome"], "candidate");
    assert_eq!(promotion["values"]["origin_squad"], "search");
}
