//! Properties of `diff`: for random pairs of decision lists it reports a difference if
//! and only if some decision differs in some field (or is on one side only), and the
//! causes it labels never depend on whether details are shown.

use std::collections::BTreeMap;

use crate::audit::compare::{Diff, diff_all};
use crate::audit::diff_report::{Report, Side};
use crate::{Check, Decision, Explanation, Link, Severity, Site};
use crate::{Op, Unit};
use proptest::prelude::*;
use serde_json::{Value, json};

fn check() -> impl Strategy<Value = Check> {
    (
        0..3u8,
        0..4i64,
        0..3i64,
        any::<bool>(),
        1..3usize,
        prop::option::of(Just("micros")),
    )
        .prop_map(|(label, actual, threshold, pass, line, unit)| Check {
            label: format!("c{label}"),
            actual: json!(actual),
            op: Op::AtLeast,
            threshold: json!(threshold),
            pass,
            at: format!("p.rhai:{line}:1"),
            file: "p.rhai".to_owned(),
            line: Some(line),
            column: Some(1),
            unit: unit.map(Unit::parse),
        })
}

fn decision() -> impl Strategy<Value = Decision> {
    (
        (0..2u8, 0..4u8, 0..2u8, 0..3u8),
        prop::collection::btree_map("[ab]", 0..3i64, 0..3),
        prop::collection::vec(check(), 0..3),
        (
            0..2u8,
            prop::option::of(0..3i64),
            prop::option::of((0..2u8, 0..4u8)),
        ),
        prop::option::of(1..3usize),
    )
        .prop_map(
            |((p, s, o, sev), values, checks, (summary, evidence, link), site)| Decision {
                policy: format!("p{p}"),
                subject: format!("s{s}"),
                outcome: format!("o{o}"),
                severity: [Severity::Info, Severity::Warn, Severity::Deny][sev as usize],
                values: values.into_iter().map(|(k, v)| (k, json!(v))).collect(),
                explanation: Explanation {
                    summary: format!("summary {summary}"),
                    checks,
                    evidence: evidence.map(|runs| json!({ "runs": runs })),
                },
                because: link
                    .map(|(p, s)| Link {
                        policy: format!("p{p}"),
                        subject: format!("s{s}"),
                    })
                    .into_iter()
                    .collect(),
                exception: None,
                site: site.map(|line| Site {
                    file: "p.rhai".to_owned(),
                    line,
                    column: 3,
                }),
            },
        )
}

/// Decisions unique by (policy, subject), as the reader guarantees.
fn decisions() -> impl Strategy<Value = Vec<Decision>> {
    prop::collection::vec(decision(), 0..8).prop_map(|list| {
        let mut seen = BTreeMap::new();
        for d in list {
            seen.entry((d.policy.clone(), d.subject.clone()))
                .or_insert(d);
        }
        seen.into_values().collect()
    })
}

/// One field of `d` changed, chosen by `which` (some choices change nothing: the field
/// was already so, or there is no check), so the property sees single-field differences.
fn nudge(d: &mut Decision, which: u8, by: i64) {
    let check = d.explanation.checks.first_mut();
    match (which, check) {
        (0, Some(c)) => c.actual = json!(by),
        (1, Some(c)) => c.threshold = json!(by),
        (2, Some(c)) => c.pass = by % 2 == 0,
        (3, Some(c)) => c.op = if by % 2 == 0 { Op::AtLeast } else { Op::AtMost },
        (4, Some(c)) => c.line = Some(by as usize),
        (5, Some(c)) => c.unit = (by % 2 == 0).then_some(Unit::Micros),
        (6, _) => d.explanation.summary = format!("summary {by}"),
        (7, _) => {
            d.values.insert("a".to_owned(), json!(by));
        }
        (8, _) => d.outcome = format!("o{by}"),
        (9, _) => d.explanation.evidence = Some(json!({ "runs": by })),
        (10, _) => {
            d.site = Some(Site {
                file: "p.rhai".to_owned(),
                line: by as usize,
                column: 3,
            })
        }
        (11, _) => d.explanation.checks.reverse(),
        _ => {}
    }
}

/// A second list close to the first: each decision kept, dropped, replaced, or one of its
/// fields nudged; maybe one decision added.
fn pair() -> impl Strategy<Value = (Vec<Decision>, Vec<Decision>)> {
    (
        decisions(),
        decisions(),
        prop::collection::vec((0..4u8, decision(), 0..12u8, 0..3i64), 8),
    )
        .prop_map(|(old, extra, edits)| {
            let mut new: Vec<Decision> = Vec::new();
            for (d, (edit, other, which, by)) in old.iter().zip(edits) {
                let mut d = d.clone();
                match edit {
                    0 => {}
                    1 => continue,
                    2 => {
                        let keep = (d.policy.clone(), d.subject.clone());
                        d = other;
                        (d.policy, d.subject) = keep;
                    }
                    _ => nudge(&mut d, which, by),
                }
                new.push(d);
            }
            for d in extra.into_iter().take(1) {
                if !new.iter().any(|n| n.link() == d.link()) {
                    new.push(d);
                }
            }
            (old, new)
        })
}

fn keyed(list: &[Decision]) -> BTreeMap<(String, String), &Decision> {
    list.iter()
        .map(|d| ((d.policy.clone(), d.subject.clone()), d))
        .collect()
}

fn report(old: &[Decision], new: &[Decision], details: bool) -> Report {
    let doc = |decisions: &[Decision]| crate::Document {
        engine: "bursar 0".to_owned(),
        rhai: "1.0.0".to_owned(),
        format: 4,
        sprint: "S".to_owned(),
        org: None,
        currency: "USD".to_owned(),
        inputs: serde_json::from_value(json!({
            "snapshot_sha256": "0", "pack_sha256": "0", "policies": [], "modules": []
        }))
        .unwrap(),
        limits: Default::default(),
        totals: Default::default(),
        decisions: decisions.to_vec(),
        warnings: Vec::new(),
    };
    let (o, n) = (doc(old), doc(new));
    let header = Value::Null;
    Report::new(
        (Side::default(), &header, &o),
        (Side::default(), &header, &n),
        details,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_difference_is_reported_iff_a_decision_differs((old, new) in pair()) {
        let differs = keyed(&old) != keyed(&new);
        let found: Diff = diff_all(&old, &new);
        prop_assert_eq!(!found.is_empty(), differs, "{:#?}", found);
        // Every pair of decisions on both sides is listed or counted unchanged, once.
        let both = keyed(&old).keys().filter(|k| keyed(&new).contains_key(*k)).count();
        let listed = found.changed.len() + found.values_changed.as_ref().map_or(0, Vec::len);
        prop_assert_eq!(listed + found.unchanged, both);
    }

    #[test]
    fn causes_do_not_depend_on_details(
        (old, new) in pair(),
        policy_only in decisions(),
        data_only in decisions(),
    ) {
        let mut plain = report(&old, &new, false);
        let mut detailed = report(&old, &new, true);
        crate::audit::attribution::attribute(&mut plain.diff, &new, &policy_only, &data_only);
        crate::audit::attribution::attribute(&mut detailed.diff, &new, &policy_only, &data_only);
        prop_assert_eq!(plain.diff, detailed.diff);
    }
}
