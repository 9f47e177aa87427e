//! The handbook's rules beyond the JSON Schema, shared by both loaders: the tree loader
//! reports every breach with its JSON Pointer, the streaming loader gives up on any.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::model::Snapshot;
use crate::instant;
use crate::money;
use crate::problem::{pointer, Problem};
use crate::schema;

/// Names must be non-empty and free of `/` and `@`, so variant keys never collide.
#[inline]
pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '@'])
}

/// The tag of a run or run group: both names or neither. `None` when it is half-tagged
/// or a name is not valid.
#[inline]
pub fn tag<'a>(
    workflow: Option<&'a str>,
    variant: Option<&'a str>,
) -> Option<Option<(&'a str, &'a str)>> {
    match (workflow, variant) {
        (None, None) => Some(None),
        (Some(w), Some(v)) if valid_name(w) && valid_name(v) => Some(Some((w, v))),
        _ => None,
    }
}

/// A run's cost in micro-units; `None` when it is negative or too large to count.
#[inline]
pub fn cost_micros(cost: f64) -> Option<i64> {
    (cost >= 0.0).then(|| money::to_micros(cost)).flatten()
}

/// Fills in what the loader derives from the text of run groups.
pub fn finish(snapshot: &mut Snapshot) {
    for group in &mut snapshot.run_groups {
        group.first_started = instant::parse_rfc3339(&group.first_started_at).unwrap_or_default();
    }
}

/// Every problem of a snapshot tree: the schema's, then the handbook's rules, one
/// message per place, in document order.
pub fn validate(value: &Value) -> Vec<Problem> {
    let mut problems = schema::validate_snapshot(value);
    if value.is_object() {
        let mut rules = Vec::new();
        check_rules(value, &mut rules);
        // Where the schema already objected, it has said enough.
        let flagged: HashSet<String> = problems.iter().map(|p| p.pointer.clone()).collect();
        problems.extend(rules.into_iter().filter(|p| !flagged.contains(&p.pointer)));
    }
    problems.sort();
    problems.dedup();
    problems
}

fn str_at<'a>(record: &'a Value, field: &str) -> Option<&'a str> {
    record.get(field)?.as_str()
}

fn array_at<'a>(doc: &'a Value, path: &[&str]) -> &'a [Value] {
    let mut v = doc;
    for p in path {
        match v.get(p) {
            Some(next) => v = next,
            None => return &[],
        }
    }
    v.as_array().map_or(&[], Vec::as_slice)
}

/// Integer fields of each record kind, which must fit 64 bits (JSON Schema's `integer`
/// also accepts `1e20`, which no counter can hold).
const INTEGER_FIELDS: &[(&[&str], &[&str])] = &[
    (&["squads"], &["headcount"]),
    (&["budgets", "exploration"], &["baseline_tokens"]),
    (&["topups"], &["tokens"]),
    (&["runs"], &["input_tokens", "output_tokens"]),
    (
        &["run_groups"],
        &["count", "input_tokens", "output_tokens", "cost_micros"],
    ),
];

