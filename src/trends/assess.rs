//! One measure of influence's assessment of a series: the verdict over the whole, a turn
//! taken from the best split of the candidates or where the budgets left the rule, the
//! sprint an entrenching series turned where [`late_entrenching`] points, and the signs
//! that withhold `surfacing`.

use super::access::{Event, Gap, Survival, change, gap, squad_fade, survival};
use super::allocation::{placed, stepped, tilts};
use super::alone::{alone, stands};
use super::explorers::gathering;
use super::influence::{Measure, Ranking};
use super::model::{CreditCapture, Direction};
use super::parts::{Parts, Turned};
use super::sample::Sample;
use super::scan::{Scan, late_entrenching};
use super::stats::Draws;
use super::thresholds::{
    CHANGE_ALPHA, FADING_ALPHA, FEW_CANDIDATES, GATHERS_ALPHA, LEAN, MARGIN, MIN_CANDIDATES,
    MIN_PART, SCAN_ALPHA, SCAN_FAINT, SCAN_HINT, SQUAD_ALPHA, SQUAD_ALPHA_FEW, STRONG_CHANGE, SURE,
    SURVIVAL_ENTRENCHED, decide, enough_for_surfacing, fades, followed_enough,
};

// A part `surfacing` by its own figures is long enough to be a part of a turn.
const _: () = assert!(MIN_CANDIDATES >= MIN_PART);

/// The salt of the draws the latest explorers are tested with.
const EXPLORERS_STREAM: u64 = 0x4558;
/// The salt of the draws the part after the budgets' step is tested with.
const BUDGETS_STREAM: u64 = 0x4255;
/// The salt of the draws standing alone is tested with.
const ALONE_STREAM: u64 = 0x414c;

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
pub struct Assessment<'a> {
    pub verdict: Direction,
    pub since: Option<String>,
    pub basis: Vec<&'a Event>,
    pub decided: Option<Gap>,
    pub survived: Survival,
    pub turn: Option<(usize, f64)>,
    /// [`squad_fade`]'s p-value when it withheld `surfacing`.
    pub withheld: Option<f64>,
    /// The latest part's first sprint and its explorers' gap, when they withheld
    /// `surfacing` ([`gathering`]).
    pub explorers: Option<(String, Gap)>,
    /// The p-value of the candidates' standing when it alone would have called the whole
    /// series `entrenching` and fell short of its level ([`alone`]), while the answer
    /// stayed `inconclusive`.
    pub alone: Option<f64>,
}

/// The assessment of the series under `cx`'s measure.
pub fn assess<'a>(cx: &Context<'a>, draws: &mut Draws) -> Assessment<'a> {
    let candidates: Vec<&Event> = cx.events.iter().filter(|e| e.candidate()).collect();
    let whole = gap(&candidates, cx.rankings, draws);
    let n = cx.samples.len();
    let fared = survival(cx.events, n, draws);
    let (mut verdict, alone) =
        over_the_whole(whole.as_ref(), &candidates, cx.rankings, &fared, draws);
    let mut survived = fared.clone();
    let mut since = None;
    let mut basis: Vec<&Event> = candidates.clone();
    let mut decided = whole.clone();
    let turn = change(&candidates, MIN_PART, draws);
    // Some latest part entrenching, standing and survival read together, search-corrected:
    // what backs a turn to entrenching, and where it points when the split does not.
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
        if verdict == Direction::Surfacing
            && later_gathers(scan.p_value, v_after, g_after.as_ref(), &s_after, p)
        {
            verdict = Direction::Inconclusive;
        }
        let backed = backed(scan.p_value, v_after, p);
        if p < CHANGE_ALPHA && v_after != v_before && v_after != Direction::Inconclusive && backed {
            verdict = v_after;
            since = Some(cx.samples[split].sprint.id.clone());
            basis = after;
            decided = g_after;
            survived = s_after;
        }
    }
    if since.is_none() {
        if let Some(turned) = other_turn(cx, &candidates, scan, verdict, draws) {
            (verdict, since, basis, decided, survived) = turned;
        }
    }
    if verdict == Direction::Surfacing && doubted(&fared, candidates.len()) {
        verdict = Direction::Inconclusive;
    }
    let explorers = latest_explorers(cx, verdict, draws);
    if explorers.is_some() {
        verdict = Direction::Inconclusive;
    }
    let resting = decided.as_ref().map_or(0, |g| g.candidates);
    let withheld = squad_withholds(verdict, resting, cx.events, n, draws);
    if withheld.is_some() {
        verdict = Direction::Inconclusive;
    }
    // Standing alone is worth saying only where it left the answer open.
    let alone = alone.filter(|_| verdict == Direction::Inconclusive);
    // The figures keep resting on the candidates after where they turned; only the
    // sprint named moves to where budgets did.
    if verdict == Direction::Entrenching {
        since = since.map(|s| placed_by_budgets(cx.samples, &s));
    }
    Assessment {
        verdict,
        since,
        basis,
        decided,
        survived,
        turn,
        withheld,
        explorers,
        alone,
    }
}

