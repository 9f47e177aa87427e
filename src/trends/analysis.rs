//! The series analysed: samples in sprint order in, the trends report out. Pure: the
//! same samples give the same report.

use std::collections::BTreeSet;

use crate::limits::Limits;

use super::access::{Event, events};
use super::answer::{Context, answer};
use super::credit::{captures, topup_concentration, without_origin};
use super::emergence::emergence;
use super::equity::{credit_mismatches, quartile_of, quartiles};
use super::influence::Ranking;
use super::influence::{Measure, rankings};
use super::model::{REPORT_FORMAT, Report, SprintRow};
use super::pack_history::pack_history;
use super::sample::Sample;
use super::stats::{Draws, seed_of};
use super::tiers::{tiers, windows};
use super::verdicts::{Inputs, verdicts};

/// The report on `samples`, which are in sprint order.
pub fn analyse(samples: &[Sample], limits: Limits) -> Report {
    let mut emergence = emergence(samples);
    let squads = quartile_of(samples);
    for j in &mut emergence.journeys {
        j.origin_quartile = j
            .credited_origin
            .as_ref()
            .and_then(|s| squads.get(s))
            .map(|&(rank, _)| rank);
    }
    let journeys = emergence.journeys;
    let quartiles = quartiles(samples, &squads, &journeys);
    let originating_squads: Vec<String> = journeys
        .iter()
        .filter_map(|j| j.credited_origin.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let credit_mismatches = credit_mismatches(samples, &journeys);
    let pack = pack_history(samples);
    let sprints: Vec<SprintRow> = samples
        .iter()
        .zip(emergence.sprints)
        .map(|(s, e)| SprintRow {
            sprint: s.sprint.id.clone(),
            start: s.sprint.start.clone(),
            end: s.sprint.end.clone(),
            path: s.path.clone(),
            snapshot_sha256: s.snapshot_sha256.clone(),
            pack_sha256: s.pack_sha256.clone(),
            squads: s.capacity.len(),
            variants_explored: e.variants_explored,
            new_candidates: e.new_candidates,
            candidates_not_promoted: e.candidates_not_promoted,
            median_sprints_to_candidate: e.median_sprints_to_candidate,
            entered_catalog: e.entered_catalog,
            exploration_tokens_by_family: s.exploration_tokens_by_family.clone(),
            untagged_exploration_tokens: s.untagged_exploration_tokens,
            health: s.health.clone(),
        })
        .collect();
    let credit_captures = captures(samples, &journeys);
    let catalog_without_origin = without_origin(samples);
    let measures = [Measure::Capacity, Measure::Privilege];
    let ranked: Vec<Vec<Ranking>> = measures.iter().map(|&m| rankings(samples, m)).collect();
    let placed: Vec<Vec<Event>> = ranked
        .iter()
        .map(|r| events(samples, &journeys, r))
        .collect();
    // Resampling seeded from the inputs: the same snapshots give the same report.
    let mut draws = Draws::new(seed_of(samples.iter().map(|s| s.snapshot_sha256.as_str())));
    let contexts: Vec<Context> = measures
        .iter()
        .zip(ranked.iter().zip(&placed))
        .map(|(&measure, (rankings, events))| Context {
            measure,
            samples,
            rankings,
            events,
            captures: &credit_captures,
            without_origin: &catalog_without_origin,
        })
        .collect();
    let (answer, chosen) = answer(&contexts, &mut draws);
    let (rankings, events) = (&ranked[chosen], &placed[chosen]);
    let all: Vec<&Event> = events.iter().collect();
    let influence_tiers = tiers(0..samples.len(), rankings, &all);
    let windows = windows(samples, rankings, events, &mut draws);
    let verdicts = verdicts(&Inputs {
        answer: &answer,
        captures: &credit_captures,
        without_origin: &catalog_without_origin,
        topups: topup_concentration(samples),
        sprints: &sprints,
        quartiles: &quartiles,
        pack: &pack,
        mismatches: &credit_mismatches,
        originating_squads: originating_squads.len(),
        squads: squads.len(),
    });
    Report {
        engine: format!("bursar {}", crate::ENGINE_VERSION),
        format: REPORT_FORMAT,
        org: samples.iter().rev().find_map(|s| s.org.clone()),
        limits,
        pack,
        sprints,
        journeys,
        funnel: emergence.funnel,
        quartiles,
        squads: squads.len(),
        originating_squads,
        credit_mismatches,
        verdicts,
        answer,
        credit_captures,
        catalog_without_origin,
        influence_tiers,
        windows,
    }
}
