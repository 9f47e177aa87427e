//! Trends across sprints: does the split budget surface promotable workflows, or entrench
//! the influential squads? Many snapshots evaluated with one pack (`run`), each reduced to
//! what trends needs (`sample`), put in sprint order (`series`) and analysed: emergence
//! (`emergence`), equity and trust (`equity`, `pack_history`), verdicts (`verdicts`),
//! assembled by `analysis` into the report `model`. The answer (`answer`, from each
//! measure's `assess`ment, by the levels in `thresholds`) weighs who originated
//! candidates (`access`, `tiers`) against their influence before they began
//! (`influence`), searching for a turn (`scan`) and reading who began the latest
//! explorations (`explorers`) and holding standing without survival to a stricter level
//! (`alone`), with seeded resampling (`stats`);
//! `credit` finds captured credit; typed `figures` carry the numbers.
//! This file only re-exports.

mod access;
mod allocation;
mod alone;
mod analysis;
mod answer;
mod assess;
mod credit;
mod emergence;
mod equity;
mod explorers;
mod figures;
mod influence;
pub mod model;
mod pack_history;
mod parts;
mod rows;
mod run;
pub mod sample;
mod scan;
mod series;
mod split;
mod stats;
mod thresholds;
mod tiers;
mod verdicts;

pub use equity::QUARTILE_LABELS;
pub use figures::*;
pub use model::*;
pub use rows::*;
pub use run::{Failure, Options, Trends, run, run_with_packs};
pub use verdicts::NEAR_ONE_FACTOR;