/// The verdict over the whole series (or a part of it fixed by the budgets), and the
/// p-value of the candidates' standing when it alone called the series `entrenching` and
/// fell short of its level ([`alone`], [`stands`]), which leaves the verdict
/// `inconclusive`. Its own stream of draws, so that the figures after it stay as they
/// were.
fn over_the_whole(
    whole: Option<&Gap>,
    candidates: &[&Event],
    rankings: &[Ranking],
    fared: &Survival,
    draws: &Draws,
) -> (Direction, Option<f64>) {
    let verdict = decide(whole, Some(fared));
    if verdict != Direction::Entrenching {
        return (verdict, None);
    }
    match alone(candidates, rankings, fared, &mut draws.fork(ALONE_STREAM)) {
        Some(p) if !stands(p) => (Direction::Inconclusive, Some(p)),
        _ => (verdict, None),
    }
}

/// Who began the latest explorations, when they withhold a `surfacing` verdict
/// ([`gathering`]): the latest part's first sprint and their gap. Its own stream of
/// draws, so that the figures after it stay as they were.
fn latest_explorers(cx: &Context<'_>, verdict: Direction, draws: &Draws) -> Option<(String, Gap)> {
    if verdict != Direction::Surfacing {
        return None;
    }
    let n = cx.samples.len();
    gathering(cx.events, cx.rankings, n, &mut draws.fork(EXPLORERS_STREAM))
        .map(|(from, g)| (cx.samples[from].sprint.id.clone(), g))
}

/// Whether the part after the best split (its verdict `v_after`, its gap `g_after`, its
/// survival `s_after`, the split's p-value `change`) forbids calling the whole series
/// surfacing:
/// - after a strong change of course (p ≤ [`STRONG_CHANGE`], which counts the search
///   over splits) it entrenches by its own figures or gathers past the margin, whatever
///   the scan says: `turning` series built by another hand, turned four or five sprints
///   before their end, were called `surfacing` with privilege locating the turn at
///   p = 0.001 to 0.003 and the scan at 0.03 to 0.04 (on 8 candidates after it, a gap
///   of 0.36 or 0.44 is not `entrenching` by itself);
/// - or the search-corrected scan (`scan`) finds some latest part entrenching at a level
///   short of a verdict, and the part entrenches by its own figures or gathers past the
///   margin standing above random people (independent `turning` 426 and 459 with six
///   squads, no change of course at all). The part is picked by searching, so its own
///   tests fire on fair series too: hence the scan. (A part after a change of course
///   that was merely not surfacing by its own figures withheld it too, for gen
///   `turning` seed 127, access 0.53 after the turn; the budgets' turn answers 127 now,
///   and over 18,900 series of thirteen runs of both tables and other shapes it kept no
///   series planted `entrenching` from `surfacing` while it withheld it from five fair
///   ones: removed);
/// - or, after a change of course (p < [`CHANGE_ALPHA`]), it entrenches by its own
///   figures with its gap beyond every resample (p ≤ [`SURE`]) and the scan is faint
///   (p < [`SCAN_FAINT`]): the stronger the part, the fainter the scan it needs.
///   `turning` series built by another hand with 6 squads (seed 483, privilege: change
///   p = 0.014, 13 candidates after it, gap 0.50, access 0.13, scan 0.029) and 20 squads
///   (seed 519, held out: p = 0.007, 12 after, gap 0.49, scan 0.040) were called
///   `surfacing`; the budgets' turn answers both now, and at two or three experiments a
///   sprint `turning` seed 474 (p = 0.045, gap 0.44 after it, scan 0.021) is the series
///   it keeps from the opposite. The fair series whose later part was as strong stood at
///   0.075 and 0.10;
/// - or it shows both signs of a turn short of a verdict ([`both_signs`]) and the scan is
///   faint (p < [`SCAN_FAINT`]).
fn later_gathers(
    scan: f64,
    v_after: Direction,
    g_after: Option<&Gap>,
    s_after: &Survival,
    change: f64,
) -> bool {
    let entrenches = v_after == Direction::Entrenching;
    let gathers = g_after.is_some_and(|g| g.gap >= MARGIN);
    let turned = change < CHANGE_ALPHA;
    // No later part stands above random people at any level.
    let p_after = g_after.map_or(1.0, |g| g.p_value);
    if change <= STRONG_CHANGE && (entrenches || gathers) {
        return true;
    }
    if both_signs(g_after, s_after) && scan < SCAN_FAINT {
        return true;
    }
    if turned && entrenches && p_after <= SURE && scan < SCAN_FAINT {
        return true;
    }
    scan < SCAN_HINT && (entrenches || (gathers && p_after < GATHERS_ALPHA))
}

