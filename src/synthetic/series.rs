//! `bursar gen --sprints N`: consecutive sprints of one organisation, planned sprint by
//! sprint before a byte is written: squads drift, budgets and top-ups follow the
//! scenario, experiments appear, become candidates (counted from the runs, as the
//! `promotion` policy counts them), enter the catalog and are sometimes sunset.
//!
//! Every sprint's world is kept (a few kilobytes); its background runs are drawn again
//! from their seed when written, so a series of million-run sprints never sits in memory.

use std::io::{BufWriter, Write};

use super::experiments::{self, Experiment};
use super::options::{Error, Options};
use super::rng::{Rng, Stream};
use super::runs::{Run, Runs};
use super::scenario::{CREDIT_TOKENS, Scenario};
use super::sprint::SprintId;
use super::tally;
use super::world::{Status, Topup, World, topups};

/// Most sprints a series may have: four years.
pub const MAX_SPRINTS: u32 = 104;
/// Fewest squads a series may have: capacity quartiles need four.
pub const MIN_SERIES_SQUADS: u32 = 4;
/// Variants a family can have: `A` and `B` in the catalog, `C` to `Z` for experiments.
const SLOTS: usize = 26;
/// Variants already in the catalog when the series starts.
const CATALOGUED: usize = 2;
/// Most sprints of a `short` series: too few candidates to answer from.
pub const SHORT_MOST: u32 = 4;

/// One sprint of a planned series.
struct Sprint {
    world: World,
    /// Seed of its background runs (the catalog's everyday work and untagged runs).
    seed: u64,
    /// Its experiments' runs, written after the background runs.
    extra: Vec<Run>,
}

/// A planned series, ready to write.
pub struct Series {
    pub(super) scenario: Scenario,
    pub(super) options: Options,
    sprints: Vec<Sprint>,
    pub(super) experiments: Vec<Experiment>,
}

impl Series {
    /// Plans `sprints` sprints from `options` (its sprint is the first; `variants` is not
    /// used: experiments take the letters after `B`).
    pub fn plan(options: &Options, sprints: u32, scenario: Scenario) -> Result<Self, Error> {
        options.validate()?;
        if !(1..=MAX_SPRINTS).contains(&sprints) {
            return Err(Error::Option(format!(
                "the number of sprints must be between 1 and {MAX_SPRINTS}, not `{sprints}`"
            )));
        }
        options.series_within(sprints)?;
        if options.squads < MIN_SERIES_SQUADS {
            return Err(Error::Option(format!(
                "a series needs at least {MIN_SERIES_SQUADS} squads (capacity quartiles), not `{}`",
                options.squads
            )));
        }
        let first = options.sprint()?;
        let ids = (0..sprints)
            .map(|k| first.after(k))
            .collect::<Option<Vec<SprintId>>>()
            .ok_or_else(|| {
                Error::Option(format!(
                    "{sprints} sprints from `{}` run past the year 9998",
                    options.sprint
                ))
            })?;
        if scenario == Scenario::Short && sprints > SHORT_MOST {
            return Err(Error::Option(format!(
                "the `short` scenario is at most {SHORT_MOST} sprints, not `{sprints}`"
            )));
        }
        let mut planner = Planner::new(options, scenario, ids.len());
        let sprints = ids.into_iter().map(|id| planner.sprint(id)).collect();
        let mut series = Series {
            scenario,
            options: options.clone(),
            sprints,
            experiments: planner.experiments,
        };
        series.take_one_credit();
        Ok(series)
    }

    /// Sprints in the series.
    pub fn len(&self) -> usize {
        self.sprints.len()
    }

    /// Whether the series has no sprint.
    pub fn is_empty(&self) -> bool {
        self.sprints.is_empty()
    }

    /// Sprint `k`'s id (from 0).
    pub fn sprint_id(&self, k: usize) -> &str {
        &self.sprints[k].world.sprint
    }

    /// Sprint `k`'s file name in the output folder: `<sprint id>.json`.
    pub fn file_name(&self, k: usize) -> String {
        format!("{}.json", self.sprint_id(k))
    }

    /// The world of sprint `k`, for the manifest.
    pub(super) fn world(&self, k: usize) -> &World {
        &self.sprints[k].world
    }

    /// Writes sprint `k`'s snapshot.
    pub fn write_sprint<W: Write>(&self, k: usize, out: &mut W) -> Result<(), Error> {
        let sprint = &self.sprints[k];
        let background = Options {
            seed: sprint.seed,
            ..self.options.clone()
        };
        let runs = Runs::new(&sprint.world, &background).with_extra(&sprint.extra);
        let mut out = BufWriter::with_capacity(1 << 20, out);
        super::write::document(&sprint.world, &runs, self.options.groups, &mut out)?;
        out.flush()?;
        Ok(())
    }

