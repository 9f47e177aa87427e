//! Where the allocation changed course, to place `since`. Candidates show a turn late or
//! early: an experiment is placed where its exploration began, so those begun a sprint or
//! three before budgets changed, and sustained (or not) after, move the candidates'
//! standing before the turn itself. Budgets move at the turn. Within a few sprints of
//! where the candidates turned, the sprint where budgets stepped away from the rule, when
//! they clearly did, is the sprint the organisation changed course.

use std::collections::BTreeMap;

use super::sample::Sample;

/// How far from the candidates' turn the allocation's step is looked for. At 4, a gen
/// `turning` series whose 10 candidates after the turn located it 6 sprints late kept
/// that `since`; at 6 it moved to the budgets' step, and no other series of the 900 in
/// the rates moved.
pub const REACH: usize = 6;
/// How clear the step must be: its size over the spread of the tilt within the parts
/// on either side. Below it the budgets show no turn of their own and the candidates'
/// sprint stands.
pub const CLEAR: f64 = 3.0;

/// Each sprint's tilt: the people-weighted mean distance, in log terms, of a squad's
/// capacity (less the credits it carried from the sprint before: the reward, not the
/// allocation) from what the rule entitles its headcount to. 0 when every squad gets
/// what the rule says; it grows when some get more and others less.
pub fn tilts(samples: &[Sample]) -> Vec<f64> {
    let mut carried: BTreeMap<&str, u64> = BTreeMap::new();
    let mut out = Vec::with_capacity(samples.len());
    for sample in samples {
        let (mut sum, mut people) = (0.0, 0.0);
        for (squad, &h) in &sample.headcount {
            let entitled = sample.entitled.get(squad).copied().unwrap_or(0);
            if h == 0 || entitled == 0 {
                continue;
            }
            let capacity = sample.capacity.get(squad).copied().unwrap_or(0);
            let own = capacity.saturating_sub(carried.get(squad.as_str()).copied().unwrap_or(0));
            let ratio = own.max(1) as f64 / entitled as f64;
            sum += h as f64 * ratio.ln().abs();
            people += h as f64;
        }
        out.push(if people > 0.0 { sum / people } else { 0.0 });
        carried.clear();
        for c in &sample.credits {
            *carried.entry(c.squad.as_str()).or_default() += c.tokens;
        }
    }
    out
}

/// The sprint within [`REACH`] of `turn` where the tilt stepped up most clearly, when it
/// did by [`CLEAR`] spreads; else `turn`. A step is where its clarity peaks: a sprint
/// beside a step outside the reach also splits the tilt clearly, but less than the
/// sprint nearer the step, so it is no step of its own. When `turn` is itself a step,
/// the budgets confirm it: budgets that tilt further some sprints on (gen `turning`
/// seeds 4 and 118 stepped again at 16 and 17, more clearly than at 12) held the course
/// harder, they did not change it.
pub fn placed(tilts: &[f64], turn: usize) -> usize {
    let mut best: Option<(f64, usize)> = None;
    for t in turn.saturating_sub(REACH)..=turn + REACH {
        let Some(c) = clarity(tilts, t) else {
            continue;
        };
        let peak = [t.checked_sub(1), Some(t + 1)]
            .into_iter()
            .flatten()
            .all(|u| clarity(tilts, u).is_none_or(|d| c >= d));
        if c < CLEAR || !peak {
            continue;
        }
        if t == turn {
            return turn;
        }
        if best.is_none_or(|(b, _)| c > b) {
            best = Some((c, t));
        }
    }
    best.map_or(turn, |(_, t)| t)
}

/// How clearly the tilt steps up at sprint `t`: the difference of its means after and
/// before over the pooled spread within them; none within two sprints of either end.
fn clarity(tilts: &[f64], t: usize) -> Option<f64> {
    let n = tilts.len();
    if t < 2 || t > n.saturating_sub(2) {
        return None;
    }
    let (before, after) = tilts.split_at(t);
    let (mb, ma) = (mean(before), mean(after));
    let spread = (variance(before, mb) * before.len() as f64
        + variance(after, ma) * after.len() as f64)
        / n as f64;
    Some((ma - mb) / spread.sqrt().max(1e-6))
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn variance(xs: &[f64], m: f64) -> f64 {
    xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Budgets even by the rule for 12 sprints, then tilted: the step is found from a
    /// turn located four sprints late or early by the candidates.
    #[test]
    fn a_clear_step_in_the_budgets_places_the_turn() {
        let noise = [
            0.01, 0.03, 0.02, 0.0, 0.02, 0.01, 0.03, 0.02, 0.0, 0.01, 0.02, 0.01,
        ];
        let mut tilt: Vec<f64> = noise.to_vec();
        tilt.extend(noise.iter().map(|x| x + 0.4));
        assert_eq!(placed(&tilt, 16), 12);
        assert_eq!(placed(&tilt, 8), 12);
        // Out of reach: the candidates' sprint stands.
        assert_eq!(placed(&tilt, 20), 20);
    }

    /// Budgets that step away from the rule and then step again, more clearly (gen
    /// `turning` seed 4): a turn the candidates located at the first step stays there; one
    /// located between the two goes to the clearer.
    #[test]
    fn a_turn_at_a_step_stays_where_budgets_step_again() {
        let tilt = [
            0.166, 0.091, 0.089, 0.221, 0.106, 0.156, 0.1, 0.143, 0.165, 0.012, 0.169, 0.154, 0.56,
            0.431, 0.464, 0.236, 0.799, 0.855, 0.779, 0.601, 0.565, 0.384, 0.762, 0.761, 0.793,
            0.84, 0.797, 0.909, 0.586, 0.936,
        ];
        assert_eq!(placed(&tilt, 12), 12);
        assert_eq!(placed(&tilt, 14), 16);
    }

    /// Budgets that wander without a step leave the candidates' sprint as it was.
    #[test]
    fn without_a_clear_step_the_turn_stands() {
        let tilt = [
            0.1, 0.3, 0.2, 0.0, 0.25, 0.1, 0.3, 0.05, 0.2, 0.15, 0.3, 0.1, 0.2, 0.0,
        ];
        assert_eq!(placed(&tilt, 7), 7);
        // Budgets that step *down* (towards the rule) are no turn to entrenching.
        let mut down = vec![0.5; 8];
        down.extend([0.0; 8]);
        assert_eq!(placed(&down, 9), 9);
    }
}
