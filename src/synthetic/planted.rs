//! What the scenarios beyond `fair` and `entrenched` plant in a series: a documented
//! top-up a sprint, credit captured by a largest squad, catalog entries with no origin.

use super::rng::Rng;
use super::scenario::top_quartile;
use super::world::{Squad, Topup};

/// A variant's `origin_squad` that names no squad: its catalog entry is written without
/// one.
pub(super) const NO_ORIGIN: usize = usize::MAX;

/// `fair-topups`: of a sprint's top-ups, exactly one granted, documented, approved and
/// within the cap (half the squad's baseline); the others stay requested.
pub(super) fn one_documented_topup(topups: &mut [Topup], squads: &[Squad]) {
    for (i, t) in topups.iter_mut().enumerate() {
        t.granted = i == 1;
        t.approved_by = None;
        if t.granted {
            t.reason = Some("critical-system");
            t.justification = Some("keeps the payments ledger within its recovery objective");
            t.approved_by = Some("finance-board");
            let cap = squads[t.squad].baseline.unwrap_or(0) / 2;
            t.tokens = t.tokens.min(cap / 50_000 * 50_000).max(50_000);
        }
    }
}

/// `capture`: a largest squad that takes over an experiment of a smaller squad, for
/// about one experiment in four from outside the largest quarter.
pub(super) fn captor(rng: &mut Rng, home: usize, n_squads: usize) -> Option<usize> {
    let top = top_quartile(n_squads);
    (home >= top && rng.permille(250)).then(|| rng.below(top as u64) as usize)
}
