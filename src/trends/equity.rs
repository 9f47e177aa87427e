//! Equity and trust: squads in capacity quartiles, each quartile's share of capacity
//! against its share of candidates originated and of credits, and catalog entries that
//! record another origin than the squad bursar credited.

use std::collections::{BTreeMap, BTreeSet};

use super::emergence::median;
use super::model::{CreditMismatch, Journey};
use super::rows::Quartile;
use super::sample::Sample;

pub const QUARTILE_LABELS: [&str; 4] = ["top", "upper-middle", "lower-middle", "bottom"];

/// Each squad's quartile (1 = top) by capacity summed over the series. Squads are ranked
/// by capacity, most first; a squad's quartile is 1 + ⌊4·r / n⌋ where r is the number of
/// squads with strictly more capacity, so squads with equal capacity share a quartile.
pub fn quartile_of(samples: &[Sample]) -> BTreeMap<String, (u8, u64)> {
    let mut capacity: BTreeMap<String, u64> = BTreeMap::new();
    for s in samples {
        for (squad, tokens) in &s.capacity {
            *capacity.entry(squad.clone()).or_default() += tokens;
        }
    }
    let n = capacity.len();
    let mut sorted: Vec<u64> = capacity.values().copied().collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    capacity
        .into_iter()
        .map(|(squad, tokens)| {
            let above = sorted.partition_point(|&c| c > tokens);
            let rank = 1 + (4 * above / n) as u8;
            (squad, (rank, tokens))
        })
        .collect()
}

/// The four quartiles, top first, with the journeys' `origin_quartile` already set.
pub fn quartiles(
    samples: &[Sample],
    squads: &BTreeMap<String, (u8, u64)>,
    journeys: &[Journey],
) -> Vec<Quartile> {
    let mut credit_tokens: BTreeMap<&str, u64> = BTreeMap::new();
    for c in samples.iter().flat_map(|s| &s.credits) {
        *credit_tokens.entry(c.squad.as_str()).or_default() += c.tokens;
    }
    let total_capacity: u64 = squads.values().map(|&(_, c)| c).sum();
    let total_credits: u64 = credit_tokens.values().sum();
    let originated: Vec<(u8, &str, Option<u32>)> = journeys
        .iter()
        .filter_map(|j| {
            let squad = j.credited_origin.as_deref()?;
            Some((j.origin_quartile?, squad, j.sprints_to_candidate))
        })
        .collect();
    let total_candidates = originated.len();
    (1..=4u8)
        .map(|rank| {
            let members: Vec<String> = squads
                .iter()
                .filter(|&(_, &(r, _))| r == rank)
                .map(|(s, _)| s.clone())
                .collect();
            let capacity: u64 = members.iter().map(|s| squads[s].1).sum();
            let credits: u64 = members
                .iter()
                .map(|s| credit_tokens.get(s.as_str()).copied().unwrap_or(0))
                .sum();
            let mine: Vec<_> = originated.iter().filter(|o| o.0 == rank).collect();
            let mut times: Vec<u32> = mine.iter().filter_map(|o| o.2).collect();
            let origins: BTreeSet<&str> = mine.iter().map(|o| o.1).collect();
            let capacity_share = share(capacity, total_capacity);
            let candidate_share = share(mine.len() as u64, total_candidates as u64);
            let credit_share = share(credits, total_credits);
            Quartile {
                rank,
                label: QUARTILE_LABELS[usize::from(rank) - 1].to_owned(),
                squads: members,
                capacity_tokens: capacity,
                capacity_share,
                candidates: mine.len(),
                candidate_share,
                credit_tokens: credits,
                credit_share,
                access_ratio: ratio(candidate_share, capacity_share, total_candidates as u64),
                credit_ratio: ratio(credit_share, capacity_share, total_credits),
                median_sprints_to_candidate: median(&mut times),
                originating_squads: origins.len(),
            }
        })
        .collect()
}

/// part / whole, 0 when the whole is 0.
fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// A share against the capacity share; absent when there is nothing to share or the
/// quartile has no capacity.
fn ratio(share: f64, capacity_share: f64, total: u64) -> Option<f64> {
    (total > 0 && capacity_share > 0.0).then(|| share / capacity_share)
}

/// Catalog entries whose recorded origin differs from the squad credited in the
/// variant's first candidate sprint, one per (variant, recorded origin), sorted.
pub fn credit_mismatches(samples: &[Sample], journeys: &[Journey]) -> Vec<CreditMismatch> {
    let mut found = Vec::new();
    for j in journeys {
        let (Some(credited), Some(credited_in)) = (&j.credited_origin, &j.first_candidate) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        for s in samples {
            let recorded = s
                .catalog
                .get(&j.variant)
                .and_then(|e| e.origin_squad.as_ref());
            if let Some(recorded) = recorded.filter(|r| *r != credited) {
                if seen.insert(recorded.clone()) {
                    found.push(CreditMismatch {
                        variant: j.variant.clone(),
                        credited_origin: credited.clone(),
                        credited_in: credited_in.clone(),
                        recorded_origin: recorded.clone(),
                        recorded_in: s.sprint.id.clone(),
                    });
                }
            }
        }
    }
    found
}
