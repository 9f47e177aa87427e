//! `bursar gen`: generated snapshots are valid, reproducible to the byte, realistic enough
//! to exercise every policy, and their `--groups` twin gives the same decisions.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use bursar::Decision;
use bursar::GenerateOptions as Options;
use serde_json::Value;

use crate::support::{self, bursar};

fn options(runs: u64, seed: u64) -> Options {
    Options {
        runs,
        seed,
        ..Options::default()
    }
}

fn generate(options: &Options) -> Vec<u8> {
    bursar::generate(options).expect("generation succeeds")
}

fn records<'a>(doc: &'a Value, field: &str) -> &'a [Value] {
    doc[field].as_array().map_or(&[], Vec::as_slice)
}

#[test]
fn generated_snapshots_load_and_look_like_a_real_sprint() {
    let bytes = generate(&options(2000, 1));
    let loaded = bursar::parse_snapshot(&bytes, "generated").unwrap_or_else(|e| {
        panic!(
            "generated snapshot is invalid:\n{}",
            bursar::render_error(&e)
        )
    });
    assert_eq!(loaded.snapshot.runs.len(), 2000);
    assert_eq!(loaded.snapshot.squads.len(), 12);
    assert_eq!(loaded.snapshot.sprint.start, "2026-11-16");
    assert_eq!(loaded.snapshot.sprint.end, "2026-11-29");

    // Content checks read the JSON itself, independent of how the loader stores runs.
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    let count = |field: &str, key: &str, value: &str| {
        records(&doc, field)
            .iter()
            .filter(|r| r[key].as_str() == Some(value))
            .count()
    };
    assert!(count("topups", "status", "requested") >= 1);
    assert!(count("topups", "status", "granted") >= 1);
    assert_eq!(count("catalog", "status", "deprecated"), 1);
    assert_eq!(count("catalog", "status", "standard"), 11);
    assert!(count("runs", "pool", "central") > 0);
    assert!(count("runs", "pool", "exploration") > 0);
    for outcome in ["success", "failure", "abandoned"] {
        assert!(count("runs", "outcome", outcome) > 0, "{outcome}");
    }
    for s in records(&doc, "squads") {
        assert!((1..=20).contains(&s["headcount"].as_u64().unwrap()));
    }
    let runs = records(&doc, "runs");
    assert!(
        runs.iter().any(|r| r["workflow"].is_null()),
        "untagged runs"
    );
    for suffix in ["Z", "+02:00", "-05:00"] {
        assert!(
            runs.iter()
                .any(|r| r["started_at"].as_str().unwrap().ends_with(suffix)),
            "an offset {suffix}"
        );
    }
    for r in runs {
        let input = r["input_tokens"].as_u64().unwrap();
        let output = r["output_tokens"].as_u64().unwrap();
        assert!((20_000..=400_000).contains(&input), "{r}");
        assert!((5_000..=150_000).contains(&output), "{r}");
    }
    // One run per line: readable and diff-friendly; costs as written have 2 to 4 decimals.
    let text = String::from_utf8(bytes).unwrap();
    let run_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("{\"id\": \"r-"))
        .collect();
    assert_eq!(run_lines.len(), 2000);
    for line in run_lines {
        let cost = line.split("\"cost\": ").nth(1).unwrap();
        let cost = &cost[..cost.find(',').unwrap()];
        let decimals = cost.split_once('.').map_or(0, |(_, d)| d.len());
        assert!((2..=4).contains(&decimals), "{cost}");
    }
}

#[test]
fn the_same_options_give_the_same_bytes_and_another_seed_other_bytes() {
    for groups in [false, true] {
        let a = Options {
            groups,
            ..options(1500, 7)
        };
        assert_eq!(generate(&a), generate(&a.clone()));
        let b = Options {
            seed: 8,
            ..a.clone()
        };
        assert_ne!(generate(&a), generate(&b));
    }
}

/// What a run group must hold: sums, and the earliest run by (instant, id).
#[derive(Debug, Default, PartialEq)]
struct Aggregate {
    count: u64,
    input_tokens: u64,
    output_tokens: u64,
    cost_micros: i64,
    first: (bursar::Instant, String),
}

