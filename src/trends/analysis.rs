//! The series analysed: samples in sprint order in, the trends report out. Pure: the
//! same samples give the same report.

use std::collections::{BTreeMap, BTreeSet};

use crate::limits::Limits;

use super::access::{Event, events};
use super::answer::answer;
use super::assess::Context;
use super::credit::{captures, topup_concentration, without_origin};
use super::emergence::{SprintEmergence, emergence};
use super::equity::{credit_mismatches, quartile_of, quartiles};
use super::influence::Ranking;
use super::influence::{Measure, rankings};
use super::model::{Answer, CreditCapture, Journey, REPORT_FORMAT, Report};
use super::pack_history::pack_history;
use super::rows::{InfluenceTier, SprintRow, Window};
use super::sample::Sample;
use super::stats::{Draws, seed_of};
use super::tiers::{tiers, windows};
use super::verdicts::{Inputs, verdicts};

/// The report on `samples`, which are in sprint order.
pub fn analyse(samples: &[Sample], limits: Limits) -> Report {
    let mut emergence = emergence(samples);
    let squads = quartile_of(samples);
    place_origins(&mut emergence.journeys, &squads);
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
    let sprints = sprint_rows(samples, emergence.sprints);
    let credit_captures = captures(samples, &journeys);
    let catalog_without_origin = without_origin(samples);
    let influence = influence(
        samples,
        &journeys,
        &credit_captures,
        &catalog_without_origin,
    );
    let verdicts = verdicts(&Inputs {
        answer: &influence.answer,
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
        answer: influence.answer,
        credit_captures,
        catalog_without_origin,
        influence_tiers: influence.tiers,
        windows: influence.windows,
    }
}

/// Each journey's credited origin placed in its capacity quartile.
fn place_origins(journeys: &mut [Journey], squads: &BTreeMap<String, (u8, u64)>) {
    for j in journeys {
        j.origin_quartile = j
            .credited_origin
            .as_ref()
            .and_then(|s| squads.get(s))
            .map(|&(rank, _)| rank);
    }
}

/// One row per sprint: the snapshot's figures and what emerged in it.
fn sprint_rows(samples: &[Sample], emerged: Vec<SprintEmergence>) -> Vec<SprintRow> {
    samples
        .iter()
        .zip(emerged)
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
        .collect()
}

/// The answer, and the influence tiers and windows under the measure it rests on.
struct Influence {
    answer: Answer,
    tiers: Vec<InfluenceTier>,
    windows: Vec<Window>,
}

/// Who originated candidates against their influence, under each measure; the draws
/// are taken in this order (answer, then windows), so the same samples give the same
/// figures.
fn influence(
    samples: &[Sample],
    journeys: &[Journey],
    captures: &[CreditCapture],
    without_origin: &[String],
) -> Influence {
    let measures = [Measure::Capacity, Measure::Privilege, Measure::Size];
    let ranked: Vec<Vec<Ranking>> = measures.iter().map(|&m| rankings(samples, m)).collect();
    let placed: Vec<Vec<Event>> = ranked
        .iter()
        .map(|r| events(samples, journeys, r))
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
            captures,
            without_origin,
        })
        .collect();
    let (answer, chosen) = answer(&contexts, &mut draws);
    let (rankings, events) = (&ranked[chosen], &placed[chosen]);
    let all: Vec<&Event> = events.iter().collect();
    Influence {
        answer,
        tiers: tiers(0..samples.len(), rankings, &all),
        windows: windows(samples, rankings, events, &mut draws),
    }
}
