//! The report's rows: what the series looks like sprint by sprint, window by window and
//! tier by tier, and the capacity quartiles; plain data the renderers draw, apart from
//! the answer's and verdicts' findings (`model`), which they also word.

use std::collections::BTreeMap;

use serde::Serialize;

/// One tier of influence over the series (or a window).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InfluenceTier {
    /// 1 = the most influential quarter of people.
    pub rank: u8,
    pub label: String,
    /// Squads in this tier when the last candidate of the series (or window) began
    /// exploring, sorted.
    pub squads: Vec<String>,
    /// The tier's share of people, averaged over the candidates' reference sprints.
    pub people_share: f64,
    /// The tier's share of squads, averaged the same way.
    pub squad_share: f64,
    /// Candidates whose originator was in this tier.
    pub candidates: usize,
    pub candidate_share: f64,
    /// 95% Wilson interval of `candidate_share`.
    pub interval: [f64; 2],
    /// candidate_share / people_share; absent when either is 0.
    pub access_ratio: Option<f64>,
    /// Experiments begun in this tier, and how many became candidates.
    pub experiments: usize,
    pub survived: usize,
    /// Median sprints from first exploration to candidate.
    pub median_sprints_to_candidate: Option<f64>,
}

/// The influence figures over a window of consecutive sprints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    pub first: String,
    pub last: String,
    /// Candidates whose exploration began in the window.
    pub candidates: usize,
    /// The influence gap, absent without candidates.
    pub gap: Option<f64>,
    /// Its 95% bootstrap interval.
    pub interval: Option<[f64; 2]>,
    pub tiers: Vec<InfluenceTier>,
}

/// One sprint's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SprintRow {
    pub sprint: String,
    pub start: String,
    pub end: String,
    /// The snapshot as given on the command line.
    pub path: String,
    pub snapshot_sha256: String,
    pub pack_sha256: String,
    pub squads: usize,
    /// Variant keys with at least one exploration-pool run this sprint.
    pub variants_explored: usize,
    /// Variant keys the pack judged `candidate` for the first time in the series.
    pub new_candidates: usize,
    /// Variant keys that have been a candidate by this sprint and are not in this
    /// sprint's catalog: the promotion backlog.
    pub candidates_not_promoted: usize,
    /// Median of `sprints_to_candidate` over this sprint's new candidates; absent when none.
    pub median_sprints_to_candidate: Option<f64>,
    /// Variant keys in this sprint's catalog and in no earlier sprint's.
    pub entered_catalog: usize,
    /// Exploration-pool tokens by workflow family, tagged runs only.
    pub exploration_tokens_by_family: BTreeMap<String, u64>,
    /// Exploration-pool tokens of untagged runs (the band the family view cannot place).
    pub untagged_exploration_tokens: u64,
    pub health: Health,
}

/// The health decision's figures for one sprint, with the thresholds the pack checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    /// The health decision's outcome; absent when the pack decided nothing about `org`.
    pub outcome: Option<String>,
    pub gini: Option<Measure>,
    pub topup_concentration: Option<Measure>,
    pub untagged_share: Option<Measure>,
    /// Squads the health decision listed as missing a baseline (`missing_baseline`);
    /// absent when the pack gave no such value.
    pub squads_without_baseline: Option<Vec<String>>,
    /// Granted top-ups with no approver (null or blank): informal top-ups, from the snapshot.
    pub informal_topups: Vec<String>,
    /// `topups` decisions with outcome `violation` (informal or undocumented grants).
    pub topup_violations: usize,
}

/// A figure and, when the pack checked it, the check's threshold and result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub op: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<bool>,
}

/// A capacity quartile: its squads' share of capacity against their share of candidates
/// originated and of credits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quartile {
    /// 1 = the squads with the most capacity over the series.
    pub rank: u8,
    /// `top`, `upper-middle`, `lower-middle`, `bottom`.
    pub label: String,
    /// Its squads, sorted; empty when ties put every squad above it.
    pub squads: Vec<String>,
    /// Capacity (baseline + granted top-ups) summed over every sprint.
    pub capacity_tokens: u64,
    pub capacity_share: f64,
    /// Candidates whose credited origin is one of its squads.
    pub candidates: usize,
    pub candidate_share: f64,
    /// Tokens of `credit` and `co-credit` decisions to its squads, over every sprint.
    pub credit_tokens: u64,
    pub credit_share: f64,
    /// candidate_share / capacity_share; absent when either total is 0.
    pub access_ratio: Option<f64>,
    /// credit_share / capacity_share; absent when either total is 0.
    pub credit_ratio: Option<f64>,
    /// Median sprints to candidate of the candidates it originated.
    pub median_sprints_to_candidate: Option<f64>,
    /// How many of its squads originated a candidate.
    pub originating_squads: usize,
}
