//! Verdicts: for each condition split budgets need, whether the series met it, with the
//! findings (sentences as data, worded by the renderers) and the figures it rests on.

use super::credit::MIN_TOPUP_GRANTS;
use super::figures::{
    AccessFigures, CapacityFigures, RulesFigures, VerdictFigures, WorkflowFigures,
};
use super::model::{
    Answer, Condition, CreditCapture, CreditMismatch, Direction, Finding, PackHistory, Status,
    Verdict,
};
use super::rows::{Quartile, SprintRow};

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
    let findings = vec![
        Finding::Baselines {
            covered,
            with_health: known,
            sprints: n,
        },
        Finding::GiniWithin {
            within: even,
            checked: gini_known,
        },
    ];
    let figures = CapacityFigures {
        sprints: n,
        sprints_every_squad_baseline: covered,
        sprints_gini_checked: gini_known,
        sprints_gini_within: even,
        sprints_with_health: known,
    };
    Verdict {
        condition: Condition::GuaranteedCapacity,
        status: status(covered == n && even == n, known == n && gini_known == n),
        findings,
        figures: VerdictFigures::GuaranteedCapacity(figures),
    }
}

fn promotion_access(inputs: &Inputs<'_>) -> Verdict {
    // Capacity quartiles over the whole series are kept as figures; the status follows
    // the answer, which ranks influence before the outcome and weighs it against people.
    let quartile = |rank: u8, ratio: fn(&Quartile) -> Option<f64>| {
        inputs
            .quartiles
            .iter()
            .find(|q| q.rank == rank)
            .and_then(ratio)
    };
    let access = |rank| quartile(rank, |q| q.access_ratio);
    let credit = |rank| quartile(rank, |q| q.credit_ratio);
    let gap = inputs.answer.figures.gap.as_ref();
    let figures = AccessFigures {
        access_ratio_bottom: access(4),
        access_ratio_lower_middle: access(3),
        access_ratio_top: access(1),
        access_ratio_upper_middle: access(2),
        candidates: inputs.quartiles.iter().map(|q| q.candidates).sum(),
        credit_ratio_bottom: credit(4),
        credit_ratio_lower_middle: credit(3),
        credit_ratio_top: credit(1),
        credit_ratio_upper_middle: credit(2),
        influence_gap: gap.map(|g| g.influence_gap),
        influence_gap_interval: gap.map(|g| g.influence_gap_interval),
        originating_squads: inputs.originating_squads,
        p_value: gap.map(|g| g.p_value),
        squads: inputs.squads,
    };
    let mut findings: Vec<Finding> = inputs
        .answer
        .findings
        .iter()
        .skip(1)
        .take(3)
        .cloned()
        .collect();
    findings.push(Finding::CreditedOrigins {
        originating: inputs.originating_squads,
        squads: inputs.squads,
    });
    let status = match inputs.answer.verdict {
        Direction::Surfacing => Status::Met,
        Direction::Entrenching => Status::NotMet,
        Direction::Inconclusive => Status::Unknown,
    };
    Verdict {
        condition: Condition::PromotionAccess,
        status,
        findings,
        figures: VerdictFigures::PromotionAccess(figures),
    }
}

fn public_rules(inputs: &Inputs<'_>) -> Verdict {
    let pack = inputs.pack;
    let figures = RulesFigures {
        catalog_without_origin: inputs.without_origin.len(),
        credit_captures: inputs.captures.len(),
        credit_mismatches: inputs.mismatches.len(),
        informal_topups: inputs
            .sprints
            .iter()
            .map(|s| s.health.informal_topups.len())
            .sum(),
        pack_changed: pack.changed,
        pack_file_changes: pack.changes.len(),
        topup_violations: inputs
            .sprints
            .iter()
            .map(|s| s.health.topup_violations)
            .sum(),
    };
    let mut findings = vec![
        if pack.changed {
            Finding::PackChanged {
                digests: pack.digests.len(),
                changes: pack.changes.clone(),
            }
        } else {
            Finding::PackUnchanged {
                sprints: inputs.sprints.len(),
            }
        },
        Finding::CreditMismatches {
            entries: figures.credit_mismatches,
        },
        Finding::CapturedCredit {
            variants: figures.credit_captures,
        },
    ];
    if figures.catalog_without_origin > 0 {
        findings.push(Finding::NoOrigin {
            entries: figures.catalog_without_origin,
        });
    }
    findings.push(Finding::InformalTopups {
        informal: figures.informal_topups,
        violations: figures.topup_violations,
    });
    let met = !pack.changed
        && figures.credit_mismatches == 0
        && figures.informal_topups == 0
        && figures.credit_captures == 0
        && figures.catalog_without_origin == 0;
    Verdict {
        condition: Condition::PublicRules,
        status: status(met, true),
        findings,
        figures: VerdictFigures::PublicRules(figures),
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
    let untagged_share = untagged_share(inputs.sprints);
    let findings = vec![
        Finding::Untagged {
            share: untagged_share,
            within: tagged,
            checked: tagged_known,
        },
        Finding::TopupsSpread {
            spread,
            checked: spread_known,
        },
        if judged {
            Finding::TopupGrants {
                grants: *grants,
                largest: largest.clone(),
            }
        } else {
            Finding::TooFewTopups {
                grants: *grants,
                least: MIN_TOPUP_GRANTS,
            }
        },
    ];
    let figures = WorkflowFigures {
        sprints_topups_checked: spread_known,
        sprints_topups_spread: spread,
        sprints_untagged_checked: tagged_known,
        sprints_untagged_within: tagged,
        topup_grants: *grants,
        topup_largest_share: largest.as_ref().map(|(s, _)| *s),
        untagged_share,
    };
    Verdict {
        condition: Condition::WorkflowsNotSquads,
        status: status(tagged == tagged_known && !concentrated, tagged_known > 0),
        findings,
        figures: VerdictFigures::WorkflowsNotSquads(figures),
    }
}

/// Untagged exploration tokens over all exploration tokens of the series (0 without any).
fn untagged_share(sprints: &[SprintRow]) -> f64 {
    let untagged: u64 = sprints.iter().map(|s| s.untagged_exploration_tokens).sum();
    let tagged: u64 = sprints
        .iter()
        .flat_map(|s| s.exploration_tokens_by_family.values())
        .sum();
    let whole = untagged + tagged;
    if whole == 0 {
        0.0
    } else {
        untagged as f64 / whole as f64
    }
}
