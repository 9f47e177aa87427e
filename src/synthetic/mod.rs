//! Deterministic synthetic sprint snapshots (`bursar gen`), so anyone can reproduce a
//! benchmark or try bursar at scale: the same options give the same bytes on every machine.
//!
//! A seed draws an organisation (`world`) and then its runs (`runs`) from a built-in
//! PRNG (`rng`, where the determinism rules are); every value written is computed in
//! integers, and `write` lays the snapshot out through serde_json. `series` plans many
//! consecutive sprints of one organisation (`--sprints`), with its `manifest`.

mod digits;
mod experiments;
mod groups;
mod manifest;
mod options;
mod planted;
mod records;
mod rng;
mod run_lines;
mod runs;
mod scenario;
mod series;
mod sprint;
mod stamp;
mod tally;
mod vocabulary;
mod world;
mod write;

use std::io::{BufWriter, Write};

pub use manifest::{MANIFEST, manifest};
pub use options::{
    Error, MAX_FAMILIES, MAX_RUNS, MAX_SERIES_RUNS, MAX_SQUADS, MAX_VARIANTS, Options,
};
use runs::Runs;
pub use scenario::Scenario;
pub use series::{MAX_SPRINTS, Series};
use world::World;

/// Writes the snapshot the options describe.
pub fn write<W: Write>(options: &Options, out: &mut W) -> Result<(), Error> {
    options.validate()?;
    let world = World::new(options, options.sprint()?);
    let runs = Runs::new(&world, options);
    let mut out = BufWriter::with_capacity(1 << 20, out);
    write::document(&world, &runs, options.groups, &mut out)?;
    out.flush()?;
    Ok(())
}

/// The snapshot the options describe, in memory.
pub fn generate(options: &Options) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    write(options, &mut bytes)?;
    Ok(bytes)
}
