//! The variants a series follows: each appears in one squad's exploration, is used more
//! or less over the following sprints, and either fades out or becomes a candidate, enters
//! the catalog a sprint or two later, and is kept or sunset.
//!
//! An experiment's runs are drawn here, not by `runs` (whose draws must not change): the
//! series needs exact control of how often each variant runs and which run comes first.

use super::rng::Rng;
use super::runs::{Run, work};
use super::stamp::{Offset, Stamp};
use super::world::{Status, World};
use crate::snapshot::Pool;

pub(super) struct Experiment {
    /// Its index in the world's variants.
    pub(super) variant: usize,
    /// The squad that came up with it: it runs first in every sprint it is explored.
    pub(super) home: usize,
    /// Sprint (from 0) of its first run.
    pub(super) appeared: usize,
    /// Drawn to succeed often at a fair price (whether it becomes a candidate is counted).
    pub(super) promising: bool,
    /// Whether its squad can afford the runs a candidate needs.
    pub(super) sustained: bool,
    /// Sprints of token use before it is run in earnest.
    pub(super) delay: usize,
    /// Age at which it is dropped unless it became a candidate.
    pub(super) abandon_at: usize,
    /// First sprint it met the promotion thresholds.
    pub(super) candidate: Option<usize>,
    /// Sprint its catalog entry first appears.
    pub(super) promoted: Option<usize>,
    /// The squad its catalog entry names as origin.
    pub(super) recorded_origin: usize,
    /// Once in the catalog, whether its use dies away.
    pub(super) fades: bool,
    /// Sprint its catalog entry is first `deprecated`.
    pub(super) sunset: Option<usize>,
    /// A squad that runs it first in every sprint after the one it began in (`capture`):
    /// the handbook's origin, and so the credit, is then that squad's.
    pub(super) captor: Option<usize>,
}

impl Experiment {
    /// A new experiment of `home` on `variant`, first run in sprint `k`.
    pub(super) fn new(
        rng: &mut Rng,
        variant: usize,
        home: usize,
        k: usize,
        promising: bool,
        sustained: bool,
        n_squads: usize,
    ) -> Self {
        let top = super::scenario::top_quartile(n_squads);
        // A sustained experiment outside the largest squads still takes longer to harden.
        let delay = if sustained && home >= top {
            rng.below(3) as usize
        } else {
            0
        };
        let abandon_at = match (sustained, promising) {
            (false, _) => 2 + rng.below(2) as usize,
            (true, false) => 4 + rng.below(3) as usize,
            (true, true) => delay + 8,
        };
        Self {
            variant,
            home,
            appeared: k,
            promising,
            sustained,
            delay,
            abandon_at,
            candidate: None,
            promoted: None,
            recorded_origin: home,
            fades: false,
            sunset: None,
            captor: None,
        }
    }

    /// The squad of its earliest run in sprint `k`, which the handbook credits.
    pub(super) fn credited(&self, k: usize) -> usize {
        match self.captor {
            Some(captor) if k > self.appeared => captor,
            _ => self.home,
        }
    }

    /// How many times it runs in sprint `k`.
    pub(super) fn uses(&self, rng: &mut Rng, k: usize) -> u64 {
        if k < self.appeared || self.sunset.is_some_and(|s| s <= k) {
            return 0;
        }
        if let Some(age) = self.promoted.and_then(|p| k.checked_sub(p)) {
            return match (self.fades, age) {
                (true, 0) => 10 + rng.below(6),
                (true, 1) => 3 + rng.below(4),
                (true, _) => 0,
                (false, _) => 15 + rng.below(20),
            };
        }
        let age = k - self.appeared;
        if self.candidate.is_none() && age >= self.abandon_at {
            return 0;
        }
        if !self.sustained || age < self.delay {
            return 2 + rng.below(5);
        }
        match (self.promising, age - self.delay) {
            (_, 0) => 3 + rng.below(4),
            (true, 1) => 8 + rng.below(6),
            (true, 2) => 12 + rng.below(10),
            (true, _) => 14 + rng.below(14),
            (false, _) => 6 + rng.below(8),
        }
    }
}

/// The runs of experiments in one sprint of `world`: `uses[i]` runs of `experiments[i]`,
/// sorted by start. An experiment still exploring runs first in its home squad, at
/// 04:00 UTC on the sprint's first day, before anyone's working day: the handbook's
/// origin (the squad of the earliest run) is then its home in every sprint (its captor,
/// when it has one, after the sprint it began in).
pub(super) fn runs(
    world: &World,
    experiments: &[Experiment],
    uses: &[u64],
    k: usize,
    rng: &mut Rng,
) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut leads = 0;
    let day_secs = |day: i64| (world.start_days + day) * 86_400;
    for (e, &n) in experiments.iter().zip(uses) {
        let variant = &world.variants[e.variant];
        let profile = &world.families[variant.family];
        for i in 0..n {
            let exploring = variant.status == Status::Exploring;
            let (squad, started) = if exploring && i == 0 {
                leads += 1;
                let at = day_secs(0) + 4 * 3600 + 60 * leads;
                (
                    e.credited(k),
                    Stamp {
                        at_ms: at * 1000,
                        offset: Offset::Utc,
                    },
                )
            } else {
                let squad = if rng.permille(if exploring { 600 } else { 300 }) {
                    e.home
                } else {
                    rng.pick(&world.squad_weights)
                };
                let weekday = rng.below(10) as i64;
                let home = world.squads[squad].offset;
                let at =
                    day_secs(weekday + 2 * (weekday / 5)) + 7 * 3600 + rng.below(14 * 3600) as i64
                        - home.seconds();
                let offset = if rng.permille(100) { Offset::Utc } else { home };
                (
                    squad,
                    Stamp {
                        at_ms: at * 1000,
                        offset,
                    },
                )
            };
            let pool = if exploring || rng.permille(80) {
                Pool::Exploration
            } else {
                Pool::Central
            };
            let (outcome, input_tokens, output_tokens, cost_e4) = work(
                rng,
                variant.success_permille,
                variant.price_permille,
                profile,
            );
            runs.push(Run {
                squad,
                variant: Some(e.variant),
                pool,
                outcome,
                input_tokens,
                output_tokens,
                cost_e4,
                started,
            });
        }
    }
    runs.sort_by_key(|r| r.started.at_ms);
    runs
}
