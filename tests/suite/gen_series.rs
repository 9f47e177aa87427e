//! `bursar gen --sprints`: a series of one organisation whose ground truth (`series.json`)
//! agrees with what the default pack decides on every sprint, reproducible to the byte,
//! every snapshot valid, and the two scenarios as different as they claim to be.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use bursar::{GenerateOptions as Options, Scenario, Series};
use serde_json::Value;

use crate::support::{self, bursar};

/// Writes a series with the library, as the CLI does, into `dir`.
fn write(dir: &Path, scenario: Scenario, seed: u64, sprints: u32) -> Value {
    let options = Options {
        runs: 1500,
        seed,
        ..Options::default()
    };
    let series = Series::plan(&options, sprints, scenario).expect("a valid plan");
    for k in 0..series.len() {
        let mut bytes = Vec::new();
        series.write_sprint(k, &mut bytes).unwrap();
        std::fs::write(dir.join(series.file_name(k)), bytes).unwrap();
    }
    std::fs::write(
        dir.join(bursar::SERIES_MANIFEST),
        bursar::series_manifest(&series),
    )
    .unwrap();
    serde_json::from_slice(&bursar::series_manifest(&series)).unwrap()
}

fn list<'a>(v: &'a Value, field: &str) -> &'a [Value] {
    v[field].as_array().map_or(&[], Vec::as_slice)
}

/// Days from 2000-01-01 to a `YYYY-MM-DD` date, counted year by year and month by month
/// (an oracle apart from the engine's own calendar arithmetic).
fn day_number(date: &str) -> i64 {
    let parts: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
    let [year, month, day] = parts[..] else {
        panic!("`{date}` is not a date")
    };
    assert!(year >= 2000, "`{date}` is before 2000");
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let years: i64 = (2000..year).map(|y| if leap(y) { 366 } else { 365 }).sum();
    let before: i64 = (1..month)
        .map(|m| months[m as usize - 1] + i64::from(m == 2 && leap(year)))
        .sum();
    years + before + day
}

fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("`{field}` in {v}"))
}

/// What one sprint of a series shows, read back through `bursar eval` and the snapshot.
struct Sprint {
    id: String,
    snapshot: Value,
    /// Candidate variant keys with the origin squad `promotion` recorded.
    candidates: BTreeMap<String, String>,
    /// Catalog entries: key → (status, origin_squad, promoted_in).
    catalog: BTreeMap<String, (String, String, String)>,
    /// Capacity per squad: baseline plus granted top-ups, as `health` counts it.
    capacity: BTreeMap<String, u64>,
}

fn read(dir: &Path, manifest: &Value) -> Vec<Sprint> {
    list(manifest, "sprints")
        .iter()
        .map(|s| {
            let path = dir.join(text(s, "file"));
            let snapshot: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let doc = support::evaluate(&path);
            let candidates = doc
                .decisions
                .iter()
                .filter(|d| d.policy == "promotion" && d.outcome == "candidate")
                .map(|d| {
                    let origin = d.values["origin_squad"].as_str().unwrap().to_owned();
                    (d.subject.clone(), origin)
                })
                .collect();
            let catalog = list(&snapshot, "catalog")
                .iter()
                .map(|c| {
                    let key = format!("{}/{}", text(c, "workflow"), text(c, "variant"));
                    let fields =
                        ["status", "origin_squad", "promoted_in"].map(|f| text(c, f).to_owned());
                    let [status, origin, promoted] = fields;
                    (key, (status, origin, promoted))
                })
                .collect();
            let mut capacity: BTreeMap<String, u64> = list(&snapshot, "squads")
                .iter()
                .map(|s| (text(s, "id").to_owned(), 0))
                .collect();
            for b in list(&snapshot["budgets"], "exploration") {
                *capacity.get_mut(text(b, "squad")).unwrap() +=
                    b["baseline_tokens"].as_u64().unwrap();
            }
            for t in list(&snapshot, "topups")
                .iter()
                .filter(|t| t["status"] == "granted")
            {
                *capacity.get_mut(text(t, "squad")).unwrap() += t["tokens"].as_u64().unwrap();
            }
            Sprint {
                id: text(s, "sprint").to_owned(),
                snapshot,
                candidates,
                catalog,
                capacity,
            }
        })
        .collect()
}

