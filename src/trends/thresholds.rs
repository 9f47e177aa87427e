//! The thresholds and levels the answer is decided by, and the verdict one part of a
//! series supports by its own figures ([`decide`]): one place to read what `surfacing`
//! and `entrenching` take.

use super::access::{Gap, Survival};
use super::model::Direction;

/// The influence gap from which candidates are called entrenched (with significance):
/// the mean originator stands 0.15 of the organisation above the middle (0.65 against
/// 0.5). Below it, and the less influential half's access at least [`ACCESS_FAIR`],
/// the answer is `surfacing`.
pub const MARGIN: f64 = 0.3;
/// A lean of the candidates the influential way short of [`MARGIN`]: with the part's
/// experiments fading as well, a sign of a turn (`both_signs` in `assess`).
pub const LEAN: f64 = 0.25;
/// The less influential half's access (its share of candidates over its share of
/// people) at or below which, with significance, candidates are called entrenched.
pub const ACCESS_ENTRENCHED: f64 = 0.5;
/// The access at or above which (and a gap below [`MARGIN`]) they are called surfacing:
/// 2.8 standard errors below 1 on the 35 to 40 candidates of a 14-sprint series (at 0.6,
/// one fair series in ten built by another hand fell short of it by noise alone).
pub const ACCESS_FAIR: f64 = 0.55;
/// The lower half's survival rate over the upper half's at or below which (with
/// significance) experiments are called entrenched: they fade before candidacy.
pub const SURVIVAL_ENTRENCHED: f64 = 0.5;
/// Fewest candidates for any answer but `inconclusive`.
pub const MIN_CANDIDATES: usize = 10;
/// Fewest experiments of the whole series followed long enough to tell whether they faded
/// (begun at least `FOLLOWED` sprints before the end) for `surfacing`:
/// without them survival, one of the three figures the answer rests on, is unknown, and
/// fair access is not shown. A series of five sprints or fewer has at most one sprint of
/// them. On four sprints, 10 to 12 candidates of fair series built by another hand were
/// called `surfacing` in 23 of 100; the issue's own `short` series "should be
/// `inconclusive`". Asking for some in each half too withheld `surfacing` from 88 of
/// 1,600 fair series of 14 sprints built by another hand: with no top-up in the series,
/// privilege ties every squad and has no lower half ([`followed_enough`]).
pub const MIN_FOLLOWED: usize = 6;
/// Significance of each permutation test that calls candidates entrenched (gap, access,
/// survival), under each of the three measures of influence: together they call about
/// one fair series in 450 of the default tables `entrenching`, most through a turn.
/// Standing without survival needs [`ALONE_ALPHA`].
pub const ALPHA: f64 = 0.005;
/// Significance at which the candidates' standing alone (the gap past the margin, or the
/// less influential half's access at or below [`ACCESS_ENTRENCHED`]) calls the whole
/// series `entrenching` when the halves' survival does not concur (`alone`): one fair
/// series in 350 crossed [`ALPHA`] that way under one of three rankings (one in 110 on
/// two or three experiments a sprint).
pub const ALONE_ALPHA: f64 = 0.001;
/// Significance at which the less influential half's experiments surviving less often
/// than the other half's concurs with their standing, and [`ALPHA`] is enough.
pub const CONCUR_ALPHA: f64 = 0.05;
/// Significance of a change of course, and the fewest candidates on either side of it.
pub const CHANGE_ALPHA: f64 = 0.05;
pub const MIN_PART: usize = 6;
/// Significance at which the part after the best split of the candidates (a change of
/// course or not), standing above random people past [`MARGIN`], withholds `surfacing`
/// from the whole (with [`SCAN_HINT`]). It is what keeps `turning` series with a faint
/// turn (the part after it at p = 0.001 to 0.008, the whole looking fair) from being
/// called `surfacing`, the opposite.
pub const GATHERS_ALPHA: f64 = 0.01;
/// The search-corrected [`late_entrenching`] short of a verdict: a hint that some latest
/// part entrenches, which two weaker signs need before they count.
/// - A later part's own signs (above) withhold `surfacing` only with it. The part is
///   picked by searching, and its own tests alone withheld `surfacing` from 10 of 120
///   fair series built by another hand (seeds 1 to 60); with this level a fair series
///   can trip it at most 2% of the time per measure. The `turning` series it protects
///   stood at 0.009 to 0.013; the fair series it had withheld from, at 0.024 to 0.19.
///   On seeds 61 to 400 turns stood at 0.022 and 0.030 too: the levels overlap. After a
///   strong change of course (p ≤ [`STRONG_CHANGE`]) an entrenching later part withholds
///   `surfacing` without the hint (it caught the one at 0.030).
/// - A turn to `entrenching` whose change of course is itself at p ≤ [`STRONG_CHANGE`]
///   is backed by it (else it needs [`SCAN_ALPHA`]): three `turning` series built by
///   another hand, their turn located by privilege at p = 0.001 to 0.003, stood at 0.005
///   to 0.014. The one fair series with as strong a change and an `entrenching` later
///   part (`capture` seed 1, p = 0.002) stood at 0.045.
pub const SCAN_HINT: f64 = 0.02;
/// A change of course strong enough that [`SCAN_HINT`] backs the turn.
pub const STRONG_CHANGE: f64 = 0.005;
/// A later part's gap beyond every one of the permutation test's 1,000 resamples (its
/// p-value is then 1/1001).
pub const SURE: f64 = 0.001;
/// The level at which the explorations of the series' last third, gathering past the
/// margin, withhold `surfacing` (`explorers`): one fixed part under three rankings, so a
/// fair series trips it at most about 0.6% of the time (8 of 4,000 did, seeds 1 to 400 of
/// the default tables and 401 to 600 of 10-sprint series).
pub const LATEST_ALPHA: f64 = 0.002;
/// The faintest scan that, after a change of course, lets a later part entrenching
/// beyond every resample ([`SURE`]) withhold `surfacing`. Such parts in fair series
/// stood at 0.075 and 0.10 (seeds 1 to 400); in the two `turning` series they protect,
/// at 0.029 and 0.040.
pub const SCAN_FAINT: f64 = 0.05;
/// Significance at which the less influential half's experiments surviving at half the
/// other half's rate or worse ([`SURVIVAL_ENTRENCHED`]) withholds `surfacing`.
pub const FADING_ALPHA: f64 = 0.05;
/// Significance of the search-corrected test ([`late_entrenching`]: standing and survival
/// of some latest part, together) that a located turn to `entrenching` also needs. Each
/// sign tested alone needed 0.001 (a fair series built by another hand reached 0.002 on
/// one of them); tested as one statistic, the lowest p-value over 240 fair series of six
/// families (two measures each) was 0.0076, while turns that each sign alone missed
/// stood at 0.0014 to 0.0034. Over 360 fair series under three measures, three stood
/// below it (0.0028 to 0.0046), none with a change of course for it to back.
pub const SCAN_ALPHA: f64 = 0.005;
/// Significance at which survival differing by squad ([`squad_fade`]) withholds
/// `surfacing`: a gap near 0 on rankings that cannot tell the squads apart is no
/// positive evidence of fair access when only some squads' experiments reach the
/// threshold. It was 0.01 while capacity and privilege were the only rankings (at 0.003
/// a `concentrated` series was then called `surfacing`); with size beside them it
/// withheld `surfacing` from 3 of 120 fair series built by another hand and protected
/// no series planted `entrenching` that the rest let through, so it is kept as a net at
/// 0.002, where neither happened (seeds 1 to 60).
pub const SQUAD_ALPHA: f64 = 0.002;
/// Fewer candidates than this are thin evidence of fair access. Fewer in the whole series
/// and the answer is not `surfacing` ([`enough_for_surfacing`]); fewer in the part it
/// rests on and survival by squad withholds `surfacing` at [`SQUAD_ALPHA_FEW`].
///
/// The whole series' count: with one or two experiments a sprint (12 to 21 candidates in
/// 14 sprints), series built by another hand that turned entrenching at sprint 6 to 9
/// were called `surfacing`, the opposite, in 13 of 100 (seeds 401 to 500): the few
/// candidates after the turn show nothing yet, and the whole looks fair. The issue puts
/// it as "with about 20 candidates the ratios move by ±0.4 from noise alone".
///
/// The part's count: in organisations of 16 squads of equal size where only four
/// squads' experiments lasted (nothing but who originates sets them apart), 12 of 100
/// were called `surfacing` on 12 to 15 candidates, 11 of them with survival by squad at
/// p < 0.05; no fair series called `surfacing` on fewer than 20 candidates had it below
/// 0.05 (seeds 1 to 100 of ten squads, 401 to 500 of sixteen).
pub const FEW_CANDIDATES: usize = 20;
pub const SQUAD_ALPHA_FEW: f64 = 0.05;

