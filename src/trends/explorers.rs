//! The latest explorers: who began the explorations of the series' latest sprints,
//! against random people. An experiment becomes a candidate a sprint or more after it
//! began, and none begun in the last sprint can, so a turn in the last few sprints shows
//! in who explores before it shows in who is promoted.

use super::access::{Event, Gap, gap};
use super::influence::Ranking;
use super::stats::Draws;
use super::thresholds::{MARGIN, MIN_PART, SURE};

/// The first sprint of the series' latest part: its last third, at least 3 sprints.
pub fn latest_from(sprints: usize) -> usize {
    sprints.saturating_sub((sprints / 3).max(3))
}

/// The explorations begun in the latest part of a series of `sprints` sprints, when at
/// least [`MIN_PART`] of them gather past the margin beyond every resample (p ≤
/// [`SURE`]): the part's first sprint and their gap. One fixed part, so its test needs no
/// correction for a search.
///
/// It withholds `surfacing` only. In series built by another hand of 10 sprints turned at
/// sprint 6 or 7, 16 of 200 had been called `surfacing`; it withholds it from 8 of them
/// (seeds 401 to 600), and from 1 of the 2,400 series planted `surfacing` in the default
/// tables (seeds 1 to 400) and 1 of 400 in the 10-sprint ones. At p < 0.005 it withheld
/// it from 14 of the 16, and from 10 and 5 of those planted `surfacing`.
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
    let g = gap(&latest, rankings, draws)?;
    (g.gap >= MARGIN && g.p_value <= SURE).then_some((from, g))
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