/// The manifest's journeys agree with the decisions: each experiment is a candidate first
/// in the sprint it says, always credited to its origin; it enters the catalog when it
/// says, naming the origin it says; and the credit mismatches are exactly the catalog
/// entries whose named origin is not the squad `promotion` credited. Returns them.
fn check_truth(manifest: &Value, sprints: &[Sprint]) -> BTreeSet<(String, String, String)> {
    let journeys: BTreeMap<&str, &Value> = list(manifest, "variants")
        .iter()
        .map(|v| (text(v, "variant"), v))
        .collect();
    let mut first_candidate: BTreeMap<&str, &str> = BTreeMap::new();
    let mut credited: BTreeMap<&str, &str> = BTreeMap::new();
    for s in sprints {
        for (key, origin) in &s.candidates {
            let journey = journeys.get(key.as_str()).unwrap_or_else(|| {
                panic!(
                    "{}: candidate `{key}` is not a variant of the manifest",
                    s.id
                )
            });
            assert_eq!(origin, text(journey, "origin_squad"), "{}: {key}", s.id);
            first_candidate.entry(key).or_insert(&s.id);
            credited.insert(key, origin);
        }
    }
    let mut mismatches = BTreeSet::new();
    for (key, journey) in &journeys {
        assert_eq!(
            journey["first_candidate"].as_str(),
            first_candidate.get(key).copied(),
            "{key}"
        );
        let promoted = journey["promoted_in"].as_str();
        for s in sprints {
            let entry = s.catalog.get(*key);
            let listed = promoted.is_some_and(|p| p <= s.id.as_str());
            assert_eq!(entry.is_some(), listed, "{}: {key} in the catalog", s.id);
            if let Some((status, origin, promoted_in)) = entry {
                assert_eq!(Some(promoted_in.as_str()), promoted, "{key}");
                assert_eq!(origin, text(journey, "recorded_origin"), "{key}");
                let sunset = journey["sunset"]
                    .as_str()
                    .is_some_and(|t| t <= s.id.as_str());
                let want = if sunset { "deprecated" } else { "standard" };
                assert_eq!(status, want, "{}: {key}", s.id);
            }
        }
        if let (Some(_), Some(true_origin)) = (promoted, credited.get(key)) {
            let recorded = text(journey, "recorded_origin");
            if recorded != *true_origin {
                mismatches.insert((
                    key.to_string(),
                    true_origin.to_string(),
                    recorded.to_owned(),
                ));
            }
        }
    }
    let planted: BTreeSet<(String, String, String)> = list(manifest, "credit_mismatches")
        .iter()
        .map(|m| ["variant", "true_origin", "recorded_origin"].map(|f| text(m, f).to_owned()))
        .map(|[a, b, c]| (a, b, c))
        .collect();
    assert_eq!(mismatches, planted);
    mismatches
}

/// The Gini coefficient of capacity over squads, as `health` computes it.
fn gini(capacity: &BTreeMap<String, u64>) -> f64 {
    let x: Vec<f64> = capacity.values().map(|&c| c as f64).collect();
    let sum: f64 = x.iter().sum();
    let diffs: f64 = x
        .iter()
        .flat_map(|a| x.iter().map(move |b| (a - b).abs()))
        .sum();
    diffs / (2.0 * x.len() as f64 * sum)
}

/// Sprints whose capacity Gini is above the handbook's 0.35.
fn concentrated(sprints: &[Sprint]) -> usize {
    sprints.iter().filter(|s| gini(&s.capacity) > 0.35).count()
}