/// Whether a series with `candidates` candidates (with a known originator) is evidence
/// enough for `surfacing`: at least [`FEW_CANDIDATES`].
pub fn enough_for_surfacing(candidates: usize) -> bool {
    candidates >= FEW_CANDIDATES
}

/// Whether `s` followed at least [`MIN_FOLLOWED`] experiments long enough to tell whether
/// they faded. Not "some in each half": a ranking with every squad tied (privilege with
/// no top-up) has no lower half, and that says nothing of the series' length.
pub fn followed_enough(s: &Survival) -> bool {
    s.followed() >= MIN_FOLLOWED
}

/// Whether the less influential half's experiments fade before candidacy: they become
/// candidates at half the other half's rate or worse ([`SURVIVAL_ENTRENCHED`]), at
/// p < `level`. At [`ALPHA`] it calls a part `entrenching` ([`decide`]); at
/// [`FADING_ALPHA`] it withholds `surfacing`.
pub fn fades(s: &Survival, level: f64) -> bool {
    s.p_value < level && s.ratio().is_some_and(|r| r <= SURVIVAL_ENTRENCHED)
}

/// The smallest p-value of the candidates' standing signs that reach their thresholds
/// (the gap at [`MARGIN`] or more, the less influential half's access at
/// [`ACCESS_ENTRENCHED`] or less), on at least [`MIN_PART`] candidates; `None` when
/// neither does. Below [`ALPHA`] standing calls a part `entrenching` ([`decide`]).
pub fn standing_p(g: &Gap) -> Option<f64> {
    if g.candidates < MIN_PART {
        return None;
    }
    let gathered = (g.gap >= MARGIN).then_some(g.p_value);
    let shut_out = g
        .lower_access()
        .is_some_and(|a| a <= ACCESS_ENTRENCHED)
        .then_some(g.lower_half_p);
    gathered.into_iter().chain(shut_out).reduce(f64::min)
}

