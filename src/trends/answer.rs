//! The answer: does the split budget surface workflows, or entrench the squads that were
//! already influential? Decided from the influence gap of the candidates (`access`), over
//! the whole series or, when the series changed course, over the part since the change.

use std::collections::{BTreeMap, BTreeSet};

use super::access::{Event, Gap, Survival, change, gap, squad_fade, survival};
use super::figures::{AnswerFigures, GapFigures, InfluenceMeasure, SurvivalFigures};
use super::influence::{Measure, Ranking};
use super::model::{Answer, CreditCapture, Direction, Finding};
use super::sample::Sample;
use super::scan::late_entrenching;
use super::stats::{Draws, round4, wilson};

/// The influence gap from which candidates are called entrenched (with significance):
/// the mean originator stands 0.15 of the organisation above the middle (0.65 against
/// 0.5). Below it, and the less influential half's access at least [`ACCESS_FAIR`],
/// the answer is `surfacing`.
pub const MARGIN: f64 = 0.3;
/// The less influential half's access (its share of candidates over its share of
/// people) at or below which, with significance, candidates are called entrenched.
pub const ACCESS_ENTRENCHED: f64 = 0.5;
/// The access at or above which (and a gap below [`MARGIN`]) they are called surfacing.
pub const ACCESS_FAIR: f64 = 0.6;
/// The lower half's survival rate over the upper half's at or below which (with
/// significance) experiments are called entrenched: they fade before candidacy.
pub const SURVIVAL_ENTRENCHED: f64 = 0.5;
/// Fewest candidates for any answer but `inconclusive`.
pub const MIN_CANDIDATES: usize = 10;
/// Significance of each permutation test that calls candidates entrenched: three tests
/// under two measures of influence, about 1% together on a fair series.
pub const ALPHA: f64 = 0.005;
/// Significance of a change of course, and the fewest candidates on either side of it.
pub const CHANGE_ALPHA: f64 = 0.05;
pub const MIN_PART: usize = 6;
/// Significance at which the part after the best split of the candidates (a change of
/// course or not), standing above random people, withholds `surfacing` from the whole
/// even below [`MARGIN`]. The part is picked by searching, so this fires on some fair
/// series too; it is what kept two `turning` series with a faint turn (the part after it
/// at p = 0.008, the whole looking fair) from being called `surfacing`.
pub const GATHERS_ALPHA: f64 = 0.01;
/// Significance at which the less influential half's experiments surviving at half the
/// other half's rate or worse ([`SURVIVAL_ENTRENCHED`]) withholds `surfacing`.
pub const FADING_ALPHA: f64 = 0.05;
/// Significance of the search-corrected test ([`late_entrenching`]: standing and survival
/// of some latest part, together) that a located turn to `entrenching` also needs. Each
/// sign tested alone needed 0.001 (a fair series built by another hand reached 0.002 on
/// one of them); tested as one statistic, the lowest p-value over 240 fair series of six
/// families (two measures each) was 0.0076, while turns that each sign alone missed
/// stood at 0.0014 to 0.0034.
pub const SCAN_ALPHA: f64 = 0.005;
/// Significance at which survival differing by squad ([`squad_fade`]) withholds
/// `surfacing`: a gap near 0 on capacity that cannot tell the squads apart (budgets kept
/// even by the rule) is no positive evidence of fair access when only some squads'
/// experiments reach the threshold.
pub const SQUAD_ALPHA: f64 = 0.01;

/// The verdict one gap supports. `entrenching` rejects "every person equally likely" at
/// [`ALPHA`], which an exact permutation test may do on few candidates; `surfacing`
/// accepts it, which needs [`MIN_CANDIDATES`].
pub fn decide(g: Option<&Gap>, s: Option<&Survival>) -> Direction {
    let alpha = ALPHA;
    // Experiments of the less influential half fading before candidacy, with significance.
    let faded =
        s.is_some_and(|s| s.p_value < ALPHA && s.ratio().is_some_and(|r| r <= SURVIVAL_ENTRENCHED));
    let Some(g) = g else {
        return if faded {
            Direction::Entrenching
        } else {
            Direction::Inconclusive
        };
    };
    let access = g.lower_access().unwrap_or(1.0);
    let enough = g.candidates >= MIN_PART;
    let shut_out = enough && access <= ACCESS_ENTRENCHED && g.lower_half_p < alpha;
    let gathered = enough && g.gap >= MARGIN && g.p_value < alpha;
    if shut_out || gathered || faded {
        Direction::Entrenching
    } else if g.candidates >= MIN_CANDIDATES && access >= ACCESS_FAIR && g.gap < MARGIN {
        Direction::Surfacing
    } else {
        Direction::Inconclusive
    }
}