#[test]
fn run_groups_are_exact_aggregates_of_the_runs() {
    let runs_doc: Value = serde_json::from_slice(&generate(&options(2000, 3))).unwrap();
    let groups_bytes = generate(&Options {
        groups: true,
        ..options(2000, 3)
    });
    let loaded = bursar::parse_snapshot(&groups_bytes, "generated").unwrap_or_else(|e| {
        panic!(
            "generated groups are invalid:\n{}",
            bursar::render_error(&e)
        )
    });
    assert!(loaded.snapshot.runs.is_empty());
    let groups_doc: Value = serde_json::from_slice(&groups_bytes).unwrap();

    let key = |r: &Value| -> Vec<String> {
        ["squad", "workflow", "variant", "pool", "outcome"]
            .iter()
            .map(|f| r[f].to_string())
            .collect()
    };
    let mut expected: BTreeMap<Vec<String>, Aggregate> = BTreeMap::new();
    for r in records(&runs_doc, "runs") {
        let at = bursar::parse_instant(r["started_at"].as_str().unwrap()).unwrap();
        let first = (at, r["id"].as_str().unwrap().to_owned());
        let e = expected.entry(key(r)).or_insert_with(|| Aggregate {
            first: first.clone(),
            ..Aggregate::default()
        });
        e.count += 1;
        e.input_tokens += r["input_tokens"].as_u64().unwrap();
        e.output_tokens += r["output_tokens"].as_u64().unwrap();
        e.cost_micros += micros(r["cost"].as_f64().unwrap());
        e.first = e.first.clone().min(first);
    }
    let mut actual = BTreeMap::new();
    for g in records(&groups_doc, "run_groups") {
        let at = bursar::parse_instant(g["first_started_at"].as_str().unwrap()).unwrap();
        let aggregate = Aggregate {
            count: g["count"].as_u64().unwrap(),
            input_tokens: g["input_tokens"].as_u64().unwrap(),
            output_tokens: g["output_tokens"].as_u64().unwrap(),
            cost_micros: g["cost_micros"].as_i64().unwrap(),
            first: (at, g["first_run_id"].as_str().unwrap().to_owned()),
        };
        assert!(
            actual.insert(key(g), aggregate).is_none(),
            "one group per key"
        );
    }
    assert_eq!(actual, expected);
}

/// Decisions by (policy, subject), without the evidence: grouped runs have no ids to cite.
fn without_evidence(decisions: Vec<Decision>) -> BTreeMap<(String, String), Decision> {
    decisions
        .into_iter()
        .map(|mut d| {
            d.explanation.evidence = None;
            ((d.policy.clone(), d.subject.clone()), d)
        })
        .collect()
}

#[test]
fn the_grouped_twin_gives_the_same_decisions() {
    let dir = tempfile::tempdir().unwrap();
    for seed in [1, 2] {
        let evaluate = |groups: bool| {
            let path = dir.path().join(format!("{seed}-{groups}.json"));
            let bytes = generate(&Options {
                groups,
                ..options(2000, seed)
            });
            std::fs::write(&path, bytes).unwrap();
            support::evaluate(Path::new(&path)).decisions
        };
        let runs = evaluate(false);
        let groups = evaluate(true);
        assert_ne!(runs, groups, "the evidence differs");
        let runs = without_evidence(runs);
        assert_eq!(runs, without_evidence(groups), "seed {seed}");

        // Realistic enough to reach both promotion outcomes, and credit the origin.
        let mut outcomes: HashMap<&str, usize> = HashMap::new();
        for d in runs.values() {
            *outcomes.entry(d.outcome.as_str()).or_default() += 1;
        }
        for outcome in ["candidate", "not-yet", "credit", "keep", "allocate"] {
            assert!(
                outcomes.contains_key(outcome),
                "seed {seed}: no `{outcome}`"
            );
        }
    }
}

