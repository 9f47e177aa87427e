//! The runs of a generated sprint: which squad ran which variant, in which pool, with
//! what outcome, tokens, cost and start time, drawn one after another in id order.

use super::options::Options;
use super::rng::{Rng, Stream, cumulative};
use super::sprint;
use super::stamp::{Offset, Stamp};
use super::world::{Family, Status, World};
use crate::snapshot::{Outcome, Pool};

/// One generated run, before it is written or grouped.
pub(super) struct Run {
    pub(super) squad: usize,
    /// `None` for an untagged run.
    pub(super) variant: Option<usize>,
    pub(super) pool: Pool,
    pub(super) outcome: Outcome,
    pub(super) input_tokens: u64,
    pub(super) output_tokens: u64,
    /// Cost in 1/10000 currency units: integer arithmetic, so the written decimal is exact.
    pub(super) cost_e4: u64,
    pub(super) started: Stamp,
}

/// Activity window per day, in the squad's local time: 07:00–21:00.
const DAY_OPEN_SECS: u64 = 7 * 3600;
const WEEKDAY_SECS: u64 = 14 * 3600;
/// Weekends see a tenth of a weekday's runs, spread over the same hours.
const WEEKEND_STRETCH: u64 = 10;

/// The runs the options ask for, in `world`.
pub(super) struct Runs<'w> {
    world: &'w World,
    seed: u64,
    pub(super) count: u64,
    /// Share of exploration runs left untagged, in parts per million.
    untagged_ppm: u64,
    /// Runs drawn elsewhere (a series' experiments), written after the others.
    extra: &'w [Run],
}

impl<'w> Runs<'w> {
    pub(super) fn new(world: &'w World, options: &Options) -> Self {
        Self {
            world,
            seed: options.seed,
            count: options.runs,
            untagged_ppm: (options.untagged_share * 1e6).round() as u64,
            extra: &[],
        }
    }

    /// These runs and then `extra`, numbered after them.
    pub(super) fn with_extra(mut self, extra: &'w [Run]) -> Self {
        self.extra = extra;
        self
    }

    /// How many runs [`for_each`](Self::for_each) visits.
    pub(super) fn total(&self) -> u64 {
        self.count + self.extra.len() as u64
    }

    /// Every run, in id order with its index from 0; the same draws whether they are
    /// written or grouped.
    pub(super) fn for_each<E>(
        &self,
        mut f: impl FnMut(u64, &Run) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rng = Rng::new(self.seed, Stream::Runs);
        let clock = Clock::new();
        for i in 0..self.count {
            f(i, &self.draw(&mut rng, &clock, i))?;
        }
        for (i, run) in (self.count..).zip(self.extra) {
            f(i, run)?;
        }
        Ok(())
    }

    /// Run `i`: its variant, squad, pool and work, then its start; the draws in this order.
    fn draw(&self, rng: &mut Rng, clock: &Clock, i: u64) -> Run {
        let world = self.world;
        let family = rng.pick(&world.family_weights);
        let offset_in_family = rng.pick(&world.variant_weights[family]);
        let v = world.variant(family, offset_in_family);
        let variant = &world.variants[v];
        let squad = if variant.status == Status::Exploring && rng.permille(350) {
            variant.home_squad
        } else {
            rng.pick(&world.squad_weights)
        };
        let pool = match variant.status {
            Status::Standard if rng.permille(80) => Pool::Exploration,
            Status::Standard | Status::Deprecated => Pool::Central,
            Status::Exploring => Pool::Exploration,
        };
        let untagged_ppm = match pool {
            Pool::Exploration => self.untagged_ppm,
            Pool::Central => self.untagged_ppm / 5,
        };
        let tagged = rng.below(1_000_000) >= untagged_ppm;
        let (success, price) = if tagged {
            (variant.success_permille, variant.price_permille)
        } else {
            (780, 1000)
        };
        let (outcome, input_tokens, output_tokens, cost_e4) =
            work(rng, success, price, &world.families[family]);
        let started = clock.started(rng, world, i, self.count, squad);
        Run {
            squad,
            variant: tagged.then_some(v),
            pool,
            outcome,
            input_tokens,
            output_tokens,
            cost_e4,
            started,
        }
    }
}