/// Per capacity quartile (largest first, squads ranked by capacity over the series): its
/// share of originated candidates over its share of capacity.
fn access_ratios(sprints: &[Sprint]) -> Vec<f64> {
    let mut capacity: BTreeMap<&str, u64> = BTreeMap::new();
    for s in sprints {
        for (squad, c) in &s.capacity {
            *capacity.entry(squad).or_default() += c;
        }
    }
    let mut origins: BTreeMap<&str, &str> = BTreeMap::new();
    for s in sprints {
        for (key, origin) in &s.candidates {
            origins.entry(key).or_insert(origin);
        }
    }
    let mut ranked: Vec<&str> = capacity.keys().copied().collect();
    ranked.sort_by_key(|s| std::cmp::Reverse(capacity[s]));
    let total: u64 = capacity.values().sum();
    let quarter = ranked.len() / 4;
    (0..4)
        .map(|q| {
            let squads = &ranked[q * quarter..if q == 3 {
                ranked.len()
            } else {
                (q + 1) * quarter
            }];
            let cap: u64 = squads.iter().map(|s| capacity[s]).sum();
            let orig = origins.values().filter(|o| squads.contains(o)).count();
            (orig as f64 / origins.len() as f64) / (cap as f64 / total as f64)
        })
        .collect()
}

#[test]
fn a_fair_series_credits_every_origin_and_originates_in_proportion_to_capacity() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write(dir.path(), Scenario::Fair, 1, 12);
    let sprints = read(dir.path(), &manifest);
    assert!(check_truth(&manifest, &sprints).is_empty());
    let candidates = list(&manifest, "variants")
        .iter()
        .filter(|v| !v["first_candidate"].is_null())
        .count();
    assert!(candidates >= 10, "{candidates} candidates");
    let ratios = access_ratios(&sprints);
    for r in &ratios {
        assert!((0.6..=1.4).contains(r), "access ratios {ratios:?}");
    }
    assert_eq!(concentrated(&sprints), 0, "capacity stays spread");
    for s in &sprints {
        for b in list(&s.snapshot["budgets"], "exploration") {
            assert!(
                b["baseline_tokens"].as_u64().unwrap() >= 1_000_000,
                "{}: {b}",
                s.id
            );
        }
        assert_eq!(list(&s.snapshot["budgets"], "exploration").len(), 12);
    }
}

#[test]
fn an_entrenched_series_favours_the_largest_squads_and_plants_credit_mismatches() {
    let dir = tempfile::tempdir().unwrap();
    for seed in [1, 2] {
        let manifest = write(dir.path(), Scenario::Entrenched, seed, 12);
        let sprints = read(dir.path(), &manifest);
        let mismatches = check_truth(&manifest, &sprints);
        assert!(!mismatches.is_empty(), "seed {seed}: no credit taken");
        let largest: Vec<&str> = list(&manifest, "largest_squads")
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        for (_, _, recorded) in &mismatches {
            assert!(
                largest.contains(&recorded.as_str()),
                "credit taken by `{recorded}`"
            );
        }
        let ratios = access_ratios(&sprints);
        assert!(ratios[0] > 1.5, "seed {seed}: access ratios {ratios:?}");
        assert!(
            concentrated(&sprints) >= 9,
            "seed {seed}: capacity concentrates"
        );
        // Some squad has no guaranteed baseline in every sprint.
        for s in &sprints {
            let short = s.capacity.len()
                - list(&s.snapshot["budgets"], "exploration")
                    .iter()
                    .filter(|b| b["baseline_tokens"].as_u64().unwrap() >= 1_000_000)
                    .count();
            assert!(short >= 1, "{}", s.id);
        }
    }
}