/// What the answer reads beyond the events.
pub struct Context<'a> {
    pub measure: Measure,
    pub samples: &'a [Sample],
    pub rankings: &'a [Ranking],
    pub events: &'a [Event],
    pub captures: &'a [CreditCapture],
    pub without_origin: &'a [String],
}

/// One measure's assessment of the series.
struct Assessment<'a> {
    verdict: Direction,
    since: Option<String>,
    basis: Vec<&'a Event>,
    decided: Option<Gap>,
    survived: Survival,
    turn: Option<(usize, f64)>,
    /// [`squad_fade`]'s p-value when it withheld `surfacing`.
    withheld: Option<f64>,
}

fn assess<'a>(cx: &Context<'a>, draws: &mut Draws) -> Assessment<'a> {
    let candidates: Vec<&Event> = cx.events.iter().filter(|e| e.candidate()).collect();
    let whole = gap(&candidates, cx.rankings, draws);
    let n = cx.samples.len();
    let fared = survival(cx.events, n, draws);
    let mut verdict = decide(whole.as_ref(), Some(&fared));
    let mut survived = fared.clone();
    let mut since = None;
    let mut basis: Vec<&Event> = candidates.clone();
    let mut decided = whole.clone();
    let turn = change(&candidates, MIN_PART, draws);
    // Experiments of the less influential half that stopped reaching the threshold in
    // some latest part, search-corrected: the earliest sign of a turn to entrenching.
    let scan = late_entrenching(cx.events, cx.rankings, n, MIN_PART, draws);
    if let Some((split, p)) = turn {
        // One split tested, the best; its p-value counts the search over splits.
        let (before, after): (Vec<&Event>, Vec<&Event>) =
            candidates.iter().partition(|e| e.sprint < split);
        let g_before = gap(&before, cx.rankings, draws);
        let g_after = gap(&after, cx.rankings, draws);
        let (early, late): (Vec<Event>, Vec<Event>) =
            cx.events.iter().cloned().partition(|e| e.sprint < split);
        let s_before = survival(&early, n, draws);
        let s_after = survival(&late, n, draws);
        let v_before = decide(g_before.as_ref(), Some(&s_before));
        let v_after = decide(g_after.as_ref(), Some(&s_after));
        // A later part that entrenches, or gathers at the top after a change of course,
        // forbids calling the whole series surfacing.
        let later_gathers = v_after == Direction::Entrenching
            || g_after.as_ref().is_some_and(|g| {
                g.p_value < GATHERS_ALPHA || (p < CHANGE_ALPHA && g.gap >= MARGIN)
            });
        if verdict == Direction::Surfacing && later_gathers {
            verdict = Direction::Inconclusive;
        }
        // A part found by searching for a change stands out partly because it was
        // picked: turning to `entrenching` also needs the search-corrected test that
        // some latest part stands above random people.
        let backed = v_after != Direction::Entrenching || scan.p_value < SCAN_ALPHA;
        if p < CHANGE_ALPHA && v_after != v_before && v_after != Direction::Inconclusive && backed {
            verdict = v_after;
            since = Some(cx.samples[split].sprint.id.clone());
            basis = after;
            decided = g_after;
            survived = s_after;
        }
    }
    if since.is_none() {
        if let Some(from) = scan.from {
            if let Some(turned) = faded_turn(cx, &candidates, from, scan.p_value, draws) {
                (verdict, since, basis, decided, survived) = turned;
            }
        }
    }
    if verdict == Direction::Surfacing && doubted(scan.p_value, &fared) {
        verdict = Direction::Inconclusive;
    }
    let withheld = squad_withholds(verdict, cx.events, n, draws);
    if withheld.is_some() {
        verdict = Direction::Inconclusive;
    }
    Assessment {
        verdict,
        since,
        basis,
        decided,
        survived,
        turn,
        withheld,
    }
}

