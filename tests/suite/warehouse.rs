//! The warehouse path run for real: every `warehouse/run_groups.<engine>.sql` run by its
//! engine (DuckDB, Spark in local mode, ClickHouse through chDB, DataFusion) over one set
//! of fixtures (`tests/warehouse/assemble.py`) gives, byte for byte, the groups of the
//! handbook's rules written out in Python, and `eval` decides them as it decides the runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{self, bursar, root};
use crate::warehouse_reference::{hand_made_snapshot, sub_microsecond_snapshot};

/// An engine of `tests/warehouse/engines.py`, and the PyPI packages it needs.
pub struct Engine {
    pub name: &'static str,
    pub packages: &'static [&'static str],
}

pub const REFERENCE: Engine = Engine {
    name: "reference",
    packages: &[],
};
const DUCKDB: Engine = Engine {
    name: "duckdb",
    packages: &["duckdb", "pyarrow"],
};
const SPARK: Engine = Engine {
    name: "spark",
    packages: &["pyspark", "pyarrow"],
};
const CLICKHOUSE: Engine = Engine {
    name: "clickhouse",
    packages: &["chdb", "pyarrow"],
};
const DATAFUSION: Engine = Engine {
    name: "datafusion",
    packages: &["datafusion", "pyarrow"],
};

/// The `name==X` pins of `.ci/run`, so a hint names the versions CI tests.
fn pins(packages: &[&str]) -> String {
    let script = std::fs::read_to_string(root().join(".ci/run")).unwrap_or_default();
    let pinned = |p: &str| {
        let prefix = format!("{p}==");
        let found = script.split_whitespace().find(|w| w.starts_with(&prefix));
        found.unwrap_or(p).to_owned()
    };
    packages
        .iter()
        .map(|p| pinned(p))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The hint a test fails with when its engine cannot be reached.
fn install_hint(engine: &Engine) -> String {
    let java = if engine.name == "spark" {
        " and a JDK (`apt-get install openjdk-17-jre-headless`)"
    } else {
        ""
    };
    format!(
        "the `{}` warehouse test needs python3 with `python3 -m pip install {}`{java} (as .ci/run installs them)",
        engine.name,
        pins(engine.packages)
    )
}

/// Runs `sql` in `engine` over each snapshot's runs and writes its grouped twin, in one
/// Python process (one Spark session for all). A missing engine fails, with the hint.
pub fn assemble(engine: &Engine, sql: &str, pairs: &[(PathBuf, PathBuf)]) {
    let run = Command::new("python3")
        .arg("tests/warehouse/assemble.py")
        .args([engine.name, sql])
        .args(pairs.iter().flat_map(|(snapshot, out)| [snapshot, out]))
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("python3 cannot be run ({e}); {}", install_hint(engine)));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_ne!(
        run.status.code(),
        Some(3),
        "{stderr}\n{}",
        install_hint(engine)
    );
    assert!(
        run.status.success(),
        "assembling failed ({}):\n{stderr}",
        run.status
    );
}