/// The handbook's rules beyond the JSON Schema. Tolerates wrong types: those were
/// reported by the schema already.
fn check_rules(doc: &Value, problems: &mut Vec<Problem>) {
    for at in ["/schema_version", "/budgets/central_tokens"] {
        if let Some(v) = doc.pointer(at) {
            check_u64(v, at, problems);
        }
    }
    for (path, fields) in INTEGER_FIELDS {
        let base: String = path.iter().map(|p| format!("/{p}")).collect();
        for (i, record) in array_at(doc, path).iter().enumerate() {
            for field in *fields {
                if let Some(v) = record.get(field) {
                    check_u64(v, &pointer(&pointer(&base, i), field), problems);
                }
            }
        }
    }

    for field in ["start", "end"] {
        if let Some(date) = doc
            .pointer(&format!("/sprint/{field}"))
            .and_then(Value::as_str)
        {
            if instant::parse_date(date).is_none() {
                problems.push(Problem::new(
                    format!("/sprint/{field}"),
                    format!("`{date}` is not a calendar date (YYYY-MM-DD)"),
                ));
            }
        }
    }
    if let (Some(start), Some(end)) = (
        doc.pointer("/sprint/start")
            .and_then(Value::as_str)
            .and_then(instant::parse_date),
        doc.pointer("/sprint/end")
            .and_then(Value::as_str)
            .and_then(instant::parse_date),
    ) {
        if end < start {
            problems.push(Problem::new(
                "/sprint/end",
                "the sprint ends before it starts",
            ));
        }
    }

    let mut squads: HashMap<&str, String> = HashMap::new();
    for (i, squad) in array_at(doc, &["squads"]).iter().enumerate() {
        if let Some(id) = str_at(squad, "id") {
            let here = pointer(&pointer("/squads", i), "id");
            if let Some(first) = squads.get(id) {
                problems.push(Problem::new(
                    here,
                    format!("duplicate squad id `{id}` (first at {first})"),
                ));
            } else {
                squads.insert(id, here);
            }
        }
    }
    let mut unknown_squad = |base: &str, i: usize, record: &Value, field: &str| {
        if let Some(squad) = str_at(record, field) {
            if !squads.contains_key(squad) {
                problems.push(Problem::new(
                    pointer(&pointer(base, i), field),
                    format!("unknown squad `{squad}`"),
                ));
            }
        }
    };
    let budgets = array_at(doc, &["budgets", "exploration"]);
    let topups = array_at(doc, &["topups"]);
    let runs = array_at(doc, &["runs"]);
    let groups = array_at(doc, &["run_groups"]);
    for (i, b) in budgets.iter().enumerate() {
        unknown_squad("/budgets/exploration", i, b, "squad");
    }
    for (i, t) in topups.iter().enumerate() {
        unknown_squad("/topups", i, t, "squad");
    }
    for (i, r) in runs.iter().enumerate() {
        unknown_squad("/runs", i, r, "squad");
    }
    for (i, g) in groups.iter().enumerate() {
        unknown_squad("/run_groups", i, g, "squad");
    }

    duplicates(
        budgets,
        "/budgets/exploration",
        "squad",
        "budget entry for squad",
        problems,
    );
    duplicates(topups, "/topups", "id", "top-up id", problems);
    duplicates(runs, "/runs", "id", "run id", problems);

    let mut catalog: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, entry) in array_at(doc, &["catalog"]).iter().enumerate() {
        if let (Some(w), Some(v)) = (str_at(entry, "workflow"), str_at(entry, "variant")) {
            if let Some(first) = catalog.get(&(w, v)) {
                problems.push(Problem::new(
                    pointer("/catalog", i),
                    format!("duplicate catalog entry `{w}/{v}` (first at /catalog/{first})"),
                ));
            } else {
                catalog.insert((w, v), i);
            }
        }
    }

    for (base, records) in [("/runs", runs), ("/run_groups", groups)] {
        for (i, r) in records.iter().enumerate() {
            check_tagging(r, &pointer(base, i), problems);
        }
    }
    for (i, r) in runs.iter().enumerate() {
        if let Some(cost) = r.get("cost").and_then(Value::as_f64) {
            if cost >= 0.0 && cost_micros(cost).is_none() {
                problems.push(Problem::new(
                    pointer(&pointer("/runs", i), "cost"),
                    format!("cost `{cost}` is too large to count in micro-units"),
                ));
            }
        }
        check_instant(r, "started_at", &pointer("/runs", i), problems);
    }
    let mut group_keys: HashMap<Vec<Option<&str>>, usize> = HashMap::new();
    let mut group_first_ids: HashMap<&str, usize> = HashMap::new();
    let run_ids: HashMap<&str, usize> = runs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((str_at(r, "id")?, i)))
        .collect();
    for (i, g) in groups.iter().enumerate() {
        let here = pointer("/run_groups", i);
        check_instant(g, "first_started_at", &here, problems);
        let key: Vec<Option<&str>> = ["squad", "workflow", "variant", "pool", "outcome"]
            .iter()
            .map(|f| str_at(g, f))
            .collect();
        if let Some(first) = group_keys.get(&key) {
            problems.push(Problem::new(
                here.clone(),
                format!("duplicate run group (same squad, workflow, variant, pool and outcome as /run_groups/{first})"),
            ));
        } else {
            group_keys.insert(key, i);
        }
        if let Some(id) = str_at(g, "first_run_id") {
            if let Some(run) = run_ids.get(id) {
                problems.push(Problem::new(
                    pointer(&here, "first_run_id"),
                    format!("run `{id}` is both in /runs/{run} and in a run group"),
                ));
            }
            if let Some(first) = group_first_ids.insert(id, i) {
                problems.push(Problem::new(
                    pointer(&here, "first_run_id"),
                    format!("run `{id}` is also the first run of /run_groups/{first}"),
                ));
            }
        }
    }
}

fn check_u64(v: &Value, at: &str, problems: &mut Vec<Problem>) {
    let Some(f) = v.as_f64().filter(|_| v.as_u64().is_none()) else {
        return;
    };
    // JSON Schema's `integer` takes `1.0`; serde would not, naming a Rust type.
    let message = if f >= 0.0 && f.fract() == 0.0 && f < 2f64.powi(53) {
        format!(
            "`{v}` has a decimal point: write the whole number `{}`",
            f as u64
        )
    } else if f >= 0.0 {
        format!("`{v}` is not a whole number that fits in 64 bits")
    } else {
        return;
    };
    problems.push(Problem::new(at, message));
}

fn check_instant(record: &Value, field: &str, base: &str, problems: &mut Vec<Problem>) {
    if let Some(text) = str_at(record, field) {
        if instant::parse_rfc3339(text).is_none() {
            let message = if instant::misplaced_leap_second(text) {
                format!("`{text}` has second 60, a leap second, which only 23:59:60 UTC can have")
            } else {
                format!("`{text}` is not an RFC 3339 date-time")
            };
            problems.push(Problem::new(pointer(base, field), message));
        }
    }
}

fn check_tagging(record: &Value, here: &str, problems: &mut Vec<Problem>) {
    let workflow = record.get("workflow");
    let variant = record.get("variant");
    let tagged = |v: Option<&Value>| v.is_some_and(Value::is_string);
    let null = |v: Option<&Value>| v.is_some_and(Value::is_null);
    if tagged(workflow) && null(variant) || null(workflow) && tagged(variant) {
        let (set, unset) = if tagged(workflow) {
            ("workflow", "variant")
        } else {
            ("variant", "workflow")
        };
        problems.push(Problem::new(
            here,
            format!("half-tagged: `{set}` is set but `{unset}` is null (set both, or neither for an untagged run)"),
        ));
    }
}

fn duplicates(records: &[Value], base: &str, field: &str, what: &str, problems: &mut Vec<Problem>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if let Some(id) = str_at(r, field) {
            if let Some(first) = seen.get(id) {
                problems.push(Problem::new(
                    pointer(&pointer(base, i), field),
                    format!("duplicate {what} `{id}` (first at {base}/{first}/{field})"),
                ));
            } else {
                seen.insert(id, i);
            }
        }
    }
}

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
