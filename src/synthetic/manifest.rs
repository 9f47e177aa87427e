//! `series.json`, written beside a generated series: what the generator planted, so a
//! test (or a reader) can check what `bursar trends` finds against the truth.

use serde::Serialize;

use super::planted::NO_ORIGIN;
use super::scenario::top_quartile;
use super::series::Series;
use super::sprint::date;

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = "series.json";

#[derive(Serialize)]
struct Manifest<'a> {
    scenario: &'static str,
    seed: u64,
    runs: u64,
    sprints: Vec<SprintEntry>,
    /// The largest quarter of the squads (by headcount when the series starts), where
    /// `entrenched` concentrates capacity.
    largest_squads: Vec<&'a str>,
    variants: Vec<Journey<'a>>,
    credit_mismatches: Vec<Mismatch<'a>>,
    planted: Planted<'a>,
}

/// What the scenario planted, for `bursar trends` to find.
#[derive(Serialize)]
struct Planted<'a> {
    /// The answer trends should give: `surfacing`, `entrenching` or `inconclusive`.
    verdict: &'static str,
    /// The sprint the organisation changed course (`turning`), else `null`.
    since: Option<&'a str>,
    /// Variants explored first by one squad and credited to another (`capture`).
    credit_captures: Vec<Capture<'a>>,
    /// Variants whose catalog entry records no origin squad (`no-origin`).
    catalog_without_origin: Vec<String>,
}

#[derive(Serialize)]
struct Capture<'a> {
    variant: String,
    explored_by: &'a str,
    explored_in: &'a str,
    credited: &'a str,
    credited_in: &'a str,
}

#[derive(Serialize)]
struct SprintEntry {
    sprint: String,
    file: String,
    start: String,
    end: String,
}

/// One experiment's path through the series; sprints past its end are `null`.
#[derive(Serialize)]
struct Journey<'a> {
    variant: String,
    /// The squad that ran it first in every sprint it was explored.
    origin_squad: &'a str,
    first_run: &'a str,
    first_candidate: Option<&'a str>,
    promoted_in: Option<&'a str>,
    /// What its catalog entry names as `origin_squad`.
    recorded_origin: Option<&'a str>,
    sunset: Option<&'a str>,
}

#[derive(Serialize)]
struct Mismatch<'a> {
    variant: String,
    true_origin: &'a str,
    recorded_origin: &'a str,
    promoted_in: &'a str,
}

/// `series.json` ([`MANIFEST`]) of `series`: the files and every variant's journey and
/// planted credit mismatch, the truth `trends` is tested against, as pretty JSON with a
/// final newline. A function here rather than a method of `Series`, so `series.rs` does
/// not import this file back.
pub fn manifest(series: &Series) -> Vec<u8> {
    let n = series.len();
    let world = series.world(0);
    let squad = |i: usize| world.squads[i].id.as_str();
    let within = |k: Option<usize>| k.filter(|&k| k < n).map(|k| series.sprint_id(k));
    let key = |v: usize| {
        let v = &world.variants[v];
        format!("{}/{}", world.families[v.family].name, v.name)
    };
    let sprints = (0..n)
        .map(|k| {
            let days = series.world(k).start_days;
            SprintEntry {
                sprint: series.sprint_id(k).to_owned(),
                file: series.file_name(k),
                start: date(days),
                end: date(days + super::sprint::DAYS - 1),
            }
        })
        .collect();
    let variants = series
        .experiments
        .iter()
        .map(|e| Journey {
            variant: key(e.variant),
            origin_squad: squad(e.home),
            first_run: series.sprint_id(e.appeared),
            first_candidate: within(e.candidate),
            promoted_in: within(e.promoted),
            recorded_origin: within(e.promoted)
                .and_then(|_| world.squads.get(e.recorded_origin))
                .map(|s| s.id.as_str()),
            sunset: within(e.sunset),
        })
        .collect();
    // A mismatch is against the squad credited, which a captor is in place of the home.
    let credited = |e: &super::experiments::Experiment| e.credited(e.candidate.unwrap_or(0));
    let credit_mismatches = series
        .experiments
        .iter()
        .filter(|e| e.recorded_origin != credited(e) && e.recorded_origin != NO_ORIGIN)
        .filter_map(|e| {
            Some(Mismatch {
                variant: key(e.variant),
                true_origin: squad(credited(e)),
                recorded_origin: squad(e.recorded_origin),
                promoted_in: within(e.promoted)?,
            })
        })
        .collect();
    let credit_captures = series
        .experiments
        .iter()
        .filter_map(|e| {
            let k = e.candidate.filter(|&k| k < n)?;
            (credited(e) != e.home).then(|| Capture {
                variant: key(e.variant),
                explored_by: squad(e.home),
                explored_in: series.sprint_id(e.appeared),
                credited: squad(credited(e)),
                credited_in: series.sprint_id(k),
            })
        })
        .collect();
    let catalog_without_origin = series
        .experiments
        .iter()
        .filter(|e| e.recorded_origin == NO_ORIGIN && within(e.promoted).is_some())
        .map(|e| key(e.variant))
        .collect();
    let planted = Planted {
        verdict: series.scenario.planted(),
        since: series.scenario.turn(n).map(|t| series.sprint_id(t)),
        credit_captures,
        catalog_without_origin,
    };
    let manifest = Manifest {
        planted,
        scenario: series.scenario.as_str(),
        seed: series.options.seed,
        runs: series.options.runs,
        sprints,
        largest_squads: (0..top_quartile(world.squads.len())).map(squad).collect(),
        variants,
        credit_mismatches,
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    bytes.push(b'\n');
    bytes
}