#[test]
fn a_series_is_one_organisation_over_consecutive_sprints_with_every_stage_of_a_journey() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = write(dir.path(), Scenario::Fair, 3, 14);
    let sprints = read(dir.path(), &manifest);
    let squads = |s: &Sprint| -> Vec<(String, u64)> {
        list(&s.snapshot, "squads")
            .iter()
            .map(|q| (text(q, "id").to_owned(), q["headcount"].as_u64().unwrap()))
            .collect()
    };
    let first = squads(&sprints[0]);
    let mut drifted = false;
    for pair in sprints.windows(2) {
        let (a, b) = (&pair[0].snapshot["sprint"], &pair[1].snapshot["sprint"]);
        let end = day_number(text(a, "end"));
        let start = day_number(text(b, "start"));
        // The next day, or a week later across an ISO year of 53 weeks.
        let gap = start - end;
        assert!(gap == 1 || gap == 8, "{a} then {b}");
        let now = squads(&pair[1]);
        for ((id0, h0), (id, h)) in first.iter().zip(&now) {
            assert_eq!(id0, id);
            assert!(h0.abs_diff(*h) <= 2, "{id}: {h0} then {h}");
            drifted |= h0 != h;
        }
    }
    assert!(drifted, "headcounts change a little");
    let journeys = list(&manifest, "variants");
    let some = |field: &str| journeys.iter().any(|v| !v[field].is_null());
    for stage in ["first_candidate", "promoted_in", "sunset"] {
        assert!(some(stage), "some variant reaches `{stage}`");
    }
    assert!(
        journeys.iter().any(|v| v["first_candidate"].is_null()),
        "some never do"
    );
    let all_runs = sprints.iter().flat_map(|s| list(&s.snapshot, "runs"));
    assert!(
        all_runs.clone().any(|r| r["workflow"].is_null()),
        "untagged spend"
    );
    let topups: Vec<&Value> = sprints
        .iter()
        .flat_map(|s| list(&s.snapshot, "topups"))
        .collect();
    for status in ["requested", "granted"] {
        assert!(
            topups.iter().any(|t| t["status"] == status),
            "{status} top-ups"
        );
    }
    assert!(
        topups
            .iter()
            .any(|t| t["status"] == "granted" && t["approved_by"].is_null()),
        "informal"
    );
}

fn gen_cli(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["gen", "--sprints", "5", "--runs", "1200", "--out-dir"];
    args.push(dir.to_str().unwrap());
    args.extend_from_slice(extra);
    bursar(&args)
}

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_cli_writes_the_same_valid_series_for_the_same_options() {
    let root = tempfile::tempdir().unwrap();
    for scenario in ["fair", "entrenched"] {
        let [a, b, c] = ["a", "b", "c"].map(|n| root.path().join(format!("{scenario}-{n}")));
        for (dir, seed) in [(&a, "4"), (&b, "4"), (&c, "5")] {
            let out = gen_cli(dir, &["--scenario", scenario, "--seed", seed]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.stdout.is_empty());
        }
        let written = files(&a);
        let names: Vec<String> = written.keys().map(|p| p.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "2026-S24.json",
                "2026-S25.json",
                "2026-S26.json",
                "2027-S01.json",
                "2027-S02.json",
                "series.json"
            ]
        );
        assert_eq!(written, files(&b), "{scenario}: same options, same bytes");
        assert_ne!(written, files(&c), "{scenario}: another seed");
        for name in written.keys().filter(|n| n.starts_with("20")) {
            let path = a.join(name);
            let out = bursar(&["validate", path.to_str().unwrap()]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn wrong_series_options_exit_2_and_write_nothing() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("series");
    for (extra, message) in [
        (
            &["--squads", "3"][..],
            "a series needs at least 4 squads (capacity quartiles), not `3`",
        ),
        (
            &["--sprint", "9998-S25"][..],
            "5 sprints from `9998-S25` run past the year 9998",
        ),
        (
            &["--sprint", "2026-S30"][..],
            "sprint id `2026-S30` is not of the form `YYYY-SNN`",
        ),
    ] {
        let out = gen_cli(&dir, extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{stderr}");
        assert!(!dir.exists(), "{extra:?} created the folder");
    }
    for args in [
        &["gen", "--sprints", "3"][..],
        &["gen", "--sprints", "0", "--out-dir", "x"][..],
        &["gen", "--sprints", "3", "--out-dir", "x", "--out", "y"][..],
        &["gen", "--sprints", "3", "--out-dir", "x", "--variants", "5"][..],
        &["gen", "--scenario", "entrenched"][..],
    ] {
        let out = bursar(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}