/// The verdict one gap supports. `entrenching` rejects "every person equally likely" at
/// [`ALPHA`], which an exact permutation test may do on few candidates; `surfacing`
/// accepts it, which needs [`MIN_CANDIDATES`].
pub fn decide(g: Option<&Gap>, s: Option<&Survival>) -> Direction {
    // Experiments of the less influential half fading before candidacy, with significance.
    let faded = s.is_some_and(|s| fades(s, ALPHA));
    let Some(g) = g else {
        return if faded {
            Direction::Entrenching
        } else {
            Direction::Inconclusive
        };
    };
    let access = g.lower_access().unwrap_or(1.0);
    let standing = standing_p(g).is_some_and(|p| p < ALPHA);
    let fair = g.candidates >= MIN_CANDIDATES && access >= ACCESS_FAIR && g.gap < MARGIN;
    // Fading counts while the candidates lean the influential way at all: where they do
    // not, the two signs disagree. Survival crossed its level by chance under one of
    // three rankings in a fair series built by another hand (20 squads, seed 486: ratio
    // 0.43 by privilege, at p = 0.005) whose candidates stood at gap -0.005, access
    // 1.01. `concentrated` series, where survival is the sign, lean at 0.05 to 0.27.
    if standing || (faded && g.gap > 0.0) {
        Direction::Entrenching
    } else if fair && !faded {
        Direction::Surfacing
    } else {
        Direction::Inconclusive
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Candidates standing where random people would (gap `gap`, access 1), 30 of them.
    fn candidates(gap: f64) -> Gap {
        Gap {
            candidates: 30,
            gap,
            interval: [gap - 0.2, gap + 0.2],
            p_value: 0.5,
            lower_half: 0.5,
            lower_half_expected: 0.5,
            lower_half_p: 0.5,
        }
    }

    /// The less influential half's experiments surviving at 0.43 of the other's rate, at
    /// p = 0.004.
    fn fading() -> Survival {
        Survival {
            lower: (6, 20),
            upper: (14, 20),
            p_value: 0.004,
        }
    }

    /// Fading with candidates that lean the influential way is `entrenching`; with
    /// candidates that lean no way the two signs disagree, and neither side is called.
    #[test]
    fn fading_counts_only_while_candidates_lean_the_influential_way() {
        assert_eq!(
            decide(Some(&candidates(0.05)), Some(&fading())),
            Direction::Entrenching
        );
        assert_eq!(
            decide(Some(&candidates(-0.005)), Some(&fading())),
            Direction::Inconclusive
        );
        assert_eq!(
            decide(Some(&candidates(-0.005)), None),
            Direction::Surfacing
        );
    }

    /// Twenty candidates in the whole series are evidence enough for `surfacing`; 19 are not.
    #[test]
    fn surfacing_needs_twenty_candidates() {
        assert!(enough_for_surfacing(20));
        assert!(!enough_for_surfacing(19));
    }

    /// Six followed experiments are enough, wherever the ranking puts them; five are not.
    #[test]
    fn surfacing_needs_six_experiments_followed() {
        let followed = |lower, upper| Survival {
            lower,
            upper,
            p_value: 0.6,
        };
        assert!(followed_enough(&followed((2, 3), (3, 3))));
        assert!(followed_enough(&followed((0, 0), (5, 6))));
        assert!(!followed_enough(&followed((2, 2), (3, 3))));
    }
}