    /// An `entrenched` series shows credit taken at least once when it can: if chance
    /// planted none, the first catalog entry from a squad other than the largest names
    /// the largest.
    fn take_one_credit(&mut self) {
        if !matches!(self.scenario, Scenario::Entrenched | Scenario::Extreme) {
            return;
        }
        let n = self.len();
        let promoted = |e: &Experiment| e.promoted.is_some_and(|p| p < n);
        if self
            .experiments
            .iter()
            .any(|e| promoted(e) && e.recorded_origin != e.home)
        {
            return;
        }
        let Some(e) = self
            .experiments
            .iter_mut()
            .find(|e| promoted(e) && e.home != 0)
        else {
            return;
        };
        e.recorded_origin = 0;
        let from = e.promoted.unwrap_or(n);
        for sprint in &mut self.sprints[from..] {
            sprint.world.variants[e.variant].origin_squad = 0;
        }
    }
}

/// The state carried from one sprint to the next while planning.
struct Planner<'o> {
    options: &'o Options,
    scenario: Scenario,
    /// Sprints in the series (a `turning` series turns in the middle).
    length: usize,
    rng: Rng,
    /// The first sprint's world; squads and variants evolve from it.
    base: World,
    first_headcounts: Vec<u64>,
    /// Tokens each squad was credited last sprint, added to its next baseline.
    credits: Vec<u64>,
    /// Per family, the next free variant letter.
    next_slot: Vec<usize>,
    /// Smooth weighted round-robin over squads by capacity, one for promising experiments
    /// and one for the rest: at every point of a series each squad has originated within
    /// one experiment of its share of capacity, not only on average over seeds.
    turns: [Vec<i64>; 2],
    experiments: Vec<Experiment>,
    index: usize,
}

impl<'o> Planner<'o> {
    fn new(options: &'o Options, scenario: Scenario, length: usize) -> Self {
        let first = options.sprint().expect("options were validated");
        let mut base = World::new(
            &Options {
                variants: CATALOGUED as u32,
                ..options.clone()
            },
            first,
        );
        widen(&mut base);
        let rng = Rng::new(options.seed, Stream::Series);
        let n = base.squads.len();
        Self {
            options,
            scenario,
            length,
            rng,
            first_headcounts: base.squads.iter().map(|s| s.headcount).collect(),
            credits: vec![0; n],
            next_slot: vec![CATALOGUED; base.families.len()],
            turns: [vec![0; n], vec![0; n]],
            base,
            experiments: Vec::new(),
            index: 0,
        }
    }

    /// Plans the next sprint, `id`.
    fn sprint(&mut self, id: SprintId) -> Sprint {
        let k = self.index;
        self.index += 1;
        let behaviour = self.scenario.at(k, self.length);
        let (topups, capacity) = self.capacity(k, behaviour);
        self.promote_and_sunset(k, id);
        self.introduce(k, &capacity, behaviour);

        let rng = &mut self.rng;
        let uses: Vec<u64> = self.experiments.iter().map(|e| e.uses(rng, k)).collect();
        let world = World {
            sprint: id.id(),
            start_days: id.start_days(),
            topups,
            ..self.base.clone()
        };
        let extra = experiments::runs(&world, &self.experiments, &uses, k, rng);
        // Each sprint's background runs from a seed of their own, derived from the series'.
        let seed = rng.below(u64::MAX);
        let candidates = {
            let background = Options {
                seed,
                ..self.options.clone()
            };
            tally::candidates(&world, &Runs::new(&world, &background).with_extra(&extra))
        };
        self.credit(k, &candidates, behaviour);
        Sprint { world, seed, extra }
    }

    /// Sprint `k`'s squads drifted and given baselines, its top-ups, and each squad's
    /// capacity (baseline and granted top-ups).
    fn capacity(&mut self, k: usize, behaviour: Scenario) -> (Vec<Topup>, Vec<u64>) {
        let n = self.base.squads.len();
        let rng = &mut self.rng;
        if k > 0 {
            behaviour.drift(rng, &mut self.base.squads, &self.first_headcounts);
        }
        let baselines = behaviour.baselines(rng, &self.base.squads, &self.credits);
        for (s, b) in self.base.squads.iter_mut().zip(baselines) {
            s.baseline = b;
        }
        let mut topups = topups(rng, n, &behaviour.topup_weights(n));
        if self.scenario == Scenario::FairTopups {
            super::planted::one_documented_topup(&mut topups, &self.base.squads);
        }
        let mut capacity: Vec<u64> = self
            .base
            .squads
            .iter()
            .map(|s| s.baseline.unwrap_or(0))
            .collect();
        for t in topups.iter().filter(|t| t.granted) {
            capacity[t.squad] += t.tokens;
        }
        (topups, capacity)
    }

