//! Totals a policy must see exactly: no count or sum past the largest script integer,
//! checked on the loaded snapshot by both loaders.

use std::collections::HashMap;

use crate::problem::{Problem, pointer};
use crate::snapshot::model::Snapshot;

/// The largest whole number a policy sees: Rhai's integers are signed 64-bit, so a token
/// count or total above this would reach a script clamped. Refused at load instead.
pub const MAX_INTEGER: u64 = i64::MAX as u64;

/// `n + more`, or `None` past `MAX_INTEGER` (which is where a policy could no longer see
/// the sum exactly).
fn add_within(n: u64, more: u64) -> Option<u64> {
    n.checked_add(more).filter(|&sum| sum <= MAX_INTEGER)
}

/// Every total the facts add up fits what policies see: run counts and tokens up to
/// `MAX_INTEGER`, costs in signed 64-bit micro-units, each squad's top-ups up to
/// `MAX_INTEGER`. All are sums of numbers that are never negative, so when the grand totals
/// fit, every partial one (and every single value) does. Each total that overflows is
/// reported once, where it first does. Values never summed (headcounts, baselines, the
/// central budget) are checked one by one.
pub fn check_totals(snapshot: &Snapshot) -> Vec<Problem> {
    let mut problems = Vec::new();
    // Pointers are built only for a problem: this runs over every run on the fast path.
    let runs = snapshot.runs.iter().enumerate().map(|(i, r)| {
        let tokens = r.input_tokens().checked_add(r.output_tokens());
        (("/runs", i), None, tokens, r.cost_micros(), "cost")
    });
    let groups = snapshot.run_groups.iter().enumerate().map(|(i, g)| {
        let tokens = g.input_tokens.checked_add(g.output_tokens);
        (
            ("/run_groups", i),
            Some(g.count),
            tokens,
            g.cost_micros,
            "cost_micros",
        )
    });
    let mut totals = [Some(0u64), Some(0u64)];
    let mut cost = Some(0i64);
    for (here, count, tokens, micros, cost_field) in runs.chain(groups) {
        let before = (totals, cost);
        totals[0] = totals[0].and_then(|n| add_within(n, count.unwrap_or(1)));
        totals[1] = totals[1].and_then(|n| tokens.and_then(|t| add_within(n, t)));
        cost = cost.and_then(|c| c.checked_add(micros));
        let mut overflow = |was: bool, is: bool, field: &str, what: &str| {
            if was && !is {
                let record = pointer(here.0, here.1);
                problems.push(Problem::new(
                    if field.is_empty() {
                        record
                    } else {
                        pointer(&record, field)
                    },
                    format!("with this one, the {what} add up past {}", beyond(what)),
                ));
            }
        };
        overflow(
            before.0[0].is_some(),
            totals[0].is_some(),
            "count",
            "run counts",
        );
        overflow(
            before.0[1].is_some(),
            totals[1].is_some(),
            "",
            "tokens of all runs",
        );
        overflow(
            before.1.is_some(),
            cost.is_some(),
            cost_field,
            "costs in micro-units",
        );
    }
    let mut granted: HashMap<&str, Option<u64>> = HashMap::new();
    for (i, t) in snapshot.topups.iter().enumerate() {
        let sum = granted.entry(&t.squad).or_insert(Some(0));
        let next = sum.and_then(|s| add_within(s, t.tokens));
        if sum.is_some() && next.is_none() {
            problems.push(Problem::new(
                pointer(&pointer("/topups", i), "tokens"),
                format!(
                    "with this one, the top-ups of squad `{}` add up past {}",
                    t.squad,
                    beyond("tokens")
                ),
            ));
        }
        *sum = next;
    }
    check_single_values(snapshot, &mut problems);
    problems.sort();
    problems
}

/// What a total or value went past, in the policy author's words.
fn beyond(what: &str) -> String {
    if what.starts_with("costs") {
        "what 64 bits hold".to_owned()
    } else {
        format!("{MAX_INTEGER}, the largest whole number a policy can use")
    }
}

/// The integers that are never added up: each alone must fit what policies see. The
/// schema's `maximum` refuses them in the tree loader; the streaming loader skips the
/// schema, and this is how it notices them and hands over to the tree loader.
fn check_single_values(snapshot: &Snapshot, problems: &mut Vec<Problem>) {
    let squads = snapshot.squads.iter().enumerate();
    let squads = squads.map(|(i, s)| (pointer(&pointer("/squads", i), "headcount"), s.headcount));
    let budgets = snapshot.budgets.exploration.iter().enumerate();
    let budgets = budgets.map(|(i, b)| {
        let at = pointer(&pointer("/budgets/exploration", i), "baseline_tokens");
        (at, b.baseline_tokens)
    });
    let central = [(
        "/budgets/central_tokens".to_owned(),
        snapshot.budgets.central_tokens,
    )];
    for (at, n) in squads.chain(budgets).chain(central) {
        if n > MAX_INTEGER {
            problems.push(Problem::new(at, format!("`{n}` is above {}", beyond(""))));
        }
    }
}