/// The sprint's active seconds: weekdays whole, weekends stretched.
struct Clock {
    /// Active seconds of each day.
    days: Vec<u64>,
    /// Active seconds up to the end of each day.
    day_starts: Vec<u64>,
    /// Active seconds in the sprint.
    active: u64,
}

impl Clock {
    fn new() -> Self {
        let days: Vec<u64> = (0..sprint::DAYS as u64)
            .map(|d| {
                if d % 7 >= 5 {
                    WEEKDAY_SECS / WEEKEND_STRETCH
                } else {
                    WEEKDAY_SECS
                }
            })
            .collect();
        let day_starts = cumulative(days.iter().copied());
        let active = *day_starts.last().expect("a sprint has days");
        Self {
            days,
            day_starts,
            active,
        }
    }

    /// When run `i` of `count` by `squad` starts, and the offset it reports in.
    fn started(&self, rng: &mut Rng, world: &World, i: u64, count: u64, squad: usize) -> Stamp {
        // Runs advance through the sprint in id order, give or take 20 active minutes, so
        // the file reads roughly chronologically as exports do, with some disorder.
        let jitter = 1200;
        let active = self.active;
        let target =
            ((2 * u128::from(i) + 1) * u128::from(active) / (2 * u128::from(count))) as u64;
        let at = (target + rng.below(2 * jitter + 1))
            .saturating_sub(jitter)
            .min(active - 1);
        let day = self.day_starts.partition_point(|&s| s <= at);
        let into_day = at
            - if day == 0 {
                0
            } else {
                self.day_starts[day - 1]
            };
        let stretch = if self.days[day] == WEEKDAY_SECS {
            1
        } else {
            WEEKEND_STRETCH
        };
        let home = world.squads[squad].offset;
        let secs = (world.start_days + day as i64) * 86_400
            + (DAY_OPEN_SECS + into_day * stretch) as i64
            - home.seconds();
        let millis = if rng.permille(80) {
            rng.range(1, 999) as i64
        } else {
            0
        };
        // Most runs report in their squad's local time, some straight from UTC servers.
        let offset = if rng.permille(100) { Offset::Utc } else { home };
        Stamp {
            at_ms: secs * 1000 + millis,
            offset,
        }
    }
}

/// A run's outcome, input and output tokens and cost (in 1/10000 units) for a variant of
/// `profile`'s family that succeeds `success` times in a thousand at `price` per mille of
/// list price.
pub(super) fn work(
    rng: &mut Rng,
    success: u64,
    price: u64,
    profile: &Family,
) -> (Outcome, u64, u64, u64) {
    let outcome = if rng.below(1000) < success {
        Outcome::Success
    } else if rng.below(3) == 0 {
        Outcome::Abandoned
    } else {
        Outcome::Failure
    };
    let mut input_tokens = if rng.permille(10) {
        400_000 // the context limit
    } else {
        20_000 + (rng.below(380_001) + rng.below(380_001)) / 2 * profile.input_scale / 1000
    };
    let mut output_tokens = if rng.permille(10) {
        150_000 // the output cap
    } else {
        5_000 + rng.below(145_001) * profile.output_scale / 1000
    };
    if outcome == Outcome::Abandoned {
        // Stopped early: fewer tokens read and written.
        output_tokens = 5_000 + (output_tokens - 5_000) / 3;
        input_tokens = input_tokens.max(40_000) - 20_000;
    }
    // List price 3 per million input tokens and 15 per million output tokens.
    let cost_e4 = ((input_tokens * 3 + output_tokens * 15) * price + 50_000) / 100_000;
    (outcome, input_tokens, output_tokens, cost_e4)
}
