//! The sprint snapshot's typed model, as the handbook defines it: what both loaders
//! produce and everything downstream reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use super::runs::RunTable;
pub use super::terms::{CatalogStatus, Outcome, Pool, TopupStatus, variant_key};
use crate::instant::Instant;

#[derive(Debug, Clone, Deserialize)]
pub struct Sprint {
    pub id: String,
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Squad {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub headcount: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExplorationBudget {
    pub squad: String,
    pub baseline_tokens: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Budgets {
    pub central_tokens: u64,
    pub exploration: Vec<ExplorationBudget>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Topup {
    pub id: String,
    pub squad: String,
    pub tokens: u64,
    pub status: TopupStatus,
    pub reason: Option<String>,
    pub justification: Option<String>,
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CatalogEntry {
    pub workflow: String,
    pub variant: String,
    pub status: CatalogStatus,
    #[serde(default)]
    pub origin_squad: Option<String>,
    #[serde(default)]
    pub promoted_in: Option<String>,
}

impl CatalogEntry {
    pub fn key(&self) -> String {
        variant_key(&self.workflow, &self.variant)
    }
}

/// Runs pre-aggregated in a warehouse: one row per (squad, workflow, variant, pool, outcome).
#[derive(Debug, Clone, Deserialize)]
pub struct RunGroup {
    pub squad: String,
    pub workflow: Option<String>,
    pub variant: Option<String>,
    pub pool: Pool,
    pub outcome: Outcome,
    pub count: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_micros: i64,
    pub first_started_at: String,
    pub first_run_id: String,
    #[serde(skip)]
    pub first_started: Instant,
}

/// One sprint's snapshot (`schemas/snapshot.schema.json`), validated: what the policies
/// read.
#[derive(Debug, Clone, Deserialize)]
pub struct Snapshot {
    /// The snapshot format's version.
    pub schema_version: u32,
    /// The organisation, when the snapshot names one.
    #[serde(default)]
    pub org: Option<String>,
    /// The sprint: its id and dates.
    pub sprint: Sprint,
    /// The currency of costs (`USD` unless given).
    #[serde(default = "default_currency", deserialize_with = "null_as_usd")]
    pub currency: String,
    /// The squads.
    pub squads: Vec<Squad>,
    /// The central pool and each squad's exploration baseline.
    pub budgets: Budgets,
    /// Top-ups requested in the sprint.
    #[serde(default)]
    pub topups: Vec<Topup>,
    /// The workflow catalog.
    #[serde(default)]
    pub catalog: Vec<CatalogEntry>,
    /// Filled by the loader, streamed into columns.
    #[serde(skip)]
    pub runs: RunTable,
    /// Runs already aggregated, one group per squad, workflow, variant, pool and outcome.
    #[serde(default)]
    pub run_groups: Vec<RunGroup>,
    /// Where the runs came from (`bursar import`); kept as written, never evaluated.
    #[serde(default)]
    pub provenance: Option<serde_json::Value>,
}

fn default_currency() -> String {
    "USD".to_owned()
}

// Exports from SQL write `null` for an absent optional value: the handbook's optional
// fields read `null` as absent, so it takes the default, as a missing field does.

fn null_as_usd<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::deserialize(d)?.unwrap_or_else(default_currency))
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::deserialize(d)?.unwrap_or_default())
}

/// A snapshot with the digest of the exact bytes it was read from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The snapshot.
    pub snapshot: Snapshot,
    /// The SHA-256 of the bytes, as a decisions document records it.
    pub sha256: String,
}

/// Squad id → baseline tokens, for the squads that have a budget entry.
pub fn baselines(snapshot: &Snapshot) -> BTreeMap<&str, u64> {
    snapshot
        .budgets
        .exploration
        .iter()
        .map(|b| (b.squad.as_str(), b.baseline_tokens))
        .collect()
}
