//! Access: who originates candidates, against their standing before they began. Each
//! explored variant is an *event* at the sprint its exploration began, placed at its
//! first explorer's standing then; candidates are the events that became candidates.
//!
//! The figure the answer rests on is the *influence gap*: twice the mean standing of the
//! squads that originated candidates, less one. Were every person equally likely to
//! originate a candidate, the mean standing would be 0.5 and the gap 0; +1 would be every
//! candidate from the most influential person, -1 from the least.

use std::collections::BTreeMap;

use super::influence::Ranking;
use super::model::Journey;
use super::sample::Sample;
use super::stats::{Draws, quantile};

/// Resamples for the permutation test and the bootstrap interval.
pub const RESAMPLES: usize = 1000;

/// Resamples of a test read against a level near 1/1,000, where the 1,000 resamples of
/// the other tests are a coin flip: a part at p = 0.0007 went past one of them, and was
/// called `surfacing`, while one at p = 0.0017 went past none (10-sprint `turning` series
/// built by another hand, seeds 403 and 451). With 20,000 the p-value's standard error at
/// the level is about 0.0003.
const FINE_RESAMPLES: usize = 20_000;
/// Candidates times resamples such a test may draw: fewer resamples past 50 (never fewer
/// than [`RESAMPLES`]). It is only near its level on few: the null gap's standard
/// deviation is about 0.58/sqrt(n), so on 50 a gap at the margin already stands at
/// p = 0.0001, and on 100 at 1e-7, where 1,000 resamples tell as well as 20,000.
const FINE_DRAWS: usize = 1_000_000;

/// The resamples for a test of `n` candidates read against a level near 1/1,000.
pub fn fine_resamples(n: usize) -> usize {
    (FINE_DRAWS / n.max(1)).clamp(RESAMPLES, FINE_RESAMPLES)
}

/// One explored variant at the sprint its exploration began.
#[derive(Debug, Clone)]
pub struct Event {
    /// Sprint index its exploration began (its first candidacy when never explored).
    pub sprint: usize,
    pub squad: String,
    pub percentile: f64,
    pub tier: u8,
    /// Sprints from start to first candidacy, when it became a candidate.
    pub to_candidate: Option<u32>,
}

impl Event {
    pub fn candidate(&self) -> bool {
        self.to_candidate.is_some()
    }
}

/// The events of the series, by sprint then variant key. A variant catalogued before the
/// series is no event; one whose originator is unknown (no exploration run and no credit)
/// or not listed in its sprint is left out.
pub fn events(samples: &[Sample], journeys: &[Journey], rankings: &[Ranking]) -> Vec<Event> {
    let index: BTreeMap<&str, usize> = samples
        .iter()
        .enumerate()
        .map(|(i, s)| (s.sprint.id.as_str(), i))
        .collect();
    let at = |id: &Option<String>| id.as_deref().and_then(|i| index.get(i).copied());
    let mut events = Vec::new();
    for j in journeys.iter().filter(|j| !j.catalogued_before) {
        let candidate = at(&j.first_candidate);
        let Some(start) = at(&j.first_explored).or(candidate) else {
            continue;
        };
        let squad = samples[start]
            .first_explorer
            .get(&j.variant)
            .or(j.credited_origin.as_ref());
        let Some(squad) = squad else { continue };
        let Some(place) = rankings[start].squads.get(squad) else {
            continue;
        };
        events.push(Event {
            sprint: start,
            squad: squad.clone(),
            percentile: place.percentile,
            tier: place.tier,
            to_candidate: candidate.map(|c| c.saturating_sub(start) as u32),
        });
    }
    events.sort_by_key(|e| e.sprint);
    events
}

/// The influence gap of some candidates and what backs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub candidates: usize,
    pub gap: f64,
    /// 95% bootstrap percentile interval.
    pub interval: [f64; 2],
    /// One-sided permutation p-value against "every person equally likely": how often
    /// candidates drawn from random people reach a gap this large.
    pub p_value: f64,
    /// Share of candidates from the less influential half of people, and the share
    /// expected were every person equally likely.
    pub lower_half: f64,
    pub lower_half_expected: f64,
    /// One-sided permutation p-value: how often candidates drawn from random people
    /// leave the less influential half this few.
    pub lower_half_p: f64,
}

impl Gap {
    /// The less influential half's access: its share of candidates over its share of
    /// people (1 = in proportion, 0 = none); absent when it has no people.
    pub fn lower_access(&self) -> Option<f64> {
        (self.lower_half_expected > 0.0).then(|| self.lower_half / self.lower_half_expected)
    }
}

/// The gap of `candidates` (events that became candidates), `None` when there are none.
pub fn gap(candidates: &[&Event], rankings: &[Ranking], draws: &mut Draws) -> Option<Gap> {
    gap_with(candidates, rankings, RESAMPLES, draws)
}

