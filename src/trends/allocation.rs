//! Where the allocation changed course, to place `since`. Candidates show a turn late or
//! early: an experiment is placed where its exploration began, so those begun a sprint or
//! three before budgets changed, and sustained (or not) after, move the candidates'
//! standing before the turn itself. Budgets move at the turn. Within ten sprints of
//! where the candidates turned, the sprint where budgets stepped away from the rule, when
//! they clearly did, is the sprint the organisation changed course.

use std::collections::BTreeMap;

use super::sample::Sample;

/// How far from the candidates' turn the allocation's step is looked for. Candidates
/// locate a turn noisily: on 8 to 33 candidates after it, gen `turning` series (turned
/// at 12) were located from 8 sprints early to 9 late (seeds 1 to 600). At 6, seven of
/// them kept a sprint more than two from the budgets' step; at 8, two; at 10, none.
pub const REACH: usize = 10;
/// How clear the step must be: the likelihood ratio of the tilt as two parts, each with
/// its own level and spread, against one ([`step`]). No stretch of budgets kept to the
/// rule passed 15 (the first 12 sprints of 577 gen `turning` series). At 30, independent
/// `turning` series whose top-ups moved the tilt by 0.06 over 14 sprints (about 27) kept
/// the candidates' sprint, often one off: their `since` was exact in 366 of 394, against
/// 382 at 20 (and 380 with the pooled spread this replaced).
pub const CLEAR: f64 = 20.0;
/// Fewest sprints before a step and after it.
const BEFORE: usize = 2;
const AFTER: usize = 2;
/// The smallest spread the tilt is read with, as a variance: a spread of 0.01, budgets
/// 1% from what the rule says. Budgets kept exactly to the rule have no spread at all,
/// and against none a move of 1% would be an infinitely clear step.
const FLOOR: f64 = 1e-4;

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
/// did by [`CLEAR`]; else `turn`. A step is where its statistic peaks: a sprint beside a
/// step outside the reach also splits the tilt clearly, but less than the sprint nearer
/// the step, so it is no step of its own.
pub fn placed(tilts: &[f64], turn: usize) -> usize {
    clearest(tilts, turn.saturating_sub(REACH)..=turn + REACH).unwrap_or(turn)
}

/// The sprint anywhere in the series where the tilt stepped up most clearly, when it did
/// by [`CLEAR`]: where the organisation's budgets left the rule.
pub fn stepped(tilts: &[f64]) -> Option<usize> {
    clearest(tilts, 0..=tilts.len())
}

/// The sprint among `within` where the tilt stepped up most clearly, by [`CLEAR`] at
/// least, and peaked.
fn clearest(tilts: &[f64], within: std::ops::RangeInclusive<usize>) -> Option<usize> {
    let mut best: Option<(f64, usize)> = None;
    for t in within {
        let Some(c) = step(tilts, t) else {
            continue;
        };
        let peak = [t.checked_sub(1), Some(t + 1)]
            .into_iter()
            .flatten()
            .all(|u| step(tilts, u).is_none_or(|d| c >= d));
        if c >= CLEAR && peak && best.is_none_or(|(b, _)| c > b) {
            best = Some((c, t));
        }
    }
    best.map(|(_, t)| t)
}

