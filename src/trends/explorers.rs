//! The latest explorers: who began the explorations of the series' latest sprints,
//! against random people. An experiment becomes a candidate a sprint or more after it
//! began, and none begun in the last sprint can, so a turn in the last few sprints shows
//! in who explores before it shows in who is promoted.

use super::access::{Event, Gap, gap_with};
use super::influence::Ranking;
use super::stats::Draws;
use super::thresholds::{LATEST_ALPHA, MARGIN, MIN_PART};

/// Resamples of the test. Its level is near 1/1,000, where the 1,000 resamples of the
/// other tests are a coin flip: a part at p = 0.0007 went past one of them, and was called
/// `surfacing`, while one at p = 0.0017 went past none (10-sprint `turning` series built by
/// another hand, seeds 403 and 451). With 20,000 its standard error at the level is about
/// 0.0003.
const RESAMPLES: usize = 20_000;
/// Explorations times resamples the test may draw: fewer resamples past 50 explorations
/// (never fewer than 1,000). It is only near its level on few: the null gap's standard
/// deviation is about 0.58/sqrt(n), so on 50 a gap at the margin already stands at
/// p = 0.0001, and on 100 at 1e-7, where 1,000 resamples tell as well as 20,000.
const DRAWS: usize = 1_000_000;

/// The resamples for a test of `n` explorations.
fn resamples(n: usize) -> usize {
    (DRAWS / n.max(1)).clamp(1_000, RESAMPLES)
}

/// The first sprint of the series' latest part: its last third, at least 3 sprints.
pub fn latest_from(sprints: usize) -> usize {
    sprints.saturating_sub((sprints / 3).max(3))
}

/// The explorations begun in the latest part of a series of `sprints` sprints, when at
/// least [`MIN_PART`] of them gather past the margin at p ≤ [`LATEST_ALPHA`]: the part's
/// first sprint and their gap. One fixed part, so its test needs no correction for a
/// search.
///
/// It withholds `surfacing` only. In series built by another hand of 10 sprints turned at
/// sprint 6 or 7 (seeds 401 to 600), 17 of 200 are called `surfacing` without it; it
/// withholds it from 11 of them, and from 4 of the 3,200 series planted `surfacing` in the
/// default tables (seeds 1 to 400) and 4 of the 800 in the 10-sprint ones. At 0.001 it
/// withheld it from 7 of the 17 and 2 and 2 of those planted `surfacing`; at 0.003, from 13
/// and 6 and 5.
pub fn gathering(
    events: &[Event],
    rankings: &[Ranking],
    sprints: usize,
    draws: &mut Draws,
) -> Option<(usize, Gap)> {
    let from = latest_from(sprints);
    let latest: Vec<&Event> = events.iter().filter(|e| e.sprint >= from).collect();
    if latest.len() < MIN_PART {
        return None;
    }
    let g = gap_with(&latest, rankings, resamples(latest.len()), draws)?;
    (g.gap >= MARGIN && g.p_value <= LATEST_ALPHA).then_some((from, g))
}

#[cfg(test)]
mod tests {
    use super::{latest_from, resamples};

    /// The last third, and never fewer than three sprints.
    #[test]
    fn the_latest_part_is_the_last_third() {
        assert_eq!(latest_from(30), 20);
        assert_eq!(latest_from(14), 10);
        assert_eq!(latest_from(10), 7);
        assert_eq!(latest_from(3), 0);
    }

    /// All 20,000 on the few explorations where the level is close, fewer on many.
    #[test]
    fn many_explorations_take_fewer_resamples() {
        assert_eq!(resamples(10), 20_000);
        assert_eq!(resamples(50), 20_000);
        assert_eq!(resamples(100), 10_000);
        assert_eq!(resamples(5_000), 1_000);
    }
}