pub fn read_json(path: &Path) -> Value {
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

pub type Subject = (String, String);

/// Decisions by (policy, subject) without their evidence (grouped runs have no last id),
/// and, apart, the first run id each evidence cites (the SQL must find the same).
pub fn decisions(snapshot: &Path) -> (BTreeMap<Subject, Value>, BTreeMap<Subject, Value>) {
    let mut without = BTreeMap::new();
    let mut first_ids = BTreeMap::new();
    for mut d in eval(snapshot) {
        let text = |field: &str| d[field].as_str().expect("a string").to_owned();
        let key = (text("policy"), text("subject"));
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
pub fn assert_same_decisions(snapshot: &Path, grouped: &Path) -> BTreeMap<Subject, Value> {
    let (runs, runs_first) = decisions(snapshot);
    let (groups, groups_first) = decisions(grouped);
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

/// gen's shapes: sizes, squads, variants, untagged shares from none to all, skew.
pub const GENERATED: [&str; 4] = [
    "--runs 4000 --seed 11",
    "--runs 3000 --seed 12 --untagged-share 0.5",
    "--runs 2000 --seed 13 --squads 40 --variants 7 --untagged-share 1",
    "--runs 1500 --seed 14 --skew 0 --untagged-share 0",
];

/// The one set of fixtures every engine groups: gen's sprints (`gen-<i>.json`, with
/// `gen --groups`' own twin `gen-<i>-groups.json`), the hand-made corner cases, the
/// sub-microsecond case, and every policy case with itemised runs and no leap second.
pub fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for (i, options) in GENERATED.iter().enumerate() {
        for (name, extra) in [
            (format!("gen-{i}"), None),
            (format!("gen-{i}-groups"), Some("--groups")),
        ] {
            let out = dir.join(format!("{name}.json"));
            let mut args = vec!["gen", "--out", out.to_str().unwrap()];
            args.extend(options.split_whitespace().chain(extra));
            assert_eq!(bursar(&args).status.code(), Some(0), "gen {args:?}");
            if extra.is_none() {
                all.push(out);
            }
        }
    }
    for (name, text) in [
        ("hand-made", hand_made_snapshot()),
        ("sub-microsecond", sub_microsecond_snapshot()),
    ] {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, text).unwrap();
        all.push(path);
    }
    let cases: Vec<PathBuf> = support::case_names()
        .iter()
        .map(|name| support::case_snapshot(name))
        // A case that already ships groups has no itemised twin to compare with.
        .filter(|snapshot| read_json(snapshot).get("run_groups").is_none())
        // No warehouse timestamp holds a leap second: the loader refuses one
        // (warehouse_reference.rs shows it), so such a case has no grouped twin.
        .filter(|snapshot| !has_leap_second(&read_json(snapshot)))
        .collect();
    assert!(cases.len() >= 30, "the policy cases are found");
    all.extend(cases);
    all
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

/// Each fixture grouped by `engine` into `dir/<engine>-<i>.json`.
pub fn group_fixtures(engine: &Engine, fixtures: &[PathBuf], dir: &Path) -> Vec<PathBuf> {
    let sql = format!("warehouse/run_groups.{}.sql", engine.name);
    let sql = if engine.name == "reference" {
        // The reference reads no SQL; the file is still checked for its shape.
        "warehouse/run_groups.duckdb.sql".to_owned()
    } else {
        sql
    };
    let pairs: Vec<_> = fixtures
        .iter()
        .enumerate()
        .map(|(i, f)| (f.clone(), dir.join(format!("{}-{i}.json", engine.name))))
        .collect();
    assemble(engine, &sql, &pairs);
    pairs.into_iter().map(|(_, out)| out).collect()
}

/// The engine's groups of every fixture are the reference's, byte for byte, and `eval`
/// decides each as it decides the runs.
fn engine_groups_every_fixture_as_the_reference(engine: &Engine) {
    let dir = tempfile::tempdir().unwrap();
    let all = fixtures(dir.path());
    let expected = group_fixtures(&REFERENCE, &all, dir.path());
    let written = group_fixtures(engine, &all, dir.path());
    for ((fixture, expected), written) in all.iter().zip(&expected).zip(&written) {
        let (want, got) = (read_json(expected), read_json(written));
        // the first row that differs, not two whole snapshots
        let rows = |d: &Value| d["run_groups"].as_array().cloned().unwrap_or_default();
        let (want_rows, got_rows) = (rows(&want), rows(&got));
        let differs = (0..want_rows.len().max(got_rows.len()))
            .find(|&i| want_rows.get(i) != got_rows.get(i))
            .map(|i| (i, got_rows.get(i), want_rows.get(i)));
        assert_eq!(
            differs,
            None,
            "{}: {} against the reference (row, engine's, reference's)",
            fixture.display(),
            engine.name
        );
        assert_eq!(got, want, "{}: the rest as it was", fixture.display());
        let bytes = |p: &Path| std::fs::read(p).unwrap();
        assert!(
            bytes(written) == bytes(expected),
            "{}: the same bytes",
            fixture.display()
        );
        // The sub-microsecond case decides otherwise by design (warehouse_reference.rs)
        if !fixture.ends_with("sub-microsecond.json") {
            assert_same_decisions(fixture, written);
        }
    }
}

#[test]
#[cfg_attr(
    not(have_duckdb),
    ignore = "needs python3 with duckdb and pyarrow (.ci/run installs them)"
)]
fn duckdb_groups_every_fixture_as_the_handbook_says() {
    engine_groups_every_fixture_as_the_reference(&DUCKDB);
}

#[test]
#[cfg_attr(
    not(all(have_pyspark, have_java)),
    ignore = "needs python3 with pyspark and pyarrow, and a JDK (.ci/run installs them)"
)]
fn spark_groups_every_fixture_as_the_handbook_says() {
    engine_groups_every_fixture_as_the_reference(&SPARK);
}

#[test]
#[cfg_attr(
    not(have_chdb),
    ignore = "needs python3 with chdb and pyarrow (.ci/run installs them)"
)]
fn clickhouse_groups_every_fixture_as_the_handbook_says() {
    engine_groups_every_fixture_as_the_reference(&CLICKHOUSE);
}

#[test]
#[cfg_attr(
    not(have_datafusion),
    ignore = "needs python3 with datafusion and pyarrow (.ci/run installs them)"
)]
fn datafusion_groups_every_fixture_as_the_handbook_says() {
    engine_groups_every_fixture_as_the_reference(&DATAFUSION);
}
