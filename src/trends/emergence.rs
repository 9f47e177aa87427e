//! Emergence: each variant's journey from exploration to candidate to catalog, the
//! per-sprint counts of that flow, and the funnel over the series.

use std::collections::BTreeSet;

use super::model::{Funnel, Journey};
use super::sample::Sample;

/// One sprint's emergence figures (the matching fields of a sprint row).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SprintEmergence {
    pub variants_explored: usize,
    pub new_candidates: usize,
    pub candidates_not_promoted: usize,
    pub median_sprints_to_candidate: Option<f64>,
    pub entered_catalog: usize,
}

/// Journeys (sorted by key, `origin_quartile` not yet set), per-sprint figures, funnel.
pub struct Emergence {
    pub journeys: Vec<Journey>,
    pub sprints: Vec<SprintEmergence>,
    pub funnel: Funnel,
}

/// Follows every variant key through the samples, which are in sprint order.
pub fn emergence(samples: &[Sample]) -> Emergence {
    let keys: BTreeSet<&str> = samples
        .iter()
        .flat_map(|s| s.variants.keys().chain(s.catalog.keys()))
        .map(String::as_str)
        .collect();
    let mut journeys = Vec::with_capacity(keys.len());
    let mut candidate_at = Vec::with_capacity(keys.len());
    let mut entered_at = Vec::with_capacity(keys.len());
    for key in keys {
        let (journey, candidate, entered) = journey(key, samples);
        journeys.push(journey);
        candidate_at.push(candidate);
        entered_at.push(entered);
    }
    let sprints = samples
        .iter()
        .enumerate()
        .map(|(i, sample)| {
            let mut new = Vec::new();
            let mut backlog = 0;
            for (j, journey) in journeys.iter().enumerate() {
                match candidate_at[j] {
                    Some(c) if c == i => new.extend(journey.sprints_to_candidate),
                    _ => {}
                }
                if candidate_at[j].is_some_and(|c| c <= i)
                    && !sample.catalog.contains_key(&journey.variant)
                {
                    backlog += 1;
                }
            }
            SprintEmergence {
                variants_explored: sample
                    .variants
                    .values()
                    .filter(|u| u.exploration_runs > 0)
                    .count(),
                new_candidates: candidate_at.iter().filter(|&&c| c == Some(i)).count(),
                candidates_not_promoted: backlog,
                median_sprints_to_candidate: median(&mut new),
                entered_catalog: entered_at.iter().filter(|&&e| e == Some(i)).count(),
            }
        })
        .collect();
    // Variants already catalogued before the series emerged before it: not in the funnel.
    let explored: Vec<&Journey> = journeys
        .iter()
        .filter(|j| j.first_explored.is_some() && !j.catalogued_before)
        .collect();
    let funnel = Funnel {
        explored: explored.len(),
        used_in_two_sprints: explored
            .iter()
            .filter(|j| j.sprints_used.len() >= 2)
            .count(),
        candidate: explored
            .iter()
            .filter(|j| j.first_candidate.is_some())
            .count(),
        in_catalog: explored
            .iter()
            .filter(|j| j.entered_catalog.is_some())
            .count(),
        kept: explored.iter().filter(|j| j.kept).count(),
    };
    Emergence {
        journeys,
        sprints,
        funnel,
    }
}

/// One key's journey, the sprint index of its first candidacy, and of its entry into the
/// catalog when that happened within the series.
fn journey(key: &str, samples: &[Sample]) -> (Journey, Option<usize>, Option<usize>) {
    let mut explored = None;
    let mut used = Vec::new();
    let mut first_used = None;
    let mut candidate = None;
    let mut listed = None;
    let mut sunset = None;
    let mut sunset_recommended = None;
    let mut promoted_in = None;
    let mut catalog_origin = None;
    let mut was_standard = false;
    for (i, s) in samples.iter().enumerate() {
        if let Some(u) = s.variants.get(key) {
            if u.runs > 0 {
                used.push(s.sprint.id.clone());
                first_used.get_or_insert(i);
            }
            if u.exploration_runs > 0 {
                explored.get_or_insert(i);
            }
        }
        if s.candidates.contains_key(key) {
            candidate.get_or_insert(i);
        }
        let entry = s.catalog.get(key);
        if let Some(entry) = entry {
            listed.get_or_insert(i);
            promoted_in = entry.promoted_in.clone().or(promoted_in);
            catalog_origin = entry.origin_squad.clone().or(catalog_origin);
        }
        // Sunset: standard in one sprint, deprecated or gone in a later one.
        let standard = entry.is_some_and(|e| e.standard);
        if was_standard && !standard && sunset.is_none() {
            sunset = Some(i);
        }
        was_standard |= standard;
        if s.sunset.contains(key) {
            sunset_recommended.get_or_insert(i);
        }
    }
    let first = &samples[0];
    // Listed in the first sprint and promoted before it: it emerged before the series.
    let catalogued_before = listed == Some(0)
        && first
            .catalog
            .get(key)
            .is_some_and(|e| e.promoted_in.as_deref() != Some(first.sprint.id.as_str()));
    let kept = samples
        .last()
        .and_then(|s| s.catalog.get(key))
        .is_some_and(|e| e.standard);
    let start = explored.or(first_used);
    let sprints_to_candidate = candidate.map(|c| c.saturating_sub(start.unwrap_or(c)) as u32);
    let credited_origin = candidate.and_then(|c| credited_origin(key, &samples[c]));
    let id = |i: Option<usize>| i.map(|i| samples[i].sprint.id.clone());
    let family = key.split_once('/').map_or(key, |(w, _)| w).to_owned();
    let journey = Journey {
        variant: key.to_owned(),
        family,
        first_explored: id(explored),
        sprints_used: used,
        first_candidate: id(candidate),
        sprints_to_candidate,
        credited_origin,
        origin_quartile: None,
        entered_catalog: id(listed),
        promoted_in,
        catalog_origin,
        sunset: id(sunset),
        sunset_recommended: id(sunset_recommended),
        kept,
        catalogued_before,
    };
    let entered = listed.filter(|_| !catalogued_before);
    (journey, candidate, entered)
}

/// The squad credited as origin in a sprint where `key` was a candidate: its `credit`
/// decision, else the origin the promotion decision recorded.
fn credited_origin(key: &str, sample: &Sample) -> Option<String> {
    sample
        .credits
        .iter()
        .find(|c| c.origin && c.variant == key)
        .map(|c| c.squad.clone())
        .or_else(|| sample.candidates.get(key).cloned().flatten())
}

/// The median, the mean of the two middle values for an even count; `None` when empty.
pub fn median(values: &mut [u32]) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(values[n / 2])),
        _ => Some((f64::from(values[n / 2 - 1]) + f64::from(values[n / 2])) / 2.0),
    }
}