/// [`gap`] with `resamples` resamples: a test at a level near 1/[`RESAMPLES`] needs more
/// to tell a p-value of 0.0005 from one of 0.002.
pub fn gap_with(
    candidates: &[&Event],
    rankings: &[Ranking],
    resamples: usize,
    draws: &mut Draws,
) -> Option<Gap> {
    let n = candidates.len();
    if n == 0 {
        return None;
    }
    let mean = |sum: f64| 2.0 * sum / n as f64 - 1.0;
    let observed: f64 = candidates.iter().map(|e| e.percentile).sum();
    let gap = mean(observed);
    let mut boot: Vec<f64> = (0..resamples)
        .map(|_| mean((0..n).map(|_| candidates[draws.below(n)].percentile).sum()))
        .collect();
    boot.sort_by(f64::total_cmp);
    let lower = candidates.iter().filter(|e| e.percentile < 0.5).count();
    let (mut as_large, mut as_few) = (0, 0);
    for _ in 0..resamples {
        let (mut sum, mut below) = (0.0, 0);
        for p in candidates
            .iter()
            .filter_map(|e| rankings[e.sprint].draw(draws.next()))
        {
            sum += p.percentile;
            below += usize::from(p.percentile < 0.5);
        }
        // A tolerance so that a tie with the observed sum, up to rounding, counts.
        as_large += usize::from(sum >= observed - 1e-9);
        as_few += usize::from(below <= lower);
    }
    let expected: f64 = candidates
        .iter()
        .map(|e| {
            let r = &rankings[e.sprint];
            let people = r.people().max(1) as f64;
            r.squads
                .values()
                .filter(|p| p.percentile < 0.5)
                .map(|p| p.headcount as f64 / people)
                .sum::<f64>()
        })
        .sum();
    Some(Gap {
        candidates: n,
        gap,
        interval: [quantile(&boot, 0.025), quantile(&boot, 0.975)],
        p_value: (1 + as_large) as f64 / (1 + resamples) as f64,
        lower_half: lower as f64 / n as f64,
        lower_half_expected: expected / n as f64,
        lower_half_p: (1 + as_few) as f64 / (1 + resamples) as f64,
    })
}

/// The sprint where the candidates' standing changed most, when the change is beyond
/// chance: (first sprint of the later part, p-value). Candidates are `events` in sprint
/// order; each part keeps at least `min_part` of them. The statistic is the difference of
/// the parts' mean standing scaled by sqrt(1/n1 + 1/n2), maximised over splits; its
/// p-value comes from shuffling the standings over the same sprints.
pub fn change(candidates: &[&Event], min_part: usize, draws: &mut Draws) -> Option<(usize, f64)> {
    let n = candidates.len();
    if n < 2 * min_part {
        return None;
    }
    let sprints: Vec<usize> = candidates.iter().map(|e| e.sprint).collect();
    let best = |values: &[f64]| -> Option<(usize, f64)> {
        let total: f64 = values.iter().sum();
        let mut before = 0.0;
        let mut best: Option<(usize, f64)> = None;
        for i in 1..n {
            before += values[i - 1];
            // Split only between sprints, never inside one.
            if sprints[i] == sprints[i - 1] || i < min_part || n - i < min_part {
                continue;
            }
            let (n1, n2) = (i as f64, (n - i) as f64);
            let d = ((total - before) / n2 - before / n1).abs() / (1.0 / n1 + 1.0 / n2).sqrt();
            if best.is_none_or(|(_, b)| d > b) {
                best = Some((i, d));
            }
        }
        best
    };
    let mut values: Vec<f64> = candidates.iter().map(|e| e.percentile).collect();
    let (split, observed) = best(&values)?;
    let mut as_large = 0;
    for _ in 0..RESAMPLES {
        for i in (1..n).rev() {
            values.swap(i, draws.below(i + 1));
        }
        if best(&values).is_some_and(|(_, d)| d >= observed - 1e-12) {
            as_large += 1;
        }
    }
    let p = (1 + as_large) as f64 / (1 + RESAMPLES) as f64;
    Some((sprints[split], p))
}

/// Sprints an experiment is followed before its survival counts: one begun later may
/// still become a candidate, so it is left out rather than counted as faded.
pub const FOLLOWED: usize = 4;

/// How experiments fared by half of the organisation: of those begun in the less and
/// the more influential half, how many became candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct Survival {
    pub lower: (usize, usize),
    pub upper: (usize, usize),
    /// One-sided permutation p-value: how often shuffling which experiments became
    /// candidates leaves the lower half's rate this far below the upper half's.
    pub p_value: f64,
}

impl Survival {
    fn rate((k, n): (usize, usize)) -> f64 {
        if n == 0 { 0.0 } else { k as f64 / n as f64 }
    }

