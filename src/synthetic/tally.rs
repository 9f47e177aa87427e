//! Which variants of a generated sprint meet the handbook's promotion thresholds, counted
//! from the runs as the default `promotion` policy counts them, so a series promotes only
//! variants that were candidates (the test suite holds this to `bursar eval`).

use std::convert::Infallible;

use super::runs::Runs;
use super::world::{Status, World};
use crate::snapshot::Outcome;

/// The handbook's defaults (`policies/promotion.rhai`).
const MIN_USES: u64 = 10;
const MIN_SUCCESS_RATE: f64 = 0.80;
const MAX_COST_VS_BASELINE: f64 = 1.25;

#[derive(Clone, Copy, Default)]
struct Stats {
    uses: u64,
    successes: u64,
    cost_micros: u64,
}

impl Stats {
    fn cost_per_success(&self) -> Option<f64> {
        (self.successes > 0).then(|| self.cost_micros as f64 / self.successes as f64)
    }
}

/// Per variant of `world`: whether it is a promotion candidate in this sprint's `runs`.
pub(super) fn candidates(world: &World, runs: &Runs) -> Vec<bool> {
    let mut stats = vec![Stats::default(); world.variants.len()];
    let counted: Result<(), Infallible> = runs.for_each(|_, run| {
        if let Some(v) = run.variant {
            let s = &mut stats[v];
            s.uses += 1;
            s.successes += u64::from(run.outcome == Outcome::Success);
            // Exactly the micro-units the loader reads (see `groups`).
            s.cost_micros += run.cost_e4 * 100;
        }
        Ok(())
    });
    match counted {
        Ok(()) => {}
        Err(never) => match never {},
    }
    let mut standard = vec![Stats::default(); world.families.len()];
    for (v, s) in world.variants.iter().zip(&stats) {
        if v.status == Status::Standard {
            let f = &mut standard[v.family];
            f.successes += s.successes;
            f.cost_micros += s.cost_micros;
        }
    }
    world
        .variants
        .iter()
        .zip(&stats)
        .map(|(v, s)| {
            let baseline = standard[v.family].cost_per_success();
            v.status == Status::Exploring
                && s.uses >= MIN_USES
                && s.successes as f64 / s.uses as f64 >= MIN_SUCCESS_RATE
                && match (s.cost_per_success(), baseline) {
                    (_, None) => true,
                    (Some(cps), Some(b)) => cps <= MAX_COST_VS_BASELINE * b,
                    (None, Some(_)) => false,
                }
        })
        .collect()
}