    /// The catalog as of sprint `k`: experiments promoted or sunset in it change status.
    fn promote_and_sunset(&mut self, k: usize, id: SprintId) {
        for e in &self.experiments {
            let v = &mut self.base.variants[e.variant];
            if e.promoted == Some(k) {
                v.status = Status::Standard;
                v.origin_squad = e.recorded_origin;
                v.promoted_in = id.id();
            }
            if e.sunset == Some(k) {
                v.status = Status::Deprecated;
            }
        }
    }

    /// Credits the squads whose experiments are candidates in sprint `k`, and plans the
    /// promotion of those that are candidates for the first time.
    fn credit(&mut self, k: usize, candidates: &[bool], behaviour: Scenario) {
        let n = self.base.squads.len();
        let rng = &mut self.rng;
        self.credits = vec![0; n];
        for e in &mut self.experiments {
            if !candidates[e.variant] {
                continue;
            }
            let credited = e.credited(k);
            self.credits[credited] += CREDIT_TOKENS;
            if e.candidate.is_none() {
                e.candidate = Some(k);
                let promoted = k + 1 + rng.below(2) as usize;
                e.promoted = Some(promoted);
                e.recorded_origin = behaviour.recorded_origin(rng, credited, n);
                if self.scenario == Scenario::NoOrigin && rng.permille(300) {
                    e.recorded_origin = super::planted::NO_ORIGIN;
                }
                e.fades = rng.permille(300);
                // Used twice more, then not at all: `sunset` says so, and the sprint
                // after, the entry is deprecated.
                e.sunset = e.fades.then_some(promoted + 3);
            }
        }
    }

    /// Two to four new experiments in sprint `k`, in families with letters left.
    fn introduce(&mut self, k: usize, capacity: &[u64], behaviour: Scenario) {
        let rng = &mut self.rng;
        let n = capacity.len();
        let total: u64 = capacity.iter().sum();
        for _ in 0..2 + rng.below(3) {
            let open: Vec<usize> = (0..self.next_slot.len())
                .filter(|&f| self.next_slot[f] < SLOTS)
                .collect();
            if open.is_empty() {
                return;
            }
            let family = open[rng.below(open.len() as u64) as usize];
            let variant = family * SLOTS + self.next_slot[family];
            self.next_slot[family] += 1;
            let promising = rng.permille(650);
            let turns = &mut self.turns[usize::from(promising)];
            for (t, &c) in turns.iter_mut().zip(capacity) {
                *t += c as i64;
            }
            let home = (0..n)
                .max_by_key(|&i| (turns[i], std::cmp::Reverse(i)))
                .expect("a series has squads");
            turns[home] -= total as i64;
            let sustained = behaviour.sustains(rng, home, &self.first_headcounts);
            let (success, price) = if promising {
                (rng.range(870, 960), rng.range(550, 800))
            } else if rng.permille(500) {
                (rng.range(550, 760), rng.range(850, 1200))
            } else {
                (rng.range(840, 930), rng.range(1600, 1900))
            };
            let v = &mut self.base.variants[variant];
            v.success_permille = success;
            v.price_permille = price;
            v.home_squad = home;
            v.origin_squad = home;
            let mut e = Experiment::new(rng, variant, home, k, promising, sustained, n);
            if self.scenario == Scenario::Capture {
                e.captor = super::planted::captor(rng, home, n);
            }
            self.experiments.push(e);
        }
    }
}

/// Gives every family [`SLOTS`] variants: its catalogued ones, then letters for
/// experiments that never run until one takes them.
fn widen(world: &mut World) {
    let families = world.families.len();
    let mut variants = Vec::with_capacity(families * SLOTS);
    let mut weights = Vec::with_capacity(families);
    for (f, old) in world.variants.chunks(CATALOGUED).enumerate() {
        variants.extend(old.iter().cloned());
        let template = &old[0];
        for slot in CATALOGUED..SLOTS {
            variants.push(super::world::Variant {
                family: f,
                name: char::from(b'A' + slot as u8).to_string(),
                status: Status::Exploring,
                promoted_in: String::new(),
                ..template.clone()
            });
        }
        let catalogued = &world.variant_weights[f];
        let mut w = catalogued.clone();
        w.resize(SLOTS, *catalogued.last().expect("catalogued variants"));
        weights.push(w);
    }
    world.variants = variants;
    world.variant_weights = weights;
}
