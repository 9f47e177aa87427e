//! The figures the answer and each verdict rest on, typed, for machines: a field per
//! figure, serialized under the names (in the alphabetical order) the report has always
//! used, rounded as they were (`stats::round4` where the analysis rounds). The sentences
//! that carry them for people are `model::Finding`.

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Which ranking of squads by influence an answer rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InfluenceMeasure {
    /// Capacity before the experiment began.
    Capacity,
    /// Capacity beyond the allocation rule.
    Privilege,
    /// Headcount.
    Size,
}

/// The answer's figures. The figures of the gap and of survival are there only when a
/// candidate's originator could be placed (`gap`, `survival`).
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerFigures {
    /// Candidates the answer rests on.
    pub candidates: usize,
    /// Catalog entries that record no origin squad.
    pub catalog_without_origin: usize,
    /// The p-value of the change of course found, absent when none was tested.
    pub change_p_value: Option<f64>,
    /// Variants credited to another squad than the one that explored them first.
    pub credit_captures: usize,
    /// The influence gap from which candidates are called entrenched.
    pub margin: f64,
    pub measure: InfluenceMeasure,
    pub gap: Option<GapFigures>,
    pub survival: Option<SurvivalFigures>,
}

/// Who originated the candidates the answer rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct GapFigures {
    pub influence_gap: f64,
    pub influence_gap_interval: [f64; 2],
    pub p_value: f64,
    pub lower_half_share: f64,
    pub lower_half_interval: [f64; 2],
    pub lower_half_expected: f64,
    /// Absent when the lower half's expected share is 0.
    pub lower_half_access: Option<f64>,
    pub lower_half_p_value: f64,
    pub originating_squads: usize,
    pub squads: usize,
    pub largest_squad_share: f64,
}

/// How the two halves' experiments fared: became candidates, of those followed.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalFigures {
    pub survival_lower: [usize; 2],
    pub survival_upper: [usize; 2],
    pub survival_ratio: Option<f64>,
    pub survival_p_value: f64,
}

impl Serialize for AnswerFigures {
    // By hand: the gap's and survival's figures sit among the others in alphabetical
    // order, as the report has always written them.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("AnswerFigures", 21)?;
        let (g, v) = (self.gap.as_ref(), self.survival.as_ref());
        s.serialize_field("candidates", &self.candidates)?;
        s.serialize_field("catalog_without_origin", &self.catalog_without_origin)?;
        s.serialize_field("change_p_value", &self.change_p_value)?;
        s.serialize_field("credit_captures", &self.credit_captures)?;
        if let Some(g) = g {
            s.serialize_field("influence_gap", &g.influence_gap)?;
            s.serialize_field("influence_gap_interval", &g.influence_gap_interval)?;
            s.serialize_field("largest_squad_share", &g.largest_squad_share)?;
            s.serialize_field("lower_half_access", &g.lower_half_access)?;
            s.serialize_field("lower_half_expected", &g.lower_half_expected)?;
            s.serialize_field("lower_half_interval", &g.lower_half_interval)?;
            s.serialize_field("lower_half_p_value", &g.lower_half_p_value)?;
            s.serialize_field("lower_half_share", &g.lower_half_share)?;
        }
        s.serialize_field("margin", &self.margin)?;
        s.serialize_field("measure", &self.measure)?;
        if let Some(g) = g {
            s.serialize_field("originating_squads", &g.originating_squads)?;
            s.serialize_field("p_value", &g.p_value)?;
            s.serialize_field("squads", &g.squads)?;
        }
        if let Some(v) = v {
            s.serialize_field("survival_lower", &v.survival_lower)?;
            s.serialize_field("survival_p_value", &v.survival_p_value)?;
            s.serialize_field("survival_ratio", &v.survival_ratio)?;
            s.serialize_field("survival_upper", &v.survival_upper)?;
        }
        s.end()
    }
}

/// One condition's figures, serialized as the condition's own object.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum VerdictFigures {
    GuaranteedCapacity(CapacityFigures),
    PromotionAccess(AccessFigures),
    PublicRules(RulesFigures),
    WorkflowsNotSquads(WorkflowFigures),
}

/// Guaranteed capacity: sprints where every squad had a baseline and capacity was even.
/// Fields in alphabetical order, the order of their names in the report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CapacityFigures {
    pub sprints: usize,
    pub sprints_every_squad_baseline: usize,
    pub sprints_gini_checked: usize,
    pub sprints_gini_within: usize,
    pub sprints_with_health: usize,
}

/// Promotion access: each capacity quartile's access and credit ratios (absent when
/// either total is 0), and the answer's gap when it has one. Fields in alphabetical order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AccessFigures {
    pub access_ratio_bottom: Option<f64>,
    #[serde(rename = "access_ratio_lower-middle")]
    pub access_ratio_lower_middle: Option<f64>,
    pub access_ratio_top: Option<f64>,
    #[serde(rename = "access_ratio_upper-middle")]
    pub access_ratio_upper_middle: Option<f64>,
    pub candidates: usize,
    pub credit_ratio_bottom: Option<f64>,
    #[serde(rename = "credit_ratio_lower-middle")]
    pub credit_ratio_lower_middle: Option<f64>,
    pub credit_ratio_top: Option<f64>,
    #[serde(rename = "credit_ratio_upper-middle")]
    pub credit_ratio_upper_middle: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub influence_gap: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub influence_gap_interval: Option<[f64; 2]>,
    pub originating_squads: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value: Option<f64>,
    pub squads: usize,
}

/// Public rules: pack changes, credit that went elsewhere, informal top-ups. Fields in
/// alphabetical order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RulesFigures {
    pub catalog_without_origin: usize,
    pub credit_captures: usize,
    pub credit_mismatches: usize,
    pub informal_topups: usize,
    pub pack_changed: bool,
    pub pack_file_changes: usize,
    pub topup_violations: usize,
}

/// Workflows, not squads: untagged spend and how top-ups gathered. Fields in alphabetical
/// order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WorkflowFigures {
    pub sprints_topups_checked: usize,
    pub sprints_topups_spread: usize,
    pub sprints_untagged_checked: usize,
    pub sprints_untagged_within: usize,
    pub topup_grants: usize,
    /// The largest squad's share of granted top-up tokens, absent without grants.
    pub topup_largest_share: Option<f64>,
    pub untagged_share: f64,
}
