//! `bursar validate`: checks a snapshot and reports every problem with its JSON Pointer.

use std::path::PathBuf;

use super::Status;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The snapshot to check
    snapshot: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let loaded = bursar::snapshot::load(&args.snapshot)?;
    let s = &loaded.snapshot;
    println!(
        "{}: valid snapshot of sprint {} ({} squads, {} runs, {} run groups, {} top-ups, {} catalog entries)",
        args.snapshot.display(),
        s.sprint.id,
        s.squads.len(),
        s.runs.len(),
        s.run_groups.len(),
        s.topups.len(),
        s.catalog.len()
    );
    Ok(Status::Clean)
}
