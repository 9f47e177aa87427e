//! The trends report: what a series of sprints says about whether split budgets surface
//! promotable workflows or entrench the influential squads. Plain data, in sprint order,
//! that the text, JSON and HTML views render; every figure a verdict rests on is here
//! (typed in `figures`), and every sentence as a `Finding` the renderers word.
//!
//! Names are stable once published (the dashboard and `schemas/trends.schema.json` read
//! them): fields are added, never renamed.

use serde::Serialize;

use crate::limits::Limits;

use super::figures::{AnswerFigures, InfluenceMeasure, VerdictFigures};
use super::rows::{InfluenceTier, Quartile, SprintRow, Window};

/// Format version of the trends report (`bursar trends --format json`).
pub const REPORT_FORMAT: u32 = 2;

/// The whole output of `bursar trends`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The engine version that wrote it.
    pub engine: String,
    /// The report's format version.
    pub format: u32,
    /// The organisation, when the snapshots name one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// The limits each sprint was evaluated within.
    pub limits: Limits,
    /// The pack each sprint was evaluated with, and whether its digests moved.
    pub pack: PackHistory,
    /// One row per sprint, in sprint order (by start date, whatever the argument order).
    pub sprints: Vec<SprintRow>,
    /// (a) emergence: every variant key seen in runs or in a catalog, sorted by key.
    pub journeys: Vec<Journey>,
    /// How many explored variants reached each stage.
    pub funnel: Funnel,
    /// (b) equity: squads by capacity quartile, top first; always four entries.
    pub quartiles: Vec<Quartile>,
    /// Squads bursar credited as the origin of at least one candidate, sorted.
    pub originating_squads: Vec<String>,
    /// Squads listed in any sprint.
    pub squads: usize,
    /// (b) trust: catalog entries whose recorded origin is not the squad bursar credited.
    pub credit_mismatches: Vec<CreditMismatch>,
    /// One per condition, in the order of `Condition`.
    pub verdicts: Vec<Verdict>,
    /// The answer to the question, from who originates candidates against influence.
    pub answer: Answer,
    /// Variants whose first exploration run in the series was one squad's and whose
    /// credit went to another, by variant.
    pub credit_captures: Vec<CreditCapture>,
    /// Variant keys with a catalog entry that records no `origin_squad`, sorted.
    pub catalog_without_origin: Vec<String>,
    /// Squads in four tiers of influence (people ranked by their squad's capacity before
    /// each candidate's exploration began, credits left out), top first.
    pub influence_tiers: Vec<InfluenceTier>,
    /// The same figures over consecutive windows of sprints, in order.
    pub windows: Vec<Window>,
}

/// Whether the split budget surfaces workflows or entrenches squads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Surfacing,
    Entrenching,
    Inconclusive,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Surfacing => "surfacing",
            Self::Entrenching => "entrenching",
            Self::Inconclusive => "inconclusive",
        }
    }
}

/// The headline answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub verdict: Direction,
    /// The sprint from which the series took its present course, when it changed course.
    pub since: Option<String>,
    /// The answer in one sentence, then the sentences it rests on.
    pub findings: Vec<Finding>,
    /// The figures, for machines.
    pub figures: AnswerFigures,
}

/// A variant explored first by one squad and credited to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditCapture {
    pub variant: String,
    pub explored_by: String,
    pub explored_in: String,
    pub credited: String,
    pub credited_in: String,
}

/// One variant key's path through the series. Sprints are named by id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Journey {
    /// The variant key (`workflow/variant`).
    pub variant: String,
    /// Its workflow family.
    pub family: String,
    /// First sprint with an exploration-pool run of it.
    pub first_explored: Option<String>,
    /// Sprints with at least one run of it (any pool), in order.
    pub sprints_used: Vec<String>,
    /// First sprint the pack judged it `candidate`.
    pub first_candidate: Option<String>,
    /// Sprints from its start (first exploration, else first use) to its first
    /// candidacy: 0 when it was a candidate in the sprint it started.
    pub sprints_to_candidate: Option<u32>,
    /// The squad credited as its origin in its first candidate sprint.
    pub credited_origin: Option<String>,
    /// The capacity quartile of that squad (1 = top).
    pub origin_quartile: Option<u8>,
    /// First sprint whose catalog lists it.
    pub entered_catalog: Option<String>,
    /// `promoted_in` as the catalog last recorded it.
    pub promoted_in: Option<String>,
    /// `origin_squad` as the catalog last recorded it.
    pub catalog_origin: Option<String>,
    /// First sprint in which it is `deprecated` or gone from the catalog after being
    /// `standard` in an earlier sprint.
    pub sunset: Option<String>,
    /// First sprint the pack's `sunset` policy decided `sunset` about it.
    pub sunset_recommended: Option<String>,
    /// In the catalog as `standard` in the last sprint.
    pub kept: bool,
    /// Already in the first sprint's catalog: its emergence predates the series.
    pub catalogued_before: bool,
}

