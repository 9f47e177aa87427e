//! `bursar impact`: a pack with one edited constant against the shipped pack, on the
//! example and some cases; expectations are worked out from the handbook's rules and the
//! old pack's decisions, not from the impact code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use bursar::compare;
use bursar::decision::{Decision, Document, Explanation, Severity};
use bursar::impact::{self, Options};
use bursar::limits::Limits;
use serde_json::Value;

use crate::support::{self, bursar};

/// A copy of the shipped pack in a temporary folder, with one line of one policy replaced.
fn edited_pack(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for policy in support::files(&support::policies(), "rhai") {
        std::fs::copy(&policy, dir.path().join(policy.file_name().unwrap())).unwrap();
    }
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "`{from}` once in {file}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    dir
}

/// The promotion thresholds a pack uses, as the handbook states the rule.
#[derive(Clone, Copy)]
struct Promotion {
    min_uses: i64,
    min_success_rate: f64,
}

const SHIPPED: Promotion = Promotion {
    min_uses: 10,
    min_success_rate: 0.80,
};

/// What a threshold change must do, per snapshot.
#[derive(Debug, Default, PartialEq)]
struct Expected {
    /// (subject, old outcome, new outcome) of promotion decisions.
    promotion: BTreeSet<(String, String, String)>,
    /// (subject, outcome) of crediting decisions.
    added: BTreeSet<(String, String)>,
    removed: BTreeSet<(String, String)>,
    /// squad → (old tokens, new tokens) of allocation decisions that change.
    allocation: BTreeMap<String, (i64, i64)>,
}

/// Runs per (variant key, squad), counted from the snapshot's JSON (runs and run groups).
fn squad_uses(snapshot: &Path) -> BTreeMap<String, BTreeMap<String, i64>> {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(support::root().join(snapshot)).unwrap())
            .unwrap();
    let mut uses: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let rows = |name| json[name].as_array().cloned().unwrap_or_default();
    for (row, count) in
        rows("runs")
            .into_iter()
            .map(|r| (r, 1))
            .chain(rows("run_groups").into_iter().map(|g| {
                let n = g["count"].as_i64().unwrap();
                (g, n)
            }))
    {
        if let (Some(w), Some(v)) = (row["workflow"].as_str(), row["variant"].as_str()) {
            let squad = row["squad"].as_str().unwrap().to_owned();
            *uses
                .entry(format!("{w}/{v}"))
                .or_default()
                .entry(squad)
                .or_default() += count;
        }
    }
    uses
}

/// The handbook's promotion, crediting and allocation rules applied to the old pack's
/// promotion values (uses, success rate, and whether cost passed, which these edits do
/// not touch) with the new thresholds.
fn expected(snapshot: &Path, old: &Document, new: Promotion) -> Expected {
    let uses_by_squad = squad_uses(snapshot);
    let mut out = Expected::default();
    let mut credit_delta: BTreeMap<String, i64> = BTreeMap::new();
    for d in old.decisions.iter().filter(|d| d.policy == "promotion") {
        let uses = d.values["uses"].as_i64().unwrap();
        let rate = d.values["success_rate"].as_f64().unwrap();
        let cost_ok = d
            .explanation
            .checks
            .iter()
            .find(|c| c.label == "cost per success")
            .is_none_or(|c| c.pass);
        let outcome = if uses >= new.min_uses && rate >= new.min_success_rate && cost_ok {
            "candidate"
        } else {
            "not-yet"
        };
        if outcome == d.outcome {
            continue;
        }
        out.promotion
            .insert((d.subject.clone(), d.outcome.clone(), outcome.to_owned()));
        // The variant's credits appear with the candidate, or go with it.
        let origin = d.values["origin_squad"].as_str().unwrap();
        let (list, sign) = if outcome == "candidate" {
            (&mut out.added, 1)
        } else {
            (&mut out.removed, -1)
        };
        for (squad, n) in &uses_by_squad[&d.subject] {
            let (label, tokens) = if squad == origin {
                ("credit", 250_000)
            } else if *n as f64 / uses as f64 >= 0.25 {
                ("co-credit", 100_000)
            } else {
                continue;
            };
            list.insert((format!("{}@{squad}", d.subject), label.to_owned()));
            *credit_delta.entry(squad.clone()).or_default() += sign * tokens;
        }
    }
    for d in old.decisions.iter().filter(|d| d.policy == "allocation") {
        let delta = credit_delta.get(&d.subject).copied().unwrap_or(0);
        if delta != 0 {
            let tokens = d.values["tokens"].as_i64().unwrap();
            out.allocation
                .insert(d.subject.clone(), (tokens, tokens + delta));
        }
    }
    out
}

