//! Influence measured before the outcome it is blamed for: in each sprint, people ranked
//! by their squad's influence in the sprint before (the sprint itself for the first):
//! its capacity less the credits that capacity carried from promotions (credits are the
//! reward, not the influence), that capacity over the rule's entitlement, or its
//! headcount ([`Measure`]). A squad's standing is its people's mid-rank percentile, so
//! squads ranked equal share one standing and an organisation of equals sits in the
//! middle.

use std::collections::BTreeMap;

use super::sample::Sample;

/// The influence tiers' labels, most influential quarter of people first.
pub const TIER_LABELS: [&str; 4] = ["top", "upper-middle", "lower-middle", "bottom"];

/// One squad's standing in a sprint.
#[derive(Debug, Clone)]
pub struct Place {
    pub headcount: u64,
    /// Share of the organisation's people in less influential squads, plus half of
    /// those in squads as influential as this one (itself included): 0.5 on average
    /// over people, whatever the spread of capacity.
    pub percentile: f64,
    /// 1 (percentile ≥ 0.75) to 4 (below 0.25).
    pub tier: u8,
}

/// A sprint's people ranked by influence.
#[derive(Debug, Clone, Default)]
pub struct Ranking {
    pub squads: BTreeMap<String, Place>,
    /// Cumulative headcount over `order`, for drawing a person at random.
    cumulative: Vec<u64>,
    order: Vec<String>,
    /// Each tier's share of people and of squads.
    pub people_share: [f64; 4],
    pub squad_share: [f64; 4],
}

impl Ranking {
    /// The standing of a person drawn at random (each person equally likely).
    pub fn draw(&self, r: u64) -> Option<&Place> {
        let total = *self.cumulative.last()?;
        if total == 0 {
            return None;
        }
        let person = r % total;
        let i = self.cumulative.partition_point(|&c| c <= person);
        self.squads.get(&self.order[i])
    }

    pub fn people(&self) -> u64 {
        self.cumulative.last().copied().unwrap_or(0)
    }
}

/// Tier of a percentile: the top quarter of people is tier 1.
pub fn tier(percentile: f64) -> u8 {
    match percentile {
        p if p >= 0.75 => 1,
        p if p >= 0.5 => 2,
        p if p >= 0.25 => 3,
        _ => 4,
    }
}

/// Tokens credited to each squad in one sprint (`credit` and `co-credit`), which the
/// handbook's allocation adds to the next sprint's baseline.
fn credits(sample: &Sample) -> BTreeMap<&str, u64> {
    let mut by_squad = BTreeMap::new();
    for c in &sample.credits {
        *by_squad.entry(c.squad.as_str()).or_default() += c.tokens;
    }
    by_squad
}

/// What ranks squads by influence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Capacity: what a squad can afford, however it got it.
    Capacity,
    /// Privilege: capacity over what the allocation rule entitles its headcount to,
    /// averaged over the sprints so far (top-ups beyond need, budgets below the rule),
    /// in steps of 5%, so a single top-up does not reorder the organisation.
    Privilege,
    /// Size: a squad's headcount. By the allocation rule a larger squad gets a larger
    /// budget until the rule's cap, where squads of every size above it tie on capacity:
    /// size still tells them apart.
    Size,
}

/// Every sprint's ranking, in sprint order: sprint k's squads and headcounts, ranked by
/// `measure` in sprint k-1 (sprint 0: its own), capacity less the credits of the sprint
/// before it.
pub fn rankings(samples: &[Sample], measure: Measure) -> Vec<Ranking> {
    let credited: Vec<BTreeMap<&str, u64>> = samples.iter().map(credits).collect();
    let free = |r: usize, squad: &str| -> Option<u64> {
        let capacity = samples[r].capacity.get(squad).copied()?;
        let carried = r
            .checked_sub(1)
            .and_then(|p| credited[p].get(squad).copied())
            .unwrap_or(0);
        Some(capacity.saturating_sub(carried))
    };
    // Per squad, the running sum of capacity over entitlement, in hundredths.
    let mut privilege: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut running: Vec<BTreeMap<&str, u64>> = Vec::with_capacity(samples.len());
    for (r, sample) in samples.iter().enumerate() {
        for squad in sample.headcount.keys() {
            let entitled = sample.entitled.get(squad).copied().unwrap_or(0);
            let ratio = match (free(r, squad), entitled) {
                (Some(c), e) if e > 0 => (c as u128 * 100 / e as u128) as u64,
                _ => 100,
            };
            let e = privilege.entry(squad.as_str()).or_default();
            e.0 += ratio;
            e.1 += 1;
        }
        running.push(
            privilege
                .iter()
                .map(|(s, &(sum, n))| (*s, sum / n / 5))
                .collect(),
        );
    }
    (0..samples.len())
        .map(|k| {
            let reference = k.saturating_sub(1);
            let influence = |squad: &str| -> u64 {
                match measure {
                    Measure::Capacity => free(reference, squad).or_else(|| free(k, squad)),
                    Measure::Privilege => running[reference]
                        .get(squad)
                        .or_else(|| running[k].get(squad))
                        .copied(),
                    Measure::Size => samples[reference]
                        .headcount
                        .get(squad)
                        .or_else(|| samples[k].headcount.get(squad))
                        .copied(),
                }
                .unwrap_or(0)
            };
            let squads: Vec<(&str, u64, u64)> = samples[k]
                .headcount
                .iter()
                .filter(|&(_, &h)| h > 0)
                .map(|(s, &h)| (s.as_str(), h, influence(s)))
                .collect();
            rank(&squads)
        })
        .collect()
}

/// Ranks (squad, headcount, influence) triples.
fn rank(squads: &[(&str, u64, u64)]) -> Ranking {
    let total: u64 = squads.iter().map(|s| s.1).sum();
    if total == 0 {
        return Ranking::default();
    }
    let mut by_influence = squads.to_vec();
    by_influence.sort_by_key(|s| (s.2, s.0));
    let mut out = Ranking::default();
    let mut below = 0u64;
    let mut i = 0;
    while i < by_influence.len() {
        let j = i + by_influence[i..]
            .iter()
            .take_while(|s| s.2 == by_influence[i].2)
            .count();
        let tied: u64 = by_influence[i..j].iter().map(|s| s.1).sum();
        let percentile = (below as f64 + tied as f64 / 2.0) / total as f64;
        for &(squad, headcount, _) in &by_influence[i..j] {
            let t = tier(percentile);
            out.people_share[usize::from(t) - 1] += headcount as f64 / total as f64;
            out.squad_share[usize::from(t) - 1] += 1.0 / squads.len() as f64;
            out.squads.insert(
                squad.to_owned(),
                Place {
                    headcount,
                    percentile,
                    tier: t,
                },
            );
        }
        below += tied;
        i = j;
    }
    let mut running = 0;
    for (squad, place) in &out.squads {
        running += place.headcount;
        out.cumulative.push(running);
        out.order.push(squad.clone());
    }
    out
}