/// Variants explored in the series (not catalogued before it), and how many reached each
/// stage. Each stage counts the explored variants that meet it, independently of the others.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Funnel {
    pub explored: usize,
    pub used_in_two_sprints: usize,
    pub candidate: usize,
    pub in_catalog: usize,
    pub kept: usize,
}

/// A catalog entry whose recorded `origin_squad` is not the squad bursar credited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditMismatch {
    pub variant: String,
    /// The squad credited as origin in the variant's first candidate sprint.
    pub credited_origin: String,
    pub credited_in: String,
    /// The squad the catalog records as origin.
    pub recorded_origin: String,
    /// First sprint whose catalog records it so.
    pub recorded_in: String,
}

/// Which policies changed, and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackHistory {
    /// True when the pack digest differs between any two sprints.
    pub changed: bool,
    /// Distinct pack digests in the order they were first used.
    pub digests: Vec<String>,
    /// Each policy or module file whose digest differs from the sprint before.
    pub changes: Vec<PackChange>,
}

/// One file of the pack that changed between two consecutive sprints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackChange {
    /// The sprint that first used the new version.
    pub sprint: String,
    pub file: String,
    /// Absent when the file was added.
    pub from: Option<String>,
    /// Absent when the file was removed.
    pub to: Option<String>,
}

/// The conditions split budgets need to surface workflows rather than entrench squads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// Every squad has guaranteed, tagged exploration capacity.
    GuaranteedCapacity,
    /// Candidates come from every capacity quartile in proportion to capacity.
    PromotionAccess,
    /// The rules did not move within the series, and credit went where bursar gave it.
    PublicRules,
    /// Spend is visible by workflow, and top-ups do not gather in one squad.
    WorkflowsNotSquads,
}

impl Condition {
    pub const ALL: [Condition; 4] = [
        Self::GuaranteedCapacity,
        Self::PromotionAccess,
        Self::PublicRules,
        Self::WorkflowsNotSquads,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::GuaranteedCapacity => "guaranteed capacity",
            Self::PromotionAccess => "promotion access",
            Self::PublicRules => "public rules",
            Self::WorkflowsNotSquads => "workflows, not squads",
        }
    }
}

/// Whether a condition held over the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// It held.
    Met,
    /// It did not hold.
    NotMet,
    /// The series has too little to tell (no candidate, no figure from the pack).
    Unknown,
}

impl Status {
    /// The words the text report uses (`met`, `not met`, `unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::NotMet => "not met",
            Self::Unknown => "unknown",
        }
    }
}

/// A verdict on one condition, and the figures it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub condition: Condition,
    pub status: Status,
    /// Sentences for people, each with its figures in it.
    pub findings: Vec<Finding>,
    /// The same figures, for machines.
    pub figures: VerdictFigures,
}