/// Whether signs short of `entrenching` withhold a `surfacing` verdict from the whole
/// series: some latest part entrenching by the search-corrected [`late_entrenching`]
/// (its p-value `scan`), or the less influential half's experiments fading at half the
/// other's rate or worse, beyond chance if not beyond doubt (no evidence of fair access).
/// (Two single-sign scans at 0.02, standing and survival apart, withheld `surfacing`
/// from fair series and, once a later part standing above random people withheld it
/// too, caught no series planted `entrenching` that the rest let through: removed.)
fn doubted(scan: f64, fared: &Survival) -> bool {
    scan < SCAN_ALPHA
        || (fared.p_value < FADING_ALPHA && fared.ratio().is_some_and(|r| r <= SURVIVAL_ENTRENCHED))
}

/// [`squad_fade`]'s p-value when it withholds a `surfacing` verdict, else `None` (and
/// no draws taken, so other verdicts' figures stay as they were).
fn squad_withholds(
    verdict: Direction,
    events: &[Event],
    n: usize,
    draws: &mut Draws,
) -> Option<f64> {
    if verdict != Direction::Surfacing {
        return None;
    }
    let p = squad_fade(events, n, draws);
    (p < SQUAD_ALPHA).then_some(p)
}

/// A located turn: the verdict, `since`, and the candidates, gap and survival it rests on.
type Turned<'a> = (
    Direction,
    Option<String>,
    Vec<&'a Event>,
    Option<Gap>,
    Survival,
);

/// A turn to `entrenching` located by [`late_entrenching`] at sprint `from` (p-value `p`, which
/// counts the search): taken when the part from there on is `entrenching` by its own
/// figures and the part before is not.
fn faded_turn<'a>(
    cx: &Context<'a>,
    candidates: &[&'a Event],
    from: usize,
    p: f64,
    draws: &mut Draws,
) -> Option<Turned<'a>> {
    if p >= SCAN_ALPHA || from == 0 {
        return None;
    }
    let n = cx.samples.len();
    let (before, after): (Vec<&Event>, Vec<&Event>) =
        candidates.iter().partition(|e| e.sprint < from);
    let (early, late): (Vec<Event>, Vec<Event>) =
        cx.events.iter().cloned().partition(|e| e.sprint < from);
    let g_after = gap(&after, cx.rankings, draws);
    let s_after = survival(&late, n, draws);
    let s_before = survival(&early, n, draws);
    let v_before = decide(gap(&before, cx.rankings, draws).as_ref(), Some(&s_before));
    let v_after = decide(g_after.as_ref(), Some(&s_after));
    // A course to change from: enough candidates before, and the halves' experiments
    // faring alike there (else the series was entrenching all along, with no `since`).
    let fair_before =
        before.len() >= MIN_PART && s_before.ratio().is_some_and(|r| r > SURVIVAL_ENTRENCHED);
    let turned = v_after == Direction::Entrenching && v_before != Direction::Entrenching;
    (turned && fair_before).then(|| {
        (
            v_after,
            Some(cx.samples[from].sprint.id.clone()),
            after,
            g_after,
            s_after,
        )
    })
}

/// The answer from the assessments under each measure of influence (capacity first,
/// then privilege): `entrenching` when either finds it (each test at [`ALPHA`], so
/// both together stay near 1%), `surfacing` only when both do; the index of the
/// measure it rests on.
pub fn answer(contexts: &[Context<'_>], draws: &mut Draws) -> (Answer, usize) {
    let assessed: Vec<Assessment> = contexts.iter().map(|cx| assess(cx, draws)).collect();
    let pick = |v: Direction| assessed.iter().position(|a| a.verdict == v);
    let chosen = pick(Direction::Entrenching)
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
        withheld,
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
    if let Some(p) = withheld {
        findings.push(Finding::SquadDependent { p_value: *p });
    }
    if verdict == Direction::Inconclusive {
        findings.push(settle(decided.as_ref()));
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

fn measure_of(m: Measure) -> InfluenceMeasure {
    match m {
        Measure::Capacity => InfluenceMeasure::Capacity,
        Measure::Privilege => InfluenceMeasure::Privilege,
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

/// What more data would settle an inconclusive answer: enough candidates that the
/// lower half's access, were it what it is now, would fall clearly on one side.
fn settle(g: Option<&Gap>) -> Finding {
    let Some(g) = g.filter(|g| g.candidates >= MIN_CANDIDATES) else {
        return Finding::TooFewCandidates {
            needed: MIN_CANDIDATES,
            candidates: g.map_or(0, |g| g.candidates),
        };
    };
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
