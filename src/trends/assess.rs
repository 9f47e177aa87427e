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
use super::split::best_split;
use super::stats::Draws;
use super::thresholds::{
    FADING_ALPHA, FEW_CANDIDATES, MIN_CANDIDATES, MIN_PART, SCAN_ALPHA, SQUAD_ALPHA,
    SQUAD_ALPHA_FEW, SURVIVAL_ENTRENCHED, decide, enough_for_surfacing, fades, followed_enough,
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
    /// The first sprint of the part after the best split and its gap, when that part
    /// withheld `surfacing` (`later_gathers` in `split.rs`) and the answer stayed
    /// `inconclusive`.
    pub later: Option<(String, Gap)>,
    /// The whole series' survival ratio and its p-value, when its less influential
    /// half's experiments fading short of `entrenching` withheld `surfacing`
    /// ([`doubted`]).
    pub fading: Option<(f64, f64)>,
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
    let mut later = None;
    if let Some(best) = turn {
        // One split tested, the best; its p-value counts the search over splits.
        let split = best_split(
            cx.events,
            cx.rankings,
            cx.samples,
            &candidates,
            best,
            scan.p_value,
            draws,
        );
        if let Some((from, g)) = split.gathers.filter(|_| verdict == Direction::Surfacing) {
            verdict = Direction::Inconclusive;
            later = g.map(|g| (from, g));
        }
        if let Some(turned) = split.turned {
            (verdict, since, basis, decided, survived) = turned;
        }
    }
    if since.is_none() {
        if let Some(turned) = other_turn(cx, &candidates, scan, verdict, draws) {
            (verdict, since, basis, decided, survived) = turned;
        }
    }
    let mut fading = None;
    if verdict == Direction::Surfacing && doubted(&fared, candidates.len()) {
        verdict = Direction::Inconclusive;
        fading = fared
            .ratio()
            .filter(|_| fades(&fared, FADING_ALPHA))
            .map(|ratio| (ratio, fared.p_value));
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
    // Standing alone and the later part are worth saying only where they left the answer
    // open (a turn taken after the later part withheld `surfacing` answers instead).
    let alone = alone.filter(|_| verdict == Direction::Inconclusive);
    let later = later.filter(|_| verdict == Direction::Inconclusive && since.is_none());
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
        later,
        fading,
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

/// Whether the whole series' own figures withhold a `surfacing` verdict: the less
/// influential half's experiments fading at half the other's rate or worse, beyond
/// chance if not beyond doubt (no evidence of fair access), too few experiments
/// followed to tell whether they faded ([`followed_enough`]), or too few candidates in
/// the whole series, `candidates` ([`enough_for_surfacing`]).
///
/// The search-corrected [`late_entrenching`] below [`SCAN_ALPHA`] withheld it too. A
/// latest part that entrenches is read where it is (the turn it backs, the later part's
/// signs in `split.rs`); over 18,900 series of fourteen runs (both tables, seeds
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