/// What the impact report says, in the same shape.
fn found(s: &impact::SnapshotImpact) -> Expected {
    let d = &s.diff;
    let mut out = Expected::default();
    for c in &d.changed {
        assert_eq!(c.policy, "promotion", "{}: {c:?}", s.path);
        out.promotion.insert((
            c.subject.clone(),
            c.old.outcome.clone(),
            c.new.outcome.clone(),
        ));
    }
    for (list, into) in [(&d.added, &mut out.added), (&d.removed, &mut out.removed)] {
        for l in list {
            assert_eq!(l.policy, "crediting", "{}: {l:?}", s.path);
            into.insert((l.subject.clone(), l.verdict.outcome.clone()));
        }
    }
    for c in d.values_changed.as_ref().expect("details were asked for") {
        assert_eq!(c.policy, "allocation", "{}: {c:?}", s.path);
        let tokens = c.values.iter().find(|v| v.name == "tokens").unwrap();
        let token = |v: &Option<Value>| v.as_ref().unwrap().as_i64().unwrap();
        out.allocation
            .insert(c.subject.clone(), (token(&tokens.old), token(&tokens.new)));
    }
    out
}

fn snapshots() -> Vec<PathBuf> {
    [
        "examples/sprint-2026-S24.json",
        "tests/cases/promotion-uses-10-vs-9/snapshot.json",
        "tests/cases/promotion-success-rate-boundary/snapshot.json",
        "tests/cases/crediting-co-credit-25pct/snapshot.json",
        "tests/cases/rungroups-mixed-with-runs/snapshot.json",
        "tests/cases/health-healthy/snapshot.json",
    ]
    .map(PathBuf::from)
    .to_vec()
}

fn run(new: &Path, snapshots: &[PathBuf], jobs: usize) -> impact::Impact {
    let options = Options {
        limits: Limits::default(),
        jobs,
        details: true,
    };
    impact::run(
        new,
        &support::policies(),
        snapshots,
        &options,
        &mut |_, _| {},
    )
    .unwrap_or_else(|f| panic!("{}", bursar::diagnostic::render(&f.error)))
}

#[test]
fn a_threshold_change_changes_exactly_what_the_rules_say() {
    let edits = [
        // Lower: variants with 8 or 9 uses that otherwise pass become candidates.
        (
            "const MIN_USES = 10;",
            "const MIN_USES = 8;",
            Promotion {
                min_uses: 8,
                ..SHIPPED
            },
        ),
        (
            "const MIN_SUCCESS_RATE = 0.80;",
            "const MIN_SUCCESS_RATE = 0.75;",
            Promotion {
                min_success_rate: 0.75,
                ..SHIPPED
            },
        ),
        // Higher: candidates with 10 to 12 uses fall back, and their credits go.
        (
            "const MIN_USES = 10;",
            "const MIN_USES = 13;",
            Promotion {
                min_uses: 13,
                ..SHIPPED
            },
        ),
    ];
    let snapshots = snapshots();
    let olds: Vec<Document> = snapshots.iter().map(|s| support::evaluate(s)).collect();
    for (from, to, thresholds) in edits {
        let pack = edited_pack("promotion.rhai", from, to);
        let report = run(pack.path(), &snapshots, 2).report;
        assert_eq!(report.snapshots.len(), snapshots.len());
        let mut changes = 0;
        for ((path, old), s) in snapshots.iter().zip(&olds).zip(&report.snapshots) {
            assert_eq!(s.path, path.display().to_string(), "in the order given");
            assert_eq!(s.sprint, old.sprint);
            assert_eq!(s.snapshot_sha256, old.inputs.snapshot_sha256);
            let want = expected(path, old, thresholds);
            assert_eq!(found(s), want, "{to} on {}", path.display());
            changes += want.promotion.len();
            let listed = s.diff.changed.len()
                + s.diff.removed.len()
                + s.diff.values_changed.as_ref().map_or(0, Vec::len);
            assert_eq!(
                s.diff.unchanged + listed,
                old.decisions.len(),
                "{to} on {}: every old decision is counted once",
                path.display()
            );
        }
        assert!(changes > 0, "{to} changes something on these snapshots");
        assert_eq!(report.has_differences(), changes > 0);
        let names: Vec<&str> = report
            .new
            .policies
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "allocation",
                "crediting",
                "health",
                "promotion",
                "sunset",
                "topups"
            ]
        );
        for (n, o) in report.new.policies.iter().zip(&report.old.policies) {
            assert_eq!(n.sha256 == o.sha256, n.name != "promotion", "{}", n.name);
        }
    }
}