#[test]
fn the_command_writes_what_the_library_generates() {
    let stdout = bursar(&["gen", "--runs", "50", "--seed", "3"]);
    assert_eq!(stdout.status.code(), Some(0));
    assert_eq!(stdout.stdout, generate(&options(50, 3)));

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("groups.json");
    let written = bursar(&[
        "gen",
        "--runs",
        "50",
        "--seed",
        "3",
        "--groups",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(written.status.code(), Some(0));
    assert!(written.stdout.is_empty());
    let expected = generate(&Options {
        groups: true,
        ..options(50, 3)
    });
    assert_eq!(std::fs::read(&out).unwrap(), expected);

    let bad = bursar(&["gen", "--sprint", "S24", "--out", out.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "error: sprint id `S24` is not of the form `YYYY-SNN` with NN from 01 to 26\n"
    );
    assert_eq!(
        std::fs::read(&out).unwrap(),
        expected,
        "previous file untouched"
    );
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary files left behind");
}

/// SHA-256 of the generated bytes for option sets that reach every branch of the writer,
/// pinned from the hand-written writer `gen` had before it wrote through serde_json: a
/// change in any byte (layout, escaping, a cost's decimals, an instant's offset) fails here.
#[test]
fn generated_bytes_are_pinned() {
    use sha2::{Digest, Sha256};

    let cases: [(&str, Options, &str); 12] = [
        (
            "defaults",
            Options::default(),
            "b939edda3c5926af547688c6f083422085e2e395e4073eefd1970549ac0cd137",
        ),
        (
            "--groups",
            Options {
                groups: true,
                ..Options::default()
            },
            "500f7b2c7947595197214765e16ff228f692b65a3515169b401c9221d000ac91",
        ),
        (
            "--runs 100000 --seed 7",
            options(100_000, 7),
            "5e7fd006f61c5a94e8b5617715454b9b99fafd75d6291185b85c147e9be1c1d6",
        ),
        (
            "--runs 100000 --seed 7 --groups",
            Options {
                groups: true,
                ..options(100_000, 7)
            },
            "4563ece505cd46de6d30092921099b20d35a962ebccb92c50b09ad06d45c9aea",
        ),
        (
            "--skew 9.5",
            Options {
                skew: 9.5,
                ..Options::default()
            },
            "24f477c4ca99ef0b4365ff88693d63b45cdaea5ea096dc09230c2f36c3b270c7",
        ),
        (
            "--skew 0",
            Options {
                skew: 0.0,
                ..Options::default()
            },
            "4d6ed7741099de3d009c590d4179ad7dd26a759aa553cbe78a33dbc9f445c27d",
        ),
        (
            "--squads 500 --families 40 --variants 26 --runs 20000",
            Options {
                squads: 500,
                families: 40,
                variants: 26,
                ..options(20_000, 1)
            },
            "e1a4c6b17213a8b7cbadea7cccc54ae10550126e09b9eeeac56c0c23e494cf97",
        ),
        (
            "--squads 500 --families 40 --variants 26 --runs 20000 --groups",
            Options {
                squads: 500,
                families: 40,
                variants: 26,
                groups: true,
                ..options(20_000, 1)
            },
            "7231db9f02d913314e9b2b7d6ccc3c291fe783d8d4c936ce01ce08f49af21b20",
        ),
        (
            "--untagged-share 0",
            Options {
                untagged_share: 0.0,
                ..Options::default()
            },
            "91caec904050b5716e5bf45b6ef2be380024bedc610d95f7266dc27034da5880",
        ),
        (
            "--runs 0 --groups",
            Options {
                groups: true,
                ..options(0, 1)
            },
            "5270f8ae274992ba53d39cd4b86f6c1f228401504ca4bf08a448c8a7ab073c20",
        ),
        (
            "--runs 1 --squads 1 --families 1 --variants 1",
            Options {
                squads: 1,
                families: 1,
                variants: 1,
                ..options(1, 1)
            },
            "268f8d87eb1d26c2df717ec9a635a699e15faf40f665fd69cdea44ba4a9c3e58",
        ),
        (
            "--sprint 2021-S01 --seed 12345678901234",
            Options {
                sprint: "2021-S01".to_owned(),
                ..options(5000, 12_345_678_901_234)
            },
            "b823f7e9b440cd65f3e9de1e7400734136b352c972614aa1011a16f772251efd",
        ),
    ];
    let mut wrong = Vec::new();
    for (name, options, pinned) in &cases {
        let digest = Sha256::digest(generate(options));
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        if hex != *pinned {
            wrong.push(format!("{name}: {hex}"));
        }
    }
    assert!(wrong.is_empty(), "bytes changed:\n{}", wrong.join("\n"));
}

/// Sizes past the documented limits are refused (exit 2) before a byte is written or a
/// sprint planned: `--runs 10000000000000` once started writing petabytes, and with
/// `--sprints 3` spun while planning. The limits are the ones `--help` states.
#[test]
fn absurd_sizes_are_refused_before_writing_or_planning() {
    use bursar::{MAX_RUNS, MAX_SERIES_RUNS};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big.json");
    let series = dir.path().join("series");
    let over = (MAX_RUNS + 1).to_string();
    // Within the limit for one sprint, past it over the series.
    let per_sprint = MAX_RUNS.to_string();
    let sprints = (MAX_SERIES_RUNS / MAX_RUNS + 1).to_string();
    let attempts: Vec<Vec<&str>> = vec![
        vec!["gen", "--runs", "10000000000000"],
        vec![
            "gen",
            "--runs",
            "18446744073709551615",
            "--out",
            out.to_str().unwrap(),
        ],
        vec!["gen", "--runs", &over, "--out", out.to_str().unwrap()],
        vec![
            "gen",
            "--runs",
            "10000000000000",
            "--sprints",
            "3",
            "--out-dir",
            series.to_str().unwrap(),
        ],
        vec![
            "gen",
            "--runs",
            &per_sprint,
            "--sprints",
            &sprints,
            "--out-dir",
            series.to_str().unwrap(),
        ],
        vec![
            "gen",
            "--sprints",
            "4294967295",
            "--out-dir",
            series.to_str().unwrap(),
        ],
        vec!["gen", "--squads", "4294967295"],
    ];
    for args in attempts {
        let run = bursar(&args);
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {err}");
        assert!(run.stdout.is_empty(), "{args:?}: wrote to stdout");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?}: wrote --out");
        assert!(!series.exists(), "{args:?}: created --out-dir");
    }
    // At the limit, the library accepts the options (nothing is generated here).
    let at = Options {
        runs: MAX_RUNS,
        ..Options::default()
    };
    assert!(at.validate().is_ok());
    let help = bursar(&["gen", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains(&format!("at most {MAX_RUNS}")), "{help}");
    assert!(
        help.contains(&format!("at most {MAX_SERIES_RUNS} over the series")),
        "{help}"
    );
}

/// A cost in micro-units as an auditor's script computes it: the product in f64, rounded
/// half to even (the rule `bursar`'s money arithmetic states, written out here).
fn micros(cost: f64) -> i64 {
    (cost * 1_000_000.0).round_ties_even() as i64
}
