//! `series.json`, written beside a generated series: what the generator planted, so a
//! test (or a reader) can check what `bursar trends` finds against the truth.

use serde::Serialize;

use super::experiments::Experiment;
use super::planted::NO_ORIGIN;
use super::scenario::top_quartile;
use super::series::Series;
use super::sprint::date;
use super::world::World;

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
    let names = Names {
        series,
        world: series.world(0),
    };
    let manifest = Manifest {
        planted: names.planted(),
        scenario: series.scenario.as_str(),
        seed: series.options.seed,
        runs: series.options.runs,
        sprints: sprints(series),
        largest_squads: (0..top_quartile(names.world.squads.len()))
            .map(|i| names.squad(i))
            .collect(),
        variants: names.journeys(),
        credit_mismatches: names.mismatches(),
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    bytes.push(b'\n');
    bytes
}

/// Every sprint's file and dates.
fn sprints(series: &Series) -> Vec<SprintEntry> {
    (0..series.len())
        .map(|k| {
            let days = series.world(k).start_days;
            SprintEntry {
                sprint: series.sprint_id(k).to_owned(),
                file: series.file_name(k),
                start: date(days),
                end: date(days + super::sprint::DAYS - 1),
            }
        })
        .collect()
}

/// How the manifest names squads, sprints and variants: as the first sprint's world does.
struct Names<'a> {
    series: &'a Series,
    world: &'a World,
}

impl<'a> Names<'a> {
    /// Squad `i`'s id.
    fn squad(&self, i: usize) -> &'a str {
        self.world.squads[i].id.as_str()
    }

    /// Sprint `k`'s id, when `k` is within the series.
    fn within(&self, k: Option<usize>) -> Option<&'a str> {
        let series = self.series;
        k.filter(|&k| k < series.len()).map(|k| series.sprint_id(k))
    }

    /// Variant `v` as `family/variant`.
    fn key(&self, v: usize) -> String {
        let v = &self.world.variants[v];
        format!("{}/{}", self.world.families[v.family].name, v.name)
    }

    /// Every experiment's path through the series.
    fn journeys(&self) -> Vec<Journey<'a>> {
        self.series
            .experiments
            .iter()
            .map(|e| Journey {
                variant: self.key(e.variant),
                origin_squad: self.squad(e.home),
                first_run: self.series.sprint_id(e.appeared),
                first_candidate: self.within(e.candidate),
                promoted_in: self.within(e.promoted),
                recorded_origin: self
                    .within(e.promoted)
                    .and_then(|_| self.world.squads.get(e.recorded_origin))
                    .map(|s| s.id.as_str()),
                sunset: self.within(e.sunset),
            })
            .collect()
    }

    /// The promoted variants whose catalog records another origin than the squad credited.
    fn mismatches(&self) -> Vec<Mismatch<'a>> {
        // A mismatch is against the squad credited, which a captor is in place of the home.
        self.series
            .experiments
            .iter()
            .filter(|e| e.recorded_origin != credited(e) && e.recorded_origin != NO_ORIGIN)
            .filter_map(|e| {
                Some(Mismatch {
                    variant: self.key(e.variant),
                    true_origin: self.squad(credited(e)),
                    recorded_origin: self.squad(e.recorded_origin),
                    promoted_in: self.within(e.promoted)?,
                })
            })
            .collect()
    }

    /// What the scenario planted: the verdict, the turn, captures and missing origins.
    fn planted(&self) -> Planted<'a> {
        let series = self.series;
        let n = series.len();
        let credit_captures = series
            .experiments
            .iter()
            .filter_map(|e| {
                let k = e.candidate.filter(|&k| k < n)?;
                (credited(e) != e.home).then(|| Capture {
                    variant: self.key(e.variant),
                    explored_by: self.squad(e.home),
                    explored_in: series.sprint_id(e.appeared),
                    credited: self.squad(credited(e)),
                    credited_in: series.sprint_id(k),
                })
            })
            .collect();
        let catalog_without_origin = series
            .experiments
            .iter()
            .filter(|e| e.recorded_origin == NO_ORIGIN && self.within(e.promoted).is_some())
            .map(|e| self.key(e.variant))
            .collect();
        Planted {
            verdict: series.scenario.planted(),
            since: series.scenario.turn(n).map(|t| series.sprint_id(t)),
            credit_captures,
            catalog_without_origin,
        }
    }
}

/// The squad an experiment is credited to when it first becomes a candidate.
fn credited(e: &Experiment) -> usize {
    e.credited(e.candidate.unwrap_or(0))
}
