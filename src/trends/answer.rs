//! The answer: does the split budget surface workflows, or entrench the squads that were
//! already influential? Decided from the influence gap of the candidates (`access`), over
//! the whole series or, when the series changed course, over the part since the change.

use std::collections::{BTreeMap, BTreeSet};

use super::access::{Event, Gap, Survival};
use super::assess::{Assessment, Context, assess};
use super::figures::{AnswerFigures, GapFigures, InfluenceMeasure, SurvivalFigures};
use super::influence::Measure;
use super::model::{Answer, Direction, Finding};
use super::stats::{Draws, normal_quantile, round4, wilson};
use super::thresholds::{
    ACCESS_ENTRENCHED, ACCESS_FAIR, ALONE_ALPHA, FEW_CANDIDATES, MARGIN, MIN_CANDIDATES,
    MIN_FOLLOWED, decide, enough_for_surfacing, followed_enough,
};

/// The salt of the draws the size measure is assessed with.
const SIZE_STREAM: u64 = 0x5153;

/// The answer from the assessments under each measure of influence (capacity, then
/// privilege, then size): `entrenching` when any finds it (each test at [`ALPHA`]),
/// `surfacing` only when all do; the index of the measure it rests on.
pub fn answer(contexts: &[Context<'_>], draws: &mut Draws) -> (Answer, usize) {
    let assessed: Vec<Assessment> = contexts
        .iter()
        .map(|cx| match cx.measure {
            // Its own stream of draws, so the measure added last leaves the others'
            // figures (and the windows' after them) as they were.
            Measure::Size => assess(cx, &mut draws.fork(SIZE_STREAM)),
            _ => assess(cx, draws),
        })
        .collect();
    let pick = |v: Direction| assessed.iter().position(|a| a.verdict == v);
    // A ranking that located where the series turned says more than one that saw only
    // the whole: influence given by top-ups shows its turn under privilege while the
    // whole series' capacity already looks entrenched.
    let turned = assessed
        .iter()
        .position(|a| a.verdict == Direction::Entrenching && a.since.is_some());
    let chosen = turned
        .or_else(|| pick(Direction::Entrenching))
        .or_else(|| pick(Direction::Inconclusive))
        .unwrap_or(0);
    let cx = &contexts[chosen];
    let Assessment {
        verdict,
        since,
        basis,
        decided,
        survived,
        turn,
        alone,
        ..
    } = &assessed[chosen];
    let (verdict, basis) = (*verdict, basis.as_slice());
    let measure = measure_of(cx.measure);
    let mut findings = vec![headline(verdict, since.clone(), decided.as_ref(), measure)];
    let mut figures = AnswerFigures {
        candidates: basis.len(),
        catalog_without_origin: cx.without_origin.len(),
        change_p_value: turn.map(|(_, p)| round4(p)),
        credit_captures: cx.captures.len(),
        margin: MARGIN,
        measure,
        gap: None,
        survival: None,
    };
    if let Some(g) = decided {
        figures.gap = Some(rests_on(g, basis, cx, &mut findings));
        figures.survival = Some(fared(survived, &mut findings));
    } else {
        findings.push(Finding::NoOriginator);
    }
    withholding(&assessed[chosen], &mut findings);
    if verdict == Direction::Inconclusive {
        let whole = cx.events.iter().filter(|e| e.candidate()).count();
        findings.push(settle(decided.as_ref(), survived, whole, *alone));
    }
    credit_findings(cx, &mut findings);
    let answer = Answer {
        verdict,
        since: since.clone(),
        findings,
        figures,
    };
    (answer, chosen)
}

/// What kept the assessment from `surfacing` or `entrenching` beyond its figures.
fn withholding(a: &Assessment<'_>, findings: &mut Vec<Finding>) {
    if let Some((since, g)) = &a.later {
        findings.push(Finding::LaterPart {
            since: since.clone(),
            candidates: g.candidates,
            gap: g.gap,
            p_value: g.p_value,
        });
    }
    if let Some((ratio, p_value)) = a.fading {
        findings.push(Finding::Fading { ratio, p_value });
    }
    if let Some(p) = a.withheld {
        findings.push(Finding::SquadDependent { p_value: p });
    }
    if let Some(p) = a.alone {
        findings.push(Finding::StandingAlone {
            p_value: p,
            needed: ALONE_ALPHA,
        });
    }
    if let Some((since, g)) = &a.explorers {
        findings.push(Finding::LatestExplorers {
            since: since.clone(),
            explorations: g.candidates,
            gap: g.gap,
            p_value: g.p_value,
        });
    }
}

fn measure_of(m: Measure) -> InfluenceMeasure {
    match m {
        Measure::Capacity => InfluenceMeasure::Capacity,
        Measure::Privilege => InfluenceMeasure::Privilege,
        Measure::Size => InfluenceMeasure::Size,
    }
}

fn headline(
    verdict: Direction,
    since: Option<String>,
    g: Option<&Gap>,
    measure: InfluenceMeasure,
) -> Finding {
    let candidates = g.map_or(0, |g| g.candidates);
    match verdict {
        Direction::Surfacing => Finding::Surfacing { since, candidates },
        Direction::Entrenching => Finding::Entrenching {
            since,
            candidates,
            measure,
        },
        Direction::Inconclusive => Finding::Inconclusive { candidates },
    }
}

/// The three findings the answer rests on, and their figures.
fn rests_on(
    g: &Gap,
    basis: &[&Event],
    cx: &Context<'_>,
    findings: &mut Vec<Finding>,
) -> GapFigures {
    findings.push(Finding::InfluenceGap {
        gap: g.gap,
        interval: g.interval,
        margin: MARGIN,
        p_value: g.p_value,
    });
    let lower = (g.lower_half * g.candidates as f64).round() as usize;
    let li = wilson(lower, g.candidates);
    findings.push(Finding::LowerHalf {
        originated: lower,
        candidates: g.candidates,
        share: g.lower_half,
        interval: li,
        expected: g.lower_half_expected,
        access: g.lower_access().unwrap_or(1.0),
        p_value: g.lower_half_p,
    });
    let mut by_squad: BTreeMap<&str, usize> = BTreeMap::new();
    for e in basis {
        *by_squad.entry(e.squad.as_str()).or_default() += 1;
    }
    let squads: BTreeSet<&String> = cx.samples.iter().flat_map(|s| s.headcount.keys()).collect();
    let largest = by_squad.values().copied().max().unwrap_or(0);
    let largest_share = largest as f64 / g.candidates as f64;
    findings.push(Finding::Originators {
        originating: by_squad.len(),
        squads: squads.len(),
        largest_share,
    });
    GapFigures {
        influence_gap: round4(g.gap),
        influence_gap_interval: [round4(g.interval[0]), round4(g.interval[1])],
        p_value: round4(g.p_value),
        lower_half_share: round4(g.lower_half),
        lower_half_interval: [round4(li[0]), round4(li[1])],
        lower_half_expected: round4(g.lower_half_expected),
        lower_half_access: g.lower_access().map(round4),
        lower_half_p_value: round4(g.lower_half_p),
        originating_squads: by_squad.len(),
        squads: squads.len(),
        largest_squad_share: round4(largest_share),
    }
}

/// How the halves' experiments fared, as a finding and as figures.
fn fared(s: &Survival, findings: &mut Vec<Finding>) -> SurvivalFigures {
    findings.push(Finding::Survival {
        followed: super::access::FOLLOWED,
        lower: s.lower,
        upper: s.upper,
        p_value: s.p_value,
    });
    SurvivalFigures {
        survival_lower: [s.lower.0, s.lower.1],
        survival_upper: [s.upper.0, s.upper.1],
        survival_ratio: s.ratio().map(round4),
        survival_p_value: round4(s.p_value),
    }
}

/// What more data would settle an inconclusive answer: experiments followed long enough
/// and enough candidates in the whole series (`whole`) to show fair access; where
/// standing alone fell short of its level (at p-value `alone`), enough candidates that
/// standing as it does now would reach it; else enough that the lower half's access,
/// were it what it is now, would fall clearly on one side; where the figures alone say
/// `surfacing` and a sign held the answer back, more sprints to see whether it holds.
fn settle(g: Option<&Gap>, s: &Survival, whole: usize, alone: Option<f64>) -> Finding {
    let Some(g) = g.filter(|g| g.candidates >= MIN_CANDIDATES) else {
        return Finding::TooFewCandidates {
            needed: MIN_CANDIDATES,
            candidates: g.map_or(0, |g| g.candidates),
        };
    };
    if !followed_enough(s) {
        return Finding::TooFewFollowed {
            followed: s.followed(),
            needed: MIN_FOLLOWED,
            sprints: super::access::FOLLOWED,
        };
    }
    if !enough_for_surfacing(whole) {
        return Finding::TooFewForSurfacing {
            needed: FEW_CANDIDATES,
            candidates: whole,
        };
    }
    if let Some(p) = alone {
        // Standing as it does, its z-score grows as sqrt(n): scale n until it reaches the
        // level's.
        let z = normal_quantile(1.0 - p).max(0.1);
        let level = normal_quantile(1.0 - ALONE_ALPHA);
        let needed = (g.candidates as f64 * (level / z).powi(2)).ceil() as usize;
        let more = needed.saturating_sub(g.candidates).clamp(1, 100_000);
        return Finding::MoreCandidates { more };
    }
    // Figures that alone say `surfacing` were held back by a sign named above: more
    // candidates would not move the access, only more sprints show whether the sign holds.
    if decide(Some(g), Some(s)) == Direction::Surfacing {
        return Finding::SignToSettle;
    }
    // The share's standard error shrinks as 1/sqrt(n): scale n until two standard errors
    // fit between the present access and the nearer threshold.
    let p = g.lower_half_expected.clamp(0.05, 0.95);
    let access = g.lower_access().unwrap_or(1.0);
    let distance = ((access - ACCESS_FAIR)
        .abs()
        .min((access - ACCESS_ENTRENCHED).abs())
        * p)
        .max(0.02);
    let needed = (4.0 * p * (1.0 - p) / (distance * distance)).ceil() as usize;
    let more = needed.saturating_sub(g.candidates).clamp(1, 100_000);
    Finding::MoreCandidates { more }
}

fn credit_findings(cx: &Context<'_>, findings: &mut Vec<Finding>) {
    if !cx.captures.is_empty() {
        findings.push(Finding::CreditCaptured {
            captures: cx.captures.to_vec(),
        });
    }
    if !cx.without_origin.is_empty() {
        findings.push(Finding::NoOriginListed {
            variants: cx.without_origin.to_vec(),
        });
    }
}
