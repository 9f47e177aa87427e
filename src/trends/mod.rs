//! Trends across sprints: does the split budget surface promotable workflows, or entrench
//! the influential squads? Many snapshots evaluated with one pack (`run`), each reduced to
//! what trends needs (`sample`), put in sprint order (`series`) and analysed: emergence
//! (`emergence`), equity and trust (`equity`, `pack_history`), verdicts (`verdicts`),
//! assembled by `analysis` into the report `model`. This file only re-exports.

mod analysis;
mod emergence;
mod equity;
pub mod model;
mod pack_history;
mod run;
pub mod sample;
mod series;
mod verdicts;

pub use analysis::analyse;
pub use equity::QUARTILE_LABELS;
pub use model::*;
pub use run::{run, run_with_packs, Failure, Options, Trends};
pub use verdicts::{near_one, NEAR_ONE_FACTOR};
