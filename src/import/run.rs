//! An imported run: drafted by a source (its fields as the telemetry gave them), then
//! finished against the base: the sprint window, squads translated and checked, the pool
//! from the catalog, workflow and variant both set or both null.

use crate::instant::{Instant, format_utc, parse_date};
use crate::snapshot::{CatalogStatus, Outcome, Pool, Snapshot};

use super::error::At;
use super::mapping::{From, Mapping};
use super::prices::Pico;

/// What a record offers field resolution.
pub trait Lookup {
    fn resource(&self, _key: &str) -> Option<String> {
        None
    }
    fn scope(&self, _key: &str) -> Option<String> {
        None
    }
    fn attribute(&self, key: &str) -> Option<String>;
    fn tags(&self) -> &[String] {
        &[]
    }
}

/// The first of `from` that gives a (non-empty) value.
pub fn resolve(from: &[From], record: &dyn Lookup) -> Option<String> {
    from.iter()
        .find_map(|f| match f {
            From::Resource(k) => record.resource(k),
            From::Scope(k) => record.scope(k),
            From::Attribute(k) => record.attribute(k),
            From::Tag(prefix) => record
                .tags()
                .iter()
                .find_map(|t| t.strip_prefix(prefix.as_str()).map(str::to_owned)),
            From::Const(v) => Some(v.clone()),
        })
        .filter(|v| !v.is_empty())
}

/// The run fields a mapping can set, as resolved from one record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Labels {
    pub squad: Option<String>,
    pub workflow: Option<String>,
    pub variant: Option<String>,
    /// A mapped outcome; `None`: the source's own.
    pub outcome: Option<String>,
    /// A mapped pool; `None`: from the catalog.
    pub pool: Option<String>,
}

/// A run gathered from several records (a LiteLLM trace, a Claude Code session): the
/// records must agree on its labels, its start is the earliest record's, its tokens the sum.
#[derive(Debug, Clone)]
pub struct Gathered<T> {
    /// The earliest record's start, in the source's own unit.
    pub first: T,
    /// The record that opened it (the earliest; the first read among equals).
    pub at: At,
    pub labels: Labels,
    /// Where `labels` were read, to name both records when a later one disagrees.
    pub labels_at: At,
    pub input: u64,
    pub output: u64,
}

impl<T: Copy + Ord> Gathered<T> {
    pub fn new(first: T, at: At, labels: Labels) -> Self {
        Gathered {
            first,
            at,
            labels,
            labels_at: at,
            input: 0,
            output: 0,
        }
    }

    /// Adds one record, or gives where the labels it disagrees with were read.
    pub fn add(
        &mut self,
        labels: &Labels,
        time: T,
        at: At,
        input: u64,
        output: u64,
    ) -> Result<(), At> {
        if self.labels != *labels {
            return Err(self.labels_at);
        }
        if (time, at) < (self.first, self.at) {
            self.first = time;
            self.at = at;
        }
        self.input = self.input.saturating_add(input);
        self.output = self.output.saturating_add(output);
        Ok(())
    }
}

/// A run as a source built it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: String,
    /// The record that started it: named in messages, and the source it is counted for.
    pub at: At,
    pub labels: Labels,
    /// The outcome the source itself says (span status, LiteLLM status).
    pub outcome: Outcome,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost: Pico,
    pub started_ns: i128,
}

/// A run ready for the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub id: String,
    pub squad: String,
    pub workflow: Option<String>,
    pub variant: Option<String>,
    pub pool: Pool,
    pub outcome: Outcome,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost: Pico,
    pub started_at: String,
}

/// Whether a run that started at `ns` belongs to the sprint: its UTC day within the
/// sprint's dates, `end` included.
pub fn in_sprint(ns: i128, base: &Snapshot) -> bool {
    let day = ns.div_euclid(86_400 * 1_000_000_000) as i64;
    match (parse_date(&base.sprint.start), parse_date(&base.sprint.end)) {
        (Some(start), Some(end)) => (start..=end).contains(&day),
        _ => false,
    }
}

/// Finishes one draft; the error is the problem, to be located by the caller.
pub fn finish(draft: Draft, base: &Snapshot, mapping: &Mapping) -> Result<Run, String> {
    let Labels {
        squad,
        workflow,
        variant,
        outcome,
        pool,
    } = draft.labels;
    let team =
        squad.ok_or_else(|| "no team found where the mapping looks for the squad".to_owned())?;
    let squad = mapping.squad(&team).to_owned();
    if !base.squads.iter().any(|s| s.id == squad) {
        return Err(format!(
            "team `{team}` is not a squad of the base{}",
            if squad == team {
                " and [squads] in the mapping does not translate it".to_owned()
            } else {
                format!(" (translated to `{squad}`, which is not a squad either)")
            }
        ));
    }
    let (workflow, variant) = match (workflow, variant) {
        (Some(w), Some(v)) => (Some(name(w)?), Some(name(v)?)),
        (None, None) => (None, None),
        (Some(w), None) => return Err(format!("workflow `{w}` has no variant")),
        (None, Some(v)) => return Err(format!("variant `{v}` has no workflow")),
    };
    let outcome = match outcome.as_deref() {
        None => draft.outcome,
        Some("success") => Outcome::Success,
        Some("failure") => Outcome::Failure,
        Some("abandoned") => Outcome::Abandoned,
        Some(other) => {
            return Err(format!(
                "outcome `{other}` is not one of `success`, `failure`, `abandoned`"
            ));
        }
    };
    let pool = match pool.as_deref() {
        None => catalog_pool(base, workflow.as_deref(), variant.as_deref()),
        Some("central") => Pool::Central,
        Some("exploration") => Pool::Exploration,
        Some(other) => return Err(format!("pool `{other}` is not `central` or `exploration`")),
    };
    Ok(Run {
        id: draft.id,
        squad,
        workflow,
        variant,
        pool,
        outcome,
        input_tokens: draft.input_tokens,
        output_tokens: draft.output_tokens,
        cost: draft.cost,
        started_at: format_utc(Instant::from_unix_nanos(draft.started_ns)),
    })
}

/// A workflow or variant name as the snapshot allows it.
fn name(text: String) -> Result<String, String> {
    if text.contains('/') || text.contains('@') {
        Err(format!(
            "`{text}` cannot be a workflow or variant name (it has `/` or `@`)"
        ))
    } else {
        Ok(text)
    }
}

/// `central` for a standard catalog entry, `exploration` otherwise.
fn catalog_pool(base: &Snapshot, workflow: Option<&str>, variant: Option<&str>) -> Pool {
    let standard = base.catalog.iter().any(|e| {
        e.status == CatalogStatus::Standard
            && Some(e.workflow.as_str()) == workflow
            && Some(e.variant.as_str()) == variant
    });
    if standard {
        Pool::Central
    } else {
        Pool::Exploration
    }
}
