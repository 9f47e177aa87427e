//! `bursar impact`'s report: a pack with one edited constant against the shipped pack, on
//! the example and some cases; expectations are worked out from the handbook's rules and
//! the old pack's decisions, not from the impact code. The command itself is tested in
//! `impact_cli`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use bursar::Document;
use bursar::Limits;
use bursar::{Impact, ImpactOptions as Options, SnapshotImpact, Source};
use serde_json::Value;

use crate::support;

/// A copy of the shipped pack in a temporary folder, with one line of one policy replaced.
pub(crate) fn edited_pack(file: &str, from: &str, to: &str) -> tempfile::TempDir {
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
fn found(s: &SnapshotImpact) -> Expected {
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
    let mut snapshots = vec![PathBuf::from("examples/sprint-2026-S24.json")];
    snapshots.extend(
        [
            "promotion-uses-10-vs-9",
            "promotion-success-rate-boundary",
            "crediting-co-credit-25pct",
            "rungroups-mixed-with-runs",
            "health-healthy",
        ]
        .map(support::case_snapshot),
    );
    snapshots
}

fn run(new: &Path, snapshots: &[PathBuf], jobs: usize) -> Impact {
    let options = Options {
        limits: Limits::default(),
        load: Default::default(),
        jobs,
        details: true,
    };
    let sources: Vec<Source> = snapshots.iter().cloned().map(Source::from).collect();
    bursar::impact(
        new,
        &support::policies(),
        &sources,
        &options,
        &mut |_, _| {},
    )
    .unwrap_or_else(|f| panic!("{}", bursar::render_error(&f.error)))
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
fn without_details_value_changes_are_counted_not_listed() {
    let pack = edited_pack(
        "promotion.rhai",
        "const MIN_USES = 10;",
        "const MIN_USES = 8;",
    );
    let options = Options {
        limits: Limits::default(),
        load: Default::default(),
        jobs: 1,
        details: false,
    };
    let snapshot = support::case_snapshot("promotion-uses-10-vs-9");
    let report = bursar::impact(
        pack.path(),
        &support::policies(),
        &[Source::from(snapshot.clone())],
        &options,
        &mut |_, _| {},
    )
    .unwrap_or_else(|f| panic!("{}", bursar::render_error(&f.error)))
    .report;
    let d = &report.snapshots[0].diff;
    assert!(d.changed.iter().all(|c| c.values.is_empty()));
    // The allocation for `search` changes only in its values: counted as such (never as
    // unchanged), its values not listed.
    assert_eq!((d.changed.len(), d.added.len(), d.removed.len()), (1, 1, 0));
    let moved = d.values_changed.as_ref().unwrap();
    assert_eq!(moved.len(), 1);
    assert!(moved[0].values.is_empty());
    assert_eq!(
        d.unchanged,
        support::evaluate(&snapshot).decisions.len() - 2
    );
    assert_eq!(report.totals.values_changed, Some(1));
}