#[test]
fn without_details_values_are_not_compared() {
    let pack = edited_pack(
        "promotion.rhai",
        "const MIN_USES = 10;",
        "const MIN_USES = 8;",
    );
    let options = Options {
        limits: Limits::default(),
        jobs: 1,
        details: false,
    };
    let snapshot = PathBuf::from("tests/cases/promotion-uses-10-vs-9/snapshot.json");
    let report = impact::run(
        pack.path(),
        &support::policies(),
        std::slice::from_ref(&snapshot),
        &options,
        &mut |_, _| {},
    )
    .unwrap_or_else(|f| panic!("{}", bursar::diagnostic::render(&f.error)))
    .report;
    let d = &report.snapshots[0].diff;
    assert_eq!(d.values_changed, None);
    assert!(d.changed.iter().all(|c| c.values.is_empty()));
    // The allocation for `search` changes only in its values: counted as unchanged.
    assert_eq!((d.changed.len(), d.added.len(), d.removed.len()), (1, 1, 0));
    assert_eq!(
        d.unchanged,
        support::evaluate(&snapshot).decisions.len() - 1
    );
    assert_eq!(report.totals.values_changed, None);
}

fn decision(policy: &str, subject: &str, outcome: &str, severity: Severity, v: i64) -> Decision {
    Decision {
        policy: policy.into(),
        subject: subject.into(),
        outcome: outcome.into(),
        severity,
        values: BTreeMap::from([("n".to_owned(), Value::from(v))]),
        explanation: Explanation {
            summary: format!("{subject} → {outcome}"),
            checks: Vec::new(),
            evidence: None,
        },
    }
}