/// How clearly the tilt steps up at sprint `t`: twice the log-likelihood ratio of the
/// tilt as two normal parts, before `t` and from it, each with its own mean and spread,
/// against one part (`n ln s² - n1 ln s1² - n2 ln s2²`); 0 when it steps down, none
/// without [`BEFORE`] sprints before and [`AFTER`] from it.
///
/// Each part has its own spread because the two regimes differ in it: budgets kept to
/// the rule vary by rounding, while budgets away from it vary with favours from sprint
/// to sprint, and often tilt further in stages. Measured against one spread pooled over
/// both parts, as until this round, that variation counted against the step at the turn,
/// and a later stage looked the clearer (gen `turning` seeds 455 and 547: turned at 12,
/// placed at 17), or no step looked clear at all (seeds 505 and 588: the candidates' 9
/// kept).
fn step(tilts: &[f64], t: usize) -> Option<f64> {
    let n = tilts.len();
    if t < BEFORE || t + AFTER > n {
        return None;
    }
    let (before, after) = tilts.split_at(t);
    let (mb, ma) = (mean(before), mean(after));
    if ma <= mb {
        return Some(0.0);
    }
    let spread = |xs: &[f64], m: f64| (variance(xs, m) + FLOOR).ln() * xs.len() as f64;
    Some(spread(tilts, mean(tilts)) - spread(before, mb) - spread(after, ma))
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

    /// Budgets that step away from the rule at sprint 12 and then tilt further in stages,
    /// more widely spread (gen `turning` seed 4's tilts).
    const STAGED: [f64; 30] = [
        0.166, 0.091, 0.089, 0.221, 0.106, 0.156, 0.1, 0.143, 0.165, 0.012, 0.169, 0.154, 0.56,
        0.431, 0.464, 0.236, 0.799, 0.855, 0.779, 0.601, 0.565, 0.384, 0.762, 0.761, 0.793, 0.84,
        0.797, 0.909, 0.586, 0.936,
    ];

    /// Budgets even by the rule for 12 sprints, then tilted: the step is found from a
    /// turn located four sprints late or early by the candidates, or ten late.
    #[test]
    fn a_clear_step_in_the_budgets_places_the_turn() {
        let noise = [
            0.01, 0.03, 0.02, 0.0, 0.02, 0.01, 0.03, 0.02, 0.0, 0.01, 0.02, 0.01,
        ];
        let mut tilt: Vec<f64> = noise.to_vec();
        tilt.extend(noise.iter().map(|x| x + 0.4));
        assert_eq!(placed(&tilt, 16), 12);
        assert_eq!(placed(&tilt, 8), 12);
        assert_eq!(placed(&tilt, 22), 12);
        // Out of reach: the sprint beside the step is no step, and the candidates'
        // sprint stands.
        assert_eq!(placed(&tilt, 23), 23);
    }

    /// Budgets that step away from the rule and then tilt further in stages, more
    /// widely spread (gen `turning` seed 4): every turn the candidates located is placed
    /// at the first step, where the rule was left.
    #[test]
    fn budgets_tilting_further_in_stages_place_the_turn_where_they_left_the_rule() {
        let tilt = STAGED;
        for turn in [12, 14, 17, 20] {
            assert_eq!(placed(&tilt, turn), 12, "located at {turn}");
        }
    }

    /// Where the budgets left the rule, found without a turn to start from: the first
    /// step of budgets that tilt further in stages; none where they wander, keep to the
    /// rule, or step back to it.
    #[test]
    fn the_step_where_budgets_left_the_rule_is_found_anywhere() {
        let staged = STAGED;
        assert_eq!(stepped(&staged), Some(12));
        let wandering = [
            0.1, 0.3, 0.2, 0.0, 0.25, 0.1, 0.3, 0.05, 0.2, 0.15, 0.3, 0.1, 0.2, 0.0,
        ];
        assert_eq!(stepped(&wandering), None);
        assert_eq!(stepped(&[0.0; 16]), None);
        let mut back = vec![0.5; 8];
        back.extend([0.0; 8]);
        assert_eq!(stepped(&back), None);
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

    /// Budgets kept exactly to the rule have no spread: a move of 2% from it, once or for
    /// good, is no step (without a floor to the spread it would be infinitely clear).
    #[test]
    fn a_small_move_from_budgets_exactly_at_the_rule_is_no_step() {
        let mut once = vec![0.0; 12];
        once.push(0.02);
        once.extend([0.0; 5]);
        assert_eq!(placed(&once, 10), 10);
        let mut held = vec![0.0; 12];
        held.extend([0.02; 6]);
        assert_eq!(placed(&held, 10), 10);
    }
}