/// Whether the part after the best split shows both signs of a turn to entrenching,
/// each short of a verdict: its candidates leaning the influential way
/// ([`LEAN`] or more, p < [`FADING_ALPHA`]) and its less influential half's experiments
/// fading at half the other's rate or worse (p < [`FADING_ALPHA`]). With the scan below
/// [`SCAN_FAINT`] it withholds `surfacing`: gen `turning` series of 30 sprints turned at
/// 12 (seeds 401 to 600) were called `surfacing`, the opposite, in 6 of 200, their later
/// parts at a gap of 0.26 to 0.37 and survival ratio 0.29 to 0.42 (p = 0.03 to 0.05),
/// the scan at 0.023 to 0.085; it withheld it from 4 of them, and from no series
/// planted `surfacing` over seeds 1 to 200 and 401 to 600. Over 201 to 400 it withheld
/// it from `turning` 211, the opposite before, and from two series planted `surfacing`
/// (gen `fair` 343 and `no-origin` 380).
fn both_signs(g_after: Option<&Gap>, s_after: &Survival) -> bool {
    let leans = g_after.is_some_and(|g| g.gap >= LEAN && g.p_value < FADING_ALPHA);
    leans && fades(s_after, FADING_ALPHA)
}

/// Whether a turn to the later part's verdict `v_after` is backed. A part found by
/// searching for a change stands out partly because it was picked: turning to
/// `entrenching` also needs the search-corrected test that some latest part entrenches
/// (`scan`; a hint of it after a strong change of course, `change`).
fn backed(scan: f64, v_after: Direction, change: f64) -> bool {
    v_after != Direction::Entrenching
        || scan < SCAN_ALPHA
        || (change <= STRONG_CHANGE && scan < SCAN_HINT)
}

/// Whether the whole series' own figures withhold a `surfacing` verdict: the less
/// influential half's experiments fading at half the other's rate or worse, beyond
/// chance if not beyond doubt (no evidence of fair access), too few experiments
/// followed to tell whether they faded ([`followed_enough`]), or too few candidates in
/// the whole series, `candidates` ([`enough_for_surfacing`]).
///
/// The search-corrected [`late_entrenching`] below [`SCAN_ALPHA`] withheld it too. A
/// latest part that entrenches is read where it is (the turn it backs, the later part's
/// signs in [`later_gathers`]); over 18,900 series of fourteen runs (both tables, seeds
/// 1-600; the independent table's other shapes and densities) the scan alone kept no
/// series planted `entrenching` from `surfacing`, and withheld it from 32 distinct fair
/// ones, at about its level under each of three rankings: removed. (Two single-sign
/// scans at 0.02, standing and survival apart, went the same way earlier.)
fn doubted(fared: &Survival, candidates: usize) -> bool {
    fades(fared, FADING_ALPHA) || !followed_enough(fared) || !enough_for_surfacing(candidates)
}

/// A turn's sprint, moved to where the allocation stepped away from the rule when it did
/// so clearly within a few sprints of it ([`placed`]).
fn placed_by_budgets(samples: &[Sample], since: &str) -> String {
    let Some(turn) = samples.iter().position(|s| s.sprint.id == since) else {
        return since.to_owned();
    };
    samples[placed(&tilts(samples), turn)].sprint.id.clone()
}

/// [`squad_fade`]'s p-value when it withholds a `surfacing` verdict, else `None` (and
/// no draws taken, so other verdicts' figures stay as they were).
///
/// On fewer than [`FEW_CANDIDATES`] candidates (`candidates`, those the verdict rests
/// on) the level is [`SQUAD_ALPHA_FEW`]: so few say little for fair access.
fn squad_withholds(
    verdict: Direction,
    candidates: usize,
    events: &[Event],
    n: usize,
    draws: &mut Draws,
) -> Option<f64> {
    if verdict != Direction::Surfacing {
        return None;
    }
    let p = squad_fade(events, n, draws);
    let level = if candidates < FEW_CANDIDATES {
        SQUAD_ALPHA_FEW
    } else {
        SQUAD_ALPHA
    };
    (p < level).then_some(p)
}