    /// The lower half's survival rate over the upper half's; absent when the upper half
    /// had no experiment that became a candidate.
    pub fn ratio(&self) -> Option<f64> {
        let upper = Self::rate(self.upper);
        (upper > 0.0 && self.lower.1 > 0).then(|| Self::rate(self.lower) / upper)
    }

    /// Experiments followed long enough to tell whether they faded.
    pub fn followed(&self) -> usize {
        self.lower.1 + self.upper.1
    }
}

/// Survival of the experiments begun at least [`FOLLOWED`] sprints before the end of
/// `sprints` sprints.
pub fn survival(events: &[Event], sprints: usize, draws: &mut Draws) -> Survival {
    let followed: Vec<(bool, bool)> = events
        .iter()
        .filter(|e| e.sprint + FOLLOWED < sprints)
        .map(|e| (e.percentile < 0.5, e.candidate()))
        .collect();
    let tally = |lower: bool, flags: &mut dyn Iterator<Item = (bool, bool)>| {
        flags
            .filter(|&(l, _)| l == lower)
            .fold((0, 0), |(k, n), (_, c)| (k + usize::from(c), n + 1))
    };
    let lower = tally(true, &mut followed.iter().copied());
    let upper = tally(false, &mut followed.iter().copied());
    let difference = |l: (usize, usize), u: (usize, usize)| Survival::rate(u) - Survival::rate(l);
    let observed = difference(lower, upper);
    let mut outcomes: Vec<bool> = followed.iter().map(|f| f.1).collect();
    let mut as_large = 0;
    for _ in 0..RESAMPLES {
        for i in (1..outcomes.len()).rev() {
            outcomes.swap(i, draws.below(i + 1));
        }
        let mut shuffled = followed.iter().zip(&outcomes).map(|(f, &c)| (f.0, c));
        let l = tally(true, &mut shuffled);
        let mut shuffled = followed.iter().zip(&outcomes).map(|(f, &c)| (f.0, c));
        let u = tally(false, &mut shuffled);
        as_large += usize::from(difference(l, u) >= observed - 1e-12);
    }
    Survival {
        lower,
        upper,
        p_value: (1 + as_large) as f64 / (1 + RESAMPLES) as f64,
    }
}

/// A test of "whether an experiment became a candidate depended on which squad ran it",
/// blind to any measure of influence: where budgets stay even, capacity cannot say who
/// the influential squads are, yet their experiments alone reaching the threshold shows
/// as survival that differs by squad. The statistic is Pearson's chi-square of the
/// squads' followed experiments (became a candidate or not); its p-value comes from
/// shuffling which experiments became candidates. Absent (1.0) when every followed
/// experiment fared alike.
pub fn squad_fade(events: &[Event], sprints: usize, draws: &mut Draws) -> f64 {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let followed: Vec<(usize, bool)> = events
        .iter()
        .filter(|e| e.sprint + FOLLOWED < sprints)
        .map(|e| {
            let next = index.len();
            (
                *index.entry(e.squad.as_str()).or_insert(next),
                e.candidate(),
            )
        })
        .collect();
    let n = followed.len();
    let k = followed.iter().filter(|f| f.1).count();
    if n == 0 || k == 0 || k == n || index.len() < 2 {
        return 1.0;
    }
    let mut sizes = vec![0usize; index.len()];
    for &(s, _) in &followed {
        sizes[s] += 1;
    }
    let rate = k as f64 / n as f64;
    let chi = |outcome: &[bool], counts: &mut Vec<usize>| -> f64 {
        counts.iter_mut().for_each(|c| *c = 0);
        for (&(s, _), &c) in followed.iter().zip(outcome) {
            counts[s] += usize::from(c);
        }
        counts
            .iter()
            .zip(&sizes)
            .map(|(&c, &m)| {
                let e = m as f64 * rate;
                (c as f64 - e).powi(2) / (e * (1.0 - rate))
            })
            .sum()
    };
    let mut outcome: Vec<bool> = followed.iter().map(|f| f.1).collect();
    let mut counts = vec![0usize; index.len()];
    let observed = chi(&outcome, &mut counts);
    let mut as_large = 0;
    for _ in 0..RESAMPLES {
        for i in (1..n).rev() {
            outcome.swap(i, draws.below(i + 1));
        }
        as_large += usize::from(chi(&outcome, &mut counts) >= observed - 1e-9);
    }
    (1 + as_large) as f64 / (1 + RESAMPLES) as f64
}

#[cfg(test)]
mod tests {
    use super::fine_resamples;

    /// All 20,000 on the few candidates where the level is close, fewer on many.
    #[test]
    fn many_candidates_take_fewer_resamples() {
        assert_eq!(fine_resamples(10), 20_000);
        assert_eq!(fine_resamples(50), 20_000);
        assert_eq!(fine_resamples(100), 10_000);
        assert_eq!(fine_resamples(5_000), 1_000);
    }
}
