//! Verdicts: for each condition split budgets need, whether the series met it, in
//! sentences that carry the figures they rest on.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::text::{count, percent};

use super::credit::MIN_TOPUP_GRANTS;
use super::model::{
    Answer, Condition, CreditCapture, CreditMismatch, Direction, PackHistory, Quartile, SprintRow,
    Status, Verdict,
};

/// An access ratio is near 1 when it lies within this factor of 1 either way
/// (from 1/1.5 ≈ 0.67 to 1.5): a quartile then originates about its share.
pub const NEAR_ONE_FACTOR: f64 = 1.5;

/// What the verdicts read, all already in the report.
pub struct Inputs<'a> {
    pub answer: &'a Answer,
    pub captures: &'a [CreditCapture],
    pub without_origin: &'a [String],
    /// Granted top-ups over the series, and the largest squad's share of their tokens.
    pub topups: (usize, Option<(f64, String)>),
    pub sprints: &'a [SprintRow],
    pub quartiles: &'a [Quartile],
    pub pack: &'a PackHistory,
    pub mismatches: &'a [CreditMismatch],
    pub originating_squads: usize,
    pub squads: usize,
}

pub fn verdicts(inputs: &Inputs<'_>) -> Vec<Verdict> {
    Condition::ALL
        .into_iter()
        .map(|condition| match condition {
            Condition::GuaranteedCapacity => guaranteed_capacity(inputs),
            Condition::PromotionAccess => promotion_access(inputs),
            Condition::PublicRules => public_rules(inputs),
            Condition::WorkflowsNotSquads => workflows_not_squads(inputs),
        })
        .collect()
}

/// Sprints where a check passed, and sprints where the pack made it at all.
fn passed(sprints: &[SprintRow], pick: impl Fn(&SprintRow) -> Option<bool>) -> (usize, usize) {
    let made: Vec<bool> = sprints.iter().filter_map(pick).collect();
    (made.iter().filter(|&&p| p).count(), made.len())
}

fn status(met: bool, known: bool) -> Status {
    match (known, met) {
        (false, _) => Status::Unknown,
        (true, true) => Status::Met,
        (true, false) => Status::NotMet,
    }
}

fn guaranteed_capacity(inputs: &Inputs<'_>) -> Verdict {
    let n = inputs.sprints.len();
    let (covered, known) = passed(inputs.sprints, |s| {
        s.health.squads_without_baseline.as_ref().map(Vec::is_empty)
    });
    let (even, gini_known) = passed(inputs.sprints, |s| {
        s.health.gini.as_ref().and_then(|m| m.pass)
    });
    let mut findings = vec![if known == n {
        format!("every squad had a baseline in {covered} of {n} sprints")
    } else {
        format!(
            "every squad had a baseline in {covered} of the {known} sprints (of {n}) with a health decision"
        )
    }];
    findings.push(format!(
        "capacity was spread evenly (gini within its threshold) in {even} of {gini_known} sprints"
    ));
    let figures = BTreeMap::from([
        ("sprints".to_owned(), json!(n)),
        ("sprints_every_squad_baseline".to_owned(), json!(covered)),
        ("sprints_with_health".to_owned(), json!(known)),
        ("sprints_gini_within".to_owned(), json!(even)),
        ("sprints_gini_checked".to_owned(), json!(gini_known)),
    ]);
    Verdict {
        condition: Condition::GuaranteedCapacity,
        status: status(covered == n && even == n, known == n && gini_known == n),
        findings,
        figures,
    }
}

fn promotion_access(inputs: &Inputs<'_>) -> Verdict {
    let candidates: usize = inputs.quartiles.iter().map(|q| q.candidates).sum();
    let mut findings = Vec::new();
    let mut figures = BTreeMap::from([
        ("candidates".to_owned(), json!(candidates)),
        (
            "originating_squads".to_owned(),
            json!(inputs.originating_squads),
        ),
        ("squads".to_owned(), json!(inputs.squads)),
    ]);
    // Capacity quartiles over the whole series are kept as figures; the status follows
    // the answer, which ranks influence before the outcome and weighs it against people.
    for q in inputs.quartiles {
        figures.insert(format!("access_ratio_{}", q.label), json!(q.access_ratio));
        figures.insert(format!("credit_ratio_{}", q.label), json!(q.credit_ratio));
    }
    findings.extend(inputs.answer.findings.iter().skip(1).take(3).cloned());
    findings.push(format!(
        "{} of {} squads were credited as origin of a candidate",
        inputs.originating_squads, inputs.squads
    ));
    for name in ["influence_gap", "influence_gap_interval", "p_value"] {
        if let Some(v) = inputs.answer.figures.get(name) {
            figures.insert(name.to_owned(), v.clone());
        }
    }
    let status = match inputs.answer.verdict {
        Direction::Surfacing => Status::Met,
        Direction::Entrenching => Status::NotMet,
        Direction::Inconclusive => Status::Unknown,
    };
    Verdict {
        condition: Condition::PromotionAccess,
        status,
        findings,
        figures,
    }
}