/// One sentence of the answer or of a verdict, as data: the numbers, squads and sprints
/// it speaks of. The words are the render layer's (`render::trends::findings`), which
/// also writes each as a string in the JSON report.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// The answer `surfacing`, from `since` when the series changed course.
    Surfacing {
        since: Option<String>,
        candidates: usize,
    },
    /// The answer `entrenching`: candidates came mainly from the top by `measure`.
    Entrenching {
        since: Option<String>,
        candidates: usize,
        measure: InfluenceMeasure,
    },
    /// The answer `inconclusive`.
    Inconclusive { candidates: usize },
    /// The influence gap, its 95% interval and permutation p-value, against `margin`.
    InfluenceGap {
        gap: f64,
        interval: [f64; 2],
        margin: f64,
        p_value: f64,
    },
    /// What the less influential half of people originated against its numbers.
    LowerHalf {
        originated: usize,
        candidates: usize,
        share: f64,
        /// 95% Wilson interval of `share`.
        interval: [f64; 2],
        expected: f64,
        access: f64,
        p_value: f64,
    },
    /// How many squads originated a candidate, and the most prolific one's share.
    Originators {
        originating: usize,
        squads: usize,
        largest_share: f64,
    },
    /// No candidate's originator could be placed in the organisation.
    NoOriginator,
    /// Experiments followed at least `followed` sprints that became candidates, by half:
    /// (became candidates, followed).
    Survival {
        followed: usize,
        lower: (usize, usize),
        upper: (usize, usize),
        p_value: f64,
    },
    /// Candidacy depended on the squad, which withheld `surfacing`.
    SquadDependent { p_value: f64 },
    /// The candidates' standing alone (survival not concurring) fell short of the level
    /// `entrenching` then needs, which withheld it.
    StandingAlone { p_value: f64, needed: f64 },
    /// The explorations begun since `since` (the series' last third) came mainly from
    /// the most influential, which withheld `surfacing`.
    LatestExplorers {
        since: String,
        explorations: usize,
        gap: f64,
        p_value: f64,
    },
    /// The candidates since `since` (the part after the best split of the series, found
    /// by searching) leaned toward the most influential squads, which withheld
    /// `surfacing`.
    LaterPart {
        since: String,
        candidates: usize,
        gap: f64,
        p_value: f64,
    },
    /// Over the whole series the less influential half's experiments became candidates
    /// at `ratio` of the other half's rate, short of `entrenching`, which withheld
    /// `surfacing`.
    Fading { ratio: f64, p_value: f64 },
    /// Too few candidates with a known originator for an answer.
    TooFewCandidates { needed: usize, candidates: usize },
    /// Enough candidates for an answer but too few in the whole series to show fair
    /// access, which `surfacing` needs.
    TooFewForSurfacing { needed: usize, candidates: usize },
    /// About how many more candidates would settle an inconclusive answer.
    MoreCandidates { more: usize },
    /// The candidates stand where fair access would put them, and a sign held the answer
    /// back: more sprints would show whether it holds.
    SignToSettle,
    /// Too few experiments followed `sprints` sprints to tell whether the less
    /// influential half's faded, which `surfacing` needs.
    TooFewFollowed {
        followed: usize,
        needed: usize,
        sprints: usize,
    },
    /// Variants first explored by one squad and credited to another.
    CreditCaptured { captures: Vec<CreditCapture> },
    /// Catalog entries that record no origin squad, by variant key.
    NoOriginListed { variants: Vec<String> },
    /// Sprints where every squad had a baseline, of those with a health decision, of all.
    Baselines {
        covered: usize,
        with_health: usize,
        sprints: usize,
    },
    /// Sprints with the gini within its threshold, of those the pack checked it in.
    GiniWithin { within: usize, checked: usize },
    /// Squads credited as origin of a candidate.
    CreditedOrigins { originating: usize, squads: usize },
    /// The pack's digests stayed the same over the series.
    PackUnchanged { sprints: usize },
    /// The pack changed within the series: its distinct digests and the files that moved.
    PackChanged {
        digests: usize,
        changes: Vec<PackChange>,
    },
    /// Catalog entries recording an origin other than the squad bursar credited.
    CreditMismatches { entries: usize },
    /// Variants credited to another squad than the one that explored them first.
    CapturedCredit { variants: usize },
    /// Catalog entries that record no origin squad (at least one).
    NoOrigin { entries: usize },
    /// Granted top-ups without an approver, and top-up decisions that were violations.
    InformalTopups { informal: usize, violations: usize },
    /// The untagged share of exploration tokens over the series, and the sprints where
    /// it was within its threshold, of those the pack checked it in.
    Untagged {
        share: f64,
        within: usize,
        checked: usize,
    },
    /// Sprints where top-ups were not concentrated, of those the pack checked.
    TopupsSpread { spread: usize, checked: usize },
    /// Too few granted top-ups (fewer than `least`) to judge their concentration.
    TooFewTopups { grants: usize, least: usize },
    /// Granted top-ups over the series, and the largest squad's share of their tokens.
    TopupGrants {
        grants: usize,
        largest: Option<(f64, String)>,
    },
}
