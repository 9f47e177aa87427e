//! The best split of the candidates: the turn it gives, and the signs by which the part
//! after it withholds `surfacing` from the whole series.

use super::access::{Event, Gap, Survival, gap, survival};
use super::influence::Ranking;
use super::model::Direction;
use super::parts::Turned;
use super::sample::Sample;
use super::stats::Draws;
use super::thresholds::{
    CHANGE_ALPHA, FADING_ALPHA, GATHERS_ALPHA, LEAN, MARGIN, SCAN_ALPHA, SCAN_FAINT, SCAN_HINT,
    STRONG_CHANGE, SURE, decide, fades,
};

/// What the best split of the candidates gives ([`best_split`]).
pub struct Split<'a> {
    /// The turn to the later part's verdict, when the split is one.
    pub turned: Option<Turned<'a>>,
    /// The later part's first sprint and gap, when it forbids calling the whole series
    /// `surfacing` ([`later_gathers`]).
    pub gathers: Option<(String, Option<Gap>)>,
}

/// The best split of the series' `candidates` (among its `events`, ranked by `rankings`
/// over `samples`), at sprint `split` with p-value `p` (which counts the search over
/// splits): a turn to the later part's verdict when the two parts differ at
/// p < [`CHANGE_ALPHA`] and a turn to `entrenching` is [`backed`] by the scan (`scan`);
/// and whether the later part forbids calling the whole series `surfacing`.
pub fn best_split<'a>(
    events: &[Event],
    rankings: &[Ranking],
    samples: &[Sample],
    candidates: &[&'a Event],
    (split, p): (usize, f64),
    scan: f64,
    draws: &mut Draws,
) -> Split<'a> {
    let n = samples.len();
    let (before, after): (Vec<&Event>, Vec<&Event>) =
        candidates.iter().partition(|e| e.sprint < split);
    let g_before = gap(&before, rankings, draws);
    let g_after = gap(&after, rankings, draws);
    let (early, late): (Vec<Event>, Vec<Event>) =
        events.iter().cloned().partition(|e| e.sprint < split);
    let s_before = survival(&early, n, draws);
    let s_after = survival(&late, n, draws);
    let v_before = decide(g_before.as_ref(), Some(&s_before));
    let v_after = decide(g_after.as_ref(), Some(&s_after));
    let from = samples[split].sprint.id.clone();
    let gathers = later_gathers(scan, v_after, g_after.as_ref(), &s_after, p)
        .then(|| (from.clone(), g_after.clone()));
    let turns = p < CHANGE_ALPHA
        && v_after != v_before
        && v_after != Direction::Inconclusive
        && backed(scan, v_after, p);
    Split {
        turned: turns.then_some((v_after, Some(from), after, g_after, s_after)),
        gathers,
    }
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