fn public_rules(inputs: &Inputs<'_>) -> Verdict {
    let n = inputs.sprints.len();
    let pack = inputs.pack;
    let mut findings = vec![if pack.changed {
        let files: Vec<String> = pack
            .changes
            .iter()
            .map(|c| {
                let how = match (&c.from, &c.to) {
                    (None, _) => "added",
                    (_, None) => "removed",
                    _ => "changed",
                };
                format!("{} {how} in {}", c.file, c.sprint)
            })
            .collect();
        format!(
            "the pack changed within the series ({} digests): {}",
            pack.digests.len(),
            files.join(", ")
        )
    } else {
        format!("the pack's policy digests did not change in {n} sprints")
    }];
    let mismatches = inputs.mismatches.len();
    findings.push(match mismatches {
        0 => "every catalog entry records as origin the squad bursar credited".to_owned(),
        1 => "1 catalog entry records an origin other than the squad bursar credited".to_owned(),
        _ => format!(
            "{mismatches} catalog entries record an origin other than the squad bursar credited"
        ),
    });
    let captures = inputs.captures.len();
    findings.push(match captures {
        0 => "every candidate was credited to the squad that explored it first".to_owned(),
        n => format!(
            "{n} {} credited to another squad than the one that explored it first",
            if n == 1 {
                "variant was"
            } else {
                "variants were"
            }
        ),
    });
    let bare = inputs.without_origin.len();
    if bare > 0 {
        findings.push(format!(
            "{bare} catalog {} no origin squad",
            if bare == 1 {
                "entry records"
            } else {
                "entries record"
            }
        ));
    }
    let informal: usize = inputs
        .sprints
        .iter()
        .map(|s| s.health.informal_topups.len())
        .sum();
    let violations: usize = inputs
        .sprints
        .iter()
        .map(|s| s.health.topup_violations)
        .sum();
    findings.push(format!(
        "{} without an approver; {} {}",
        count(informal, "granted top-up"),
        count(violations, "top-up decision"),
        if violations == 1 {
            "was a violation"
        } else {
            "were violations"
        }
    ));
    let figures = BTreeMap::from([
        ("pack_changed".to_owned(), Value::Bool(pack.changed)),
        ("pack_file_changes".to_owned(), json!(pack.changes.len())),
        ("credit_mismatches".to_owned(), json!(mismatches)),
        ("credit_captures".to_owned(), json!(captures)),
        ("catalog_without_origin".to_owned(), json!(bare)),
        ("informal_topups".to_owned(), json!(informal)),
        ("topup_violations".to_owned(), json!(violations)),
    ]);
    Verdict {
        condition: Condition::PublicRules,
        status: status(
            !pack.changed && mismatches == 0 && informal == 0 && captures == 0 && bare == 0,
            true,
        ),
        findings,
        figures,
    }
}

fn workflows_not_squads(inputs: &Inputs<'_>) -> Verdict {
    let (tagged, tagged_known) = passed(inputs.sprints, |s| {
        s.health.untagged_share.as_ref().and_then(|m| m.pass)
    });
    let (spread, spread_known) = passed(inputs.sprints, |s| {
        s.health.topup_concentration.as_ref().and_then(|m| m.pass)
    });
    // Judged over the series, and only over enough grants: one approved grant a sprint
    // is all of that sprint's top-ups, which is no concentration.
    let (grants, largest) = &inputs.topups;
    let judged = *grants >= MIN_TOPUP_GRANTS && inputs.squads >= 3;
    let concentrated = judged && largest.as_ref().is_some_and(|(share, _)| *share > 0.5);
    let untagged: u64 = inputs
        .sprints
        .iter()
        .map(|s| s.untagged_exploration_tokens)
        .sum();
    let tagged_tokens: u64 = inputs
        .sprints
        .iter()
        .flat_map(|s| s.exploration_tokens_by_family.values())
        .sum();
    let whole = untagged + tagged_tokens;
    let untagged_share = if whole == 0 {
        0.0
    } else {
        untagged as f64 / whole as f64
    };
    let findings = vec![
        format!(
            "{} of exploration tokens over the series were untagged; untagged share within its threshold in {tagged} of {tagged_known} sprints",
            percent(untagged_share)
        ),
        format!(
            "top-ups were not concentrated in one squad (within the threshold) in {spread} of {spread_known} sprints"
        ),
        match (judged, largest) {
            (false, _) => format!(
                "{} over the series: too few to judge their concentration (at least {MIN_TOPUP_GRANTS})",
                count(*grants, "granted top-up")
            ),
            (true, Some((share, squad))) => format!(
                "{} over the series; the largest share, {squad}'s, is {} of their tokens",
                count(*grants, "granted top-up"),
                percent(*share)
            ),
            (true, None) => format!("{} over the series", count(*grants, "granted top-up")),
        },
    ];
    let figures = BTreeMap::from([
        ("untagged_share".to_owned(), json!(untagged_share)),
        ("sprints_untagged_within".to_owned(), json!(tagged)),
        ("sprints_untagged_checked".to_owned(), json!(tagged_known)),
        ("sprints_topups_spread".to_owned(), json!(spread)),
        ("sprints_topups_checked".to_owned(), json!(spread_known)),
        ("topup_grants".to_owned(), json!(grants)),
        (
            "topup_largest_share".to_owned(),
            json!(largest.as_ref().map(|(s, _)| *s)),
        ),
    ]);
    Verdict {
        condition: Condition::WorkflowsNotSquads,
        status: status(tagged == tagged_known && !concentrated, tagged_known > 0),
        findings,
        figures,
    }
}
