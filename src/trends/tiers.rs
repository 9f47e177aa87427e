//! Influence tiers over the series and over windows of sprints: each tier's share of
//! people and of squads against its share of candidates, with intervals, and how its
//! experiments fared.

use std::collections::BTreeSet;

use super::access::{Event, gap};
use super::emergence::median;
use super::influence::{Ranking, TIER_LABELS};
use super::rows::{InfluenceTier, Window};
use super::sample::Sample;
use super::stats::{Draws, round4, wilson};

/// The four tiers over sprints `range` (shares of people averaged over those sprints),
/// for the events that began in them.
pub fn tiers(
    range: std::ops::Range<usize>,
    rankings: &[Ranking],
    events: &[&Event],
) -> Vec<InfluenceTier> {
    let sprints = range.len().max(1) as f64;
    let candidates = events.iter().filter(|e| e.candidate()).count();
    let last = range.end.saturating_sub(1);
    (1..=4u8)
        .map(|rank| {
            let t = usize::from(rank) - 1;
            let people_share: f64 = rankings[range.clone()]
                .iter()
                .map(|r| r.people_share[t])
                .sum::<f64>()
                / sprints;
            let squad_share: f64 = rankings[range.clone()]
                .iter()
                .map(|r| r.squad_share[t])
                .sum::<f64>()
                / sprints;
            let mine: Vec<&&Event> = events.iter().filter(|e| e.tier == rank).collect();
            let originated = mine.iter().filter(|e| e.candidate()).count();
            let mut times: Vec<u32> = mine.iter().filter_map(|e| e.to_candidate).collect();
            let share = if candidates == 0 {
                0.0
            } else {
                originated as f64 / candidates as f64
            };
            let squads: BTreeSet<String> = rankings
                .get(last)
                .map(|r| {
                    r.squads
                        .iter()
                        .filter(|(_, p)| p.tier == rank)
                        .map(|(s, _)| s.clone())
                        .collect()
                })
                .unwrap_or_default();
            let interval = wilson(originated, candidates);
            InfluenceTier {
                rank,
                label: TIER_LABELS[t].to_owned(),
                squads: squads.into_iter().collect(),
                people_share: round4(people_share),
                squad_share: round4(squad_share),
                candidates: originated,
                candidate_share: round4(share),
                interval: [round4(interval[0]), round4(interval[1])],
                access_ratio: (candidates > 0 && people_share > 0.0)
                    .then(|| round4(share / people_share)),
                experiments: mine.len(),
                survived: originated,
                median_sprints_to_candidate: median(&mut times),
            }
        })
        .collect()
}

/// Sprints per window: at least three, and about six windows over the series.
pub fn window_length(sprints: usize) -> usize {
    sprints.div_ceil(6).max(3)
}

/// The series cut into consecutive windows, each with its gap and tiers.
pub fn windows(
    samples: &[Sample],
    rankings: &[Ranking],
    events: &[Event],
    draws: &mut Draws,
) -> Vec<Window> {
    let n = samples.len();
    let w = window_length(n);
    (0..n)
        .step_by(w)
        .map(|start| {
            let end = (start + w).min(n);
            let inside: Vec<&Event> = events
                .iter()
                .filter(|e| (start..end).contains(&e.sprint))
                .collect();
            let candidates: Vec<&Event> =
                inside.iter().copied().filter(|e| e.candidate()).collect();
            let g = gap(&candidates, rankings, draws);
            Window {
                first: samples[start].sprint.id.clone(),
                last: samples[end - 1].sprint.id.clone(),
                candidates: candidates.len(),
                gap: g.as_ref().map(|g| round4(g.gap)),
                interval: g.map(|g| [round4(g.interval[0]), round4(g.interval[1])]),
                tiers: tiers(start..end, rankings, &inside),
            }
        })
        .collect()
}
