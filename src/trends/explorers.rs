//! The latest explorers: who began the explorations of the series' latest sprints,
//! against random people. An experiment becomes a candidate a sprint or more after it
//! began, and none begun in the last sprint can, so a turn in the last few sprints shows
//! in who explores before it shows in who is promoted.

use super::access::{Event, Gap, fine_resamples, gap_with};
use super::influence::Ranking;
use super::stats::Draws;
use super::thresholds::{LATEST_ALPHA, MARGIN, MIN_PART};

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
    let g = gap_with(&latest, rankings, fine_resamples(latest.len()), draws)?;
    (g.gap >= MARGIN && g.p_value <= LATEST_ALPHA).then_some((from, g))
}

#[cfg(test)]
mod tests {
    use super::latest_from;

    /// The last third, and never fewer than three sprints.
    #[test]
    fn the_latest_part_is_the_last_third() {
        assert_eq!(latest_from(30), 20);
        assert_eq!(latest_from(14), 10);
        assert_eq!(latest_from(10), 7);
        assert_eq!(latest_from(3), 0);
    }
}
