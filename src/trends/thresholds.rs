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
/// Significance of each permutation test that calls candidates entrenched: three tests
/// under two measures of influence, about 1% together on a fair series.
pub const ALPHA: f64 = 0.005;
/// Significance of a change of course, and the fewest candidates on either side of it.
pub const CHANGE_ALPHA: f64 = 0.05;
pub const MIN_PART: usize = 6;
/// Significance at which the part after the best split of the candidates (a change of
/// course or not), standing above random people past [`MARGIN`], withholds `surfacing`
/// from the whole (with [`GATHERS_SCAN`]). It is what keeps `turning` series with a faint
/// turn (the part after it at p = 0.001 to 0.008, the whole looking fair) from being
/// called `surfacing`, the opposite.
pub const GATHERS_ALPHA: f64 = 0.01;
/// Significance of the search-corrected [`late_entrenching`] that a later part's signs
/// (above) also need before they withhold `surfacing`. The part is picked by searching,
/// and its own tests alone withheld `surfacing` from one fair series built by another
/// hand in eight (seeds 1 to 60, under three measures); with this level, a fair series
/// can trip it at most 2% of the time per measure. The `turning` series it protects
/// stood at 0.009 to 0.013; fair series it had withheld from, at 0.024 to 0.19.
pub const GATHERS_SCAN: f64 = 0.02;
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