#[test]
fn diff_keys_decisions_by_policy_and_subject() {
    use Severity::*;
    let old = [
        decision("a", "x", "ok", Info, 1),
        decision("a", "y", "ok", Info, 1),
        decision("b", "x", "ok", Info, 1),
        decision("b", "z", "gone", Warn, 1),
    ];
    let new = [
        decision("a", "x", "ok", Warn, 1),  // severity only
        decision("a", "y", "ok", Info, 2),  // values only
        decision("b", "w", "new", Info, 1), // added
        decision("b", "x", "ok", Info, 1),  // same
    ];
    let plain = compare::diff(&old, &new, false);
    let changed: Vec<_> = plain
        .changed
        .iter()
        .map(|c| (&*c.policy, &*c.subject))
        .collect();
    assert_eq!(changed, [("a", "x")]);
    assert_eq!(plain.changed[0].old.severity, Info);
    assert_eq!(plain.changed[0].new.severity, Warn);
    assert_eq!(plain.added.len(), 1);
    assert_eq!(
        (&*plain.added[0].subject, &*plain.added[0].verdict.outcome),
        ("w", "new")
    );
    assert_eq!(plain.removed.len(), 1);
    assert_eq!(
        (
            &*plain.removed[0].subject,
            plain.removed[0].verdict.severity
        ),
        ("z", Warn)
    );
    assert_eq!(plain.unchanged, 2);
    assert_eq!(plain.values_changed, None);

    let detailed = compare::diff(&old, &new, true);
    let values = detailed.values_changed.as_ref().unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!((&*values[0].policy, &*values[0].subject), ("a", "y"));
    assert_eq!(values[0].values[0].old, Some(Value::from(1)));
    assert_eq!(values[0].values[0].new, Some(Value::from(2)));
    assert_eq!(detailed.unchanged, 1);

    assert!(compare::diff(&old, &old, true).is_empty());
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn impact_cli(new: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["impact", "--policies", new, "--against", "policies"];
    args.extend(extra);
    bursar(&args)
}

#[test]
fn identical_packs_exit_0_and_a_change_exits_1() {
    let same = impact_cli("policies", &["examples/sprint-2026-S24.json", "-q"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let text = String::from_utf8_lossy(&same.stdout);
    assert!(text.contains("identical policy files"), "{text}");
    assert!(text.ends_with("0 of 1 snapshot changes: 0 outcomes changed, 0 added, 0 removed\n"));

    let pack = edited_pack(
        "promotion.rhai",
        "const MIN_USES = 10;",
        "const MIN_USES = 8;",
    );
    let changed = impact_cli(
        pack.path().to_str().unwrap(),
        &["examples/sprint-2026-S24.json", "--format", "json"],
    );
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
    let json: Value = serde_json::from_slice(&changed.stdout).unwrap();
    assert_eq!(json["totals"]["snapshots_changed"], 1);
    assert_eq!(json["snapshots"][0]["sprint"], "2026-S24");
}

#[test]
fn output_is_the_same_whatever_the_number_of_jobs() {
    let pack = edited_pack(
        "promotion.rhai",
        "const MIN_SUCCESS_RATE = 0.80;",
        "const MIN_SUCCESS_RATE = 0.75;",
    );
    let mut args: Vec<String> = vec!["examples/sprint-2026-S24.json".into()];
    for dir in support::subdirs(Path::new("tests/cases")) {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        args.push(format!("tests/cases/{name}/snapshot.json"));
    }
    for format in ["text", "json"] {
        let outputs: Vec<Vec<u8>> = ["1", "4"]
            .iter()
            .map(|jobs| {
                let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
                all.extend(["--details", "--format", format, "--jobs", jobs]);
                let out = impact_cli(pack.path().to_str().unwrap(), &all);
                assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
                out.stdout
            })
            .collect();
        assert!(
            outputs[0] == outputs[1],
            "--jobs 1 and --jobs 4 differ ({format})"
        );
    }
}

#[test]
fn a_broken_snapshot_exits_2_and_leaves_out_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("impact.txt");
    std::fs::write(&out_file, "previous\n").unwrap();
    // Two broken snapshots: the first in the order given is reported, whatever the timing.
    for jobs in ["1", "4"] {
        let out = impact_cli(
            "policies",
            &[
                "examples/sprint-2026-S24.json",
                "tests/errors/snapshots/duplicate-ids.json",
                "tests/cases/health-healthy/snapshot.json",
                "tests/errors/snapshots/empty.json",
                "--jobs",
                jobs,
                "--out",
                out_file.to_str().unwrap(),
            ],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.starts_with("error: tests/errors/snapshots/duplicate-ids.json: invalid snapshot"),
            "{err}"
        );
        assert!(!err.contains("empty.json"), "{err}");
        assert!(out.stdout.is_empty());
        assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "previous\n");
    }
}

#[test]
fn a_failing_policy_exits_2_and_names_the_snapshot() {
    let broken = impact_cli(
        "tests/errors/policies/syntax-error",
        &["examples/sprint-2026-S24.json"],
    );
    assert_eq!(broken.status.code(), Some(2), "{}", stderr(&broken));
    assert!(stderr(&broken).starts_with("error: tests/errors/policies/syntax-error/broken.rhai:"));

    let throws = impact_cli(
        "tests/errors/policies/throw",
        &[
            "tests/cases/topups-granted-outcomes/snapshot.json",
            "examples/sprint-2026-S24.json",
            "-j",
            "1",
        ],
    );
    let err = stderr(&throws);
    assert_eq!(throws.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(
            "while evaluating `examples/sprint-2026-S24.json` with the new pack `tests/errors/policies/throw`:\nerror: tests/errors/policies/throw/"
        ),
        "{err}"
    );
}

#[test]
fn text_output_is_pinned() {
    let pack = edited_pack(
        "promotion.rhai",
        "const MIN_USES = 10;",
        "const MIN_USES = 8;",
    );
    let new = pack.path().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("impact.txt");
    let out = impact_cli(
        new,
        &[
            "examples/sprint-2026-S24.json",
            "tests/cases/promotion-uses-10-vs-9/snapshot.json",
            "tests/cases/health-healthy/snapshot.json",
            "--details",
            "--out",
            out_file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&out_file).unwrap();
    insta::with_settings!({filters => vec![(regex_escape(new).as_str(), "[NEW]")]}, {
        insta::assert_snapshot!("impact_text", text);
    });
}

/// The temporary folder's path as a literal regular expression (insta filters are regexes).
fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// Each policy's memory budget counts only what its own thread allocates, so with several
/// workers a policy is never charged for a snapshot another worker is loading: under a
/// budget far below one 20,000-run load (1 MiB), `--jobs 4` must give exactly what
/// `--jobs 1` gives. On the worker that takes the small example, policies run while the
/// other workers load 20,000-run snapshots, and the new pack adds a policy that allocates
/// nothing and loops long enough to make that overlap near-certain. With process-wide
/// counting put back (`memory::held` returning the process total) this test failed in 5
/// runs of 5. The second half checks that the budget is enforced on the workers at all.
#[test]
fn a_tight_memory_budget_gives_the_same_outcome_whatever_the_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["examples/sprint-2026-S24.json".to_owned()];
    for seed in 1..=3 {
        let path = dir.path().join(format!("s{seed}.json"));
        let path = path.to_str().unwrap();
        let seed = seed.to_string();
        let gen = bursar(&["gen", "--runs", "20000", "--seed", &seed, "--out", path]);
        assert_eq!(gen.status.code(), Some(0), "{}", stderr(&gen));
        args.push(path.to_owned());
    }
    let pack = tempfile::tempdir().unwrap();
    for policy in support::files(&support::policies(), "rhai") {
        std::fs::copy(&policy, pack.path().join(policy.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        pack.path().join("spin.rhai"),
        "const POLICY = \"spin\";\n\
         const DESCRIPTION = \"decides nothing, allocates nothing, takes a while\";\n\
         const READS = [];\n\
         let n = 0;\n\
         while n < 500000 { n += 1; }\n",
    )
    .unwrap();
    let outputs: Vec<_> = ["1", "4"]
        .iter()
        .map(|jobs| {
            let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
            all.extend(["--max-memory-mb", "1", "--jobs", jobs, "-q"]);
            let out = impact_cli(pack.path().to_str().unwrap(), &all);
            (out.status.code(), stderr(&out), out.stdout)
        })
        .collect();
    assert_eq!(outputs[0].0, Some(0), "{}", outputs[0].1);
    assert!(outputs[0] == outputs[1], "--jobs 4: {}", outputs[1].1);

    // The budget is enforced on the workers: a policy that does allocate past it fails.
    std::fs::write(
        pack.path().join("spin.rhai"),
        "const POLICY = \"spin\";\n\
         const DESCRIPTION = \"keeps two MiB\";\n\
         const READS = [];\n\
         let page = \"\";\n\
         page.pad(32768, \"x\");\n\
         let kept = [];\n\
         for i in 0..64 { kept.push(page + i); }\n",
    )
    .unwrap();
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend(["--max-memory-mb", "1", "--jobs", "4", "-q"]);
    let out = impact_cli(pack.path().to_str().unwrap(), &all);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("policy `spin` used more than the 1 MiB"),
        "{err}"
    );
}

#[test]
fn an_unchanged_snapshot_with_one_decision_says_decision() {
    // A pack of one policy deciding one subject, against itself.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("policies/health.rhai", dir.path().join("health.rhai")).unwrap();
    let snapshot = PathBuf::from("tests/cases/health-single-squad/snapshot.json");
    let options = Options {
        limits: Limits::default(),
        jobs: 1,
        details: false,
    };
    let report = impact::run(
        dir.path(),
        dir.path(),
        std::slice::from_ref(&snapshot),
        &options,
        &mut |_, _| {},
    )
    .unwrap_or_else(|f| panic!("{}", bursar::diagnostic::render(&f.error)))
    .report;
    assert_eq!(report.snapshots[0].diff.unchanged, 1);
    let text = bursar::render::impact::text(&report);
    assert!(
        text.contains("(sprint 2026-S24): no change, 1 decision\n"),
        "{text}"
    );
}
