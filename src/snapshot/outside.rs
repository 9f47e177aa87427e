//! Runs dated outside their sprint (handbook v1.1): valid but suspect, since back-dating
//! one run can move a variant's credit to another squad. Each is named, with its place,
//! for a warning or, when the caller asks, a refusal.

use super::model::Snapshot;
use crate::instant::{self, Instant};
use crate::problem::{Problem, pointer};

/// Most runs named one by one; past it, one more problem counts the rest, so a snapshot
/// of a million back-dated runs gives a bounded list.
pub const MAX_NAMED: usize = 100;

/// A run (or a run group's first run) that started outside the sprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outside {
    /// The run's id (a run group's `first_run_id`).
    pub run: String,
    /// The JSON Pointer of its start (`/runs/3/started_at`,
    /// `/run_groups/0/first_started_at`).
    pub pointer: String,
    pub message: String,
}

/// The first UTC instant of the sprint and the first after it (its `end` day included).
fn window(snapshot: &Snapshot) -> Option<(Instant, Instant)> {
    let day = |d: i64| Instant::from_unix_nanos(i128::from(d) * 86_400 * 1_000_000_000);
    let start = instant::parse_date(&snapshot.sprint.start)?;
    let end = instant::parse_date(&snapshot.sprint.end)?;
    Some((day(start), day(end.checked_add(1)?)))
}

/// Every run of `snapshot` that started outside its sprint's UTC days, runs first, then
/// run groups, in document order; at most [`MAX_NAMED`] named, then the count of the rest
/// (with an empty `run`).
pub fn runs_outside(snapshot: &Snapshot) -> Vec<Outside> {
    let Some((from, until)) = window(snapshot) else {
        return Vec::new();
    };
    let sprint = &snapshot.sprint;
    let outside = |at: Instant| at < from || at >= until;
    let describe = |run: &str, at: Instant| {
        format!(
            "run `{run}` started at {}, outside sprint `{}` ({} to {}, UTC days)",
            instant::format_utc(at),
            sprint.id,
            sprint.start,
            sprint.end
        )
    };
    let runs = snapshot
        .runs
        .iter()
        .enumerate()
        .filter(|(_, r)| outside(r.started()))
        .map(|(i, r)| Outside {
            run: r.id().to_owned(),
            pointer: pointer(&pointer("/runs", i), "started_at"),
            message: describe(r.id(), r.started()),
        });
    let groups = snapshot
        .run_groups
        .iter()
        .enumerate()
        .filter(|(_, g)| outside(g.first_started))
        .map(|(i, g)| Outside {
            run: g.first_run_id.clone(),
            pointer: pointer(&pointer("/run_groups", i), "first_started_at"),
            message: describe(&g.first_run_id, g.first_started),
        });
    let mut all = runs.chain(groups);
    let mut named: Vec<Outside> = all.by_ref().take(MAX_NAMED).collect();
    let rest = all.count();
    if rest > 0 {
        named.push(Outside {
            run: String::new(),
            pointer: String::new(),
            message: format!(
                "and {} outside sprint `{}`",
                crate::text::count(rest, "more run"),
                sprint.id
            ),
        });
    }
    named
}

/// The runs outside the sprint as problems, for refusing the snapshot.
pub fn problems(outside: &[Outside]) -> Vec<Problem> {
    outside
        .iter()
        .map(|o| Problem::new(o.pointer.clone(), o.message.clone()))
        .collect()
}
