//! Credit: variants captured (first explored by one squad, credited to another), catalog
//! entries that record no origin, and how granted top-ups gathered over the series.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{CreditCapture, Journey};
use super::sample::Sample;

/// Fewest granted top-ups over the series before their concentration is judged: one
/// approved grant is all of the top-ups, not a concentration.
pub const MIN_TOPUP_GRANTS: usize = 5;

/// Every variant whose first exploration run in the series was another squad's than the
/// one credited as its origin when it first became a candidate, by variant key.
pub fn captures(samples: &[Sample], journeys: &[Journey]) -> Vec<CreditCapture> {
    let index: BTreeMap<&str, usize> = samples
        .iter()
        .enumerate()
        .map(|(i, s)| (s.sprint.id.as_str(), i))
        .collect();
    journeys
        .iter()
        .filter_map(|j| {
            let credited = j.credited_origin.as_ref()?;
            let explored_in = j.first_explored.as_ref()?;
            let explorer = samples[*index.get(explored_in.as_str())?]
                .first_explorer
                .get(&j.variant)?;
            (explorer != credited).then(|| CreditCapture {
                variant: j.variant.clone(),
                explored_by: explorer.clone(),
                explored_in: explored_in.clone(),
                credited: credited.clone(),
                credited_in: j.first_candidate.clone().unwrap_or_default(),
            })
        })
        .collect()
}

/// Variant keys with a catalog entry in any sprint that records no origin squad.
pub fn without_origin(samples: &[Sample]) -> Vec<String> {
    let keys: BTreeSet<&String> = samples
        .iter()
        .flat_map(|s| &s.catalog)
        .filter(|(_, e)| {
            e.origin_squad
                .as_deref()
                .is_none_or(|o| o.trim().is_empty())
        })
        .map(|(k, _)| k)
        .collect();
    keys.into_iter().cloned().collect()
}

/// Granted top-ups over the series: (grants, largest single squad's share of the tokens,
/// that squad), the share absent when no tokens were granted.
pub fn topup_concentration(samples: &[Sample]) -> (usize, Option<(f64, String)>) {
    let mut tokens: BTreeMap<&str, u64> = BTreeMap::new();
    for (squad, t) in samples.iter().flat_map(|s| &s.topups) {
        *tokens.entry(squad.as_str()).or_default() += t;
    }
    let grants = samples.iter().map(|s| s.topup_grants).sum();
    let total: u64 = tokens.values().sum();
    let largest = tokens
        .iter()
        .max_by_key(|&(s, &t)| (t, std::cmp::Reverse(s)))
        .filter(|_| total > 0)
        .map(|(s, &t)| (t as f64 / total as f64, (*s).to_owned()));
    (grants, largest)
}