/// A turn the best split of the candidates did not give: for a series `entrenching` as
/// a whole, where [`late_entrenching`] points ([`faded_turn`]) names the sprint it
/// turned; else where the budgets left the rule ([`budgets_turn`]).
///
/// The part the scan points to only names a sprint; it does not turn a verdict. Picked
/// by searching under each of three rankings, it turned five fair series of both
/// tables (seeds 1-400) from `surfacing` to `entrenching`, the opposite, at scans of
/// 0.0002 to 0.005; without it one series planted `entrenching` of the 7,200 lost its
/// answer (gen `turning` 255, now `inconclusive`: the split and the budgets' step found
/// no turn there).
fn other_turn<'a>(
    cx: &Context<'a>,
    candidates: &[&'a Event],
    scan: Scan,
    verdict: Direction,
    draws: &mut Draws,
) -> Option<Turned<'a>> {
    if verdict == Direction::Entrenching {
        scan.from
            .and_then(|from| faded_turn(cx, candidates, from, scan.p_value, draws))
    } else {
        budgets_turn(cx, candidates, draws.fork(BUDGETS_STREAM))
    }
}

/// The series under `cx`, its `candidates` among them, cut at sprint `from`: how every
/// turn taken at a sprint fixed beforehand measures its parts ([`Parts::split`]).
fn cut<'a>(
    cx: &Context<'a>,
    candidates: &[&'a Event],
    from: usize,
    draws: &mut Draws,
) -> Parts<'a> {
    let n = cx.samples.len();
    Parts::split(cx.events, cx.rankings, n, candidates, from, draws)
}

/// A turn to `entrenching` where the budgets stepped away from the rule ([`stepped`]),
/// for a series not `entrenching` as a whole: the part from there on `entrenching` by
/// its own figures (on standing alone, only as [`alone`] allows), the part before not,
/// with [`MIN_PART`] candidates on each side.
///
/// The part is fixed by the budgets, not searched for among the candidates, so its own
/// tests need no correction for a search, and a fair series whose budgets keep to the
/// rule never reaches them. Faint gen `turning` series (the whole series' gap about
/// 0.1) were `inconclusive`: the best split of 40 candidates fell elsewhere, or was not
/// backed by the scan, while the budgets stepped clearly at the turn. Its own stream of
/// draws, so that the figures after it stay as they were.
fn budgets_turn<'a>(
    cx: &Context<'a>,
    candidates: &[&'a Event],
    mut draws: Draws,
) -> Option<Turned<'a>> {
    let from = stepped(&tilts(cx.samples))?;
    let before = candidates.iter().filter(|e| e.sprint < from).count();
    if before < MIN_PART || candidates.len() - before < MIN_PART {
        return None;
    }
    let part = cut(cx, candidates, from, &mut draws);
    let (v_after, _) = over_the_whole(
        part.g_after.as_ref(),
        &part.after,
        cx.rankings,
        &part.s_after,
        &draws,
    );
    (v_after == Direction::Entrenching && part.v_before != Direction::Entrenching)
        .then(|| part.turned(v_after, cx.samples[from].sprint.id.clone()))
}

/// The turn of a series `entrenching` as a whole, located by [`late_entrenching`] at
/// sprint `from` (p-value `p`, which counts the search): taken when the part from there
/// on is `entrenching` by its own figures and the part before `surfacing` by its own.
///
/// The scan tests that the later part entrenches, not that the series changed course
/// (the best split's change of course is tested), so the course before must show in the
/// part before: a part merely short of a verdict, often the few candidates of the first
/// sprint or two, is no evidence of one. Series planted `entrenching` from their first
/// sprint named a turn at sprint 2 to 18 this way.
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
    let part = cut(cx, candidates, from, draws);
    let v_after = decide(part.g_after.as_ref(), Some(&part.s_after));
    // A course to change from: the part before `surfacing` (so on at least
    // [`MIN_CANDIDATES`], past [`MIN_PART`]), and its halves' experiments faring alike
    // (else the series was entrenching all along, with no `since`).
    let fair_before = part
        .s_before
        .ratio()
        .is_some_and(|r| r > SURVIVAL_ENTRENCHED);
    let turned = v_after == Direction::Entrenching && part.v_before == Direction::Surfacing;
    (turned && fair_before).then(|| part.turned(v_after, cx.samples[from].sprint.id.clone()))
}
