//! One search-corrected test of "some latest part of the series entrenches", reading both
//! signs at once: the part's candidates stand above random people, and its less
//! influential half's experiments became candidates less often than the more influential
//! half's. Each sign alone needed p below 0.001 to back a turn (two tests, each searched
//! over parts); on `gen --sprints turning` each often stood near 0.004 while the other
//! stood near 0.02, and the turn was missed. Under one null for both (every experiment's
//! originator a random person of its sprint, whether it became a candidate kept), their
//! sum is one statistic with one level, and it is stronger than either.

use super::access::{Event, FOLLOWED};
use super::influence::Ranking;
use super::stats::Draws;

/// Resamples for [`late_entrenching`]: its p-value is read against levels down to 0.001.
pub const RESAMPLES: usize = 5000;

/// The variance of a random person's standing when no two squads tie: the standing is
/// then close to uniform on [0, 1]. Ties shrink it, which weighs standing a little less
/// than survival in the sum; the level stays exact, since the p-value comes from draws.
const UNIFORM_VARIANCE: f64 = 1.0 / 12.0;

/// What [`late_entrenching`] found: its p-value, and the sprint the most telling part
/// begins at (0 for the whole series): under a step from fair to entrenched, the part's
/// statistic is largest, in expectation, where the step is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scan {
    pub p_value: f64,
    pub from: Option<usize>,
}

/// The test. The statistic of a part (from the first experiment of a sprint to the end)
/// is the mean of two z-scores: its candidates' summed standing above the middle over its
/// standard error, and the two-proportion z of the halves' survival among its experiments
/// followed [`FOLLOWED`] sprints (0 while either half has fewer than `min_part`). Parts
/// need at least `min_part` candidates. The series' statistic is the largest part's; its
/// p-value comes from drawing every experiment's originator from random people of its
/// sprint, which moves both signs together, and searching again.
pub fn late_entrenching(
    events: &[Event],
    rankings: &[Ranking],
    sprints: usize,
    min_part: usize,
    draws: &mut Draws,
) -> Scan {
    let fixed = Fixed::of(events, sprints);
    let observed: Vec<f64> = events.iter().map(|e| e.percentile).collect();
    let Some((best, at)) = fixed.best(&observed, min_part) else {
        return Scan {
            p_value: 1.0,
            from: None,
        };
    };
    let mut drawn = observed.clone();
    let mut as_large = 0;
    for _ in 0..RESAMPLES {
        for (v, e) in drawn.iter_mut().zip(events) {
            *v = rankings[e.sprint]
                .draw(draws.next())
                .map_or(0.5, |p| p.percentile);
        }
        as_large += usize::from(
            fixed
                .best(&drawn, min_part)
                .is_some_and(|(s, _)| s >= best - 1e-9),
        );
    }
    Scan {
        p_value: (1 + as_large) as f64 / (1 + RESAMPLES) as f64,
        from: Some(events[at].sprint),
    }
}

/// What the null keeps of each experiment: its sprint, whether it became a candidate,
/// whether it was followed long enough to count its survival.
struct Fixed {
    sprint: Vec<usize>,
    candidate: Vec<bool>,
    followed: Vec<bool>,
}

impl Fixed {
    fn of(events: &[Event], sprints: usize) -> Self {
        Self {
            sprint: events.iter().map(|e| e.sprint).collect(),
            candidate: events.iter().map(Event::candidate).collect(),
            followed: events
                .iter()
                .map(|e| e.sprint + FOLLOWED < sprints)
                .collect(),
        }
    }

    /// The largest part statistic for these standings, and the index its part begins at.
    fn best(&self, standing: &[f64], min_part: usize) -> Option<(f64, usize)> {
        let n = standing.len();
        let (mut m, mut sum) = (0usize, 0.0);
        // Followed experiments: lower half (became a candidate, all), upper half.
        let (mut kl, mut nl, mut ku, mut nu) = (0usize, 0usize, 0usize, 0usize);
        let mut best: Option<(f64, usize)> = None;
        for i in (0..n).rev() {
            let lower = standing[i] < 0.5;
            if self.candidate[i] {
                m += 1;
                sum += standing[i] - 0.5;
            }
            if self.followed[i] {
                let c = usize::from(self.candidate[i]);
                if lower {
                    (kl, nl) = (kl + c, nl + 1);
                } else {
                    (ku, nu) = (ku + c, nu + 1);
                }
            }
            // Parts begin at a sprint's first experiment.
            if m < min_part || (i > 0 && self.sprint[i] == self.sprint[i - 1]) {
                continue;
            }
            let standing_z = sum / (m as f64 * UNIFORM_VARIANCE).sqrt();
            let fade_z = fade_z((kl, nl), (ku, nu), min_part);
            let z = (standing_z + fade_z) / 2f64.sqrt();
            if best.is_none_or(|(b, _)| z > b) {
                best = Some((z, i));
            }
        }
        best
    }
}

/// The two-proportion z of the upper half's survival over the lower half's; 0 when
/// either half has fewer than `min` followed experiments or every one fared alike.
fn fade_z((kl, nl): (usize, usize), (ku, nu): (usize, usize), min: usize) -> f64 {
    if nl < min || nu < min {
        return 0.0;
    }
    let pooled = (kl + ku) as f64 / (nl + nu) as f64;
    let se = (pooled * (1.0 - pooled) * (1.0 / nl as f64 + 1.0 / nu as f64)).sqrt();
    if se == 0.0 {
        return 0.0;
    }
    (ku as f64 / nu as f64 - kl as f64 / nl as f64) / se
}
