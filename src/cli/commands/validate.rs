//! `bursar validate`: checks a snapshot and reports every problem with its JSON Pointer.

use std::path::PathBuf;

use crate::text::{count, escape_terminal};

use super::super::status::Status;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The snapshot to check (`-` for standard input)
    snapshot: PathBuf,
    #[command(flatten)]
    limit: super::super::args::SnapshotLimitArgs,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let options = super::super::machine::load_options(args.limit.mb());
    let source = super::super::machine::snapshot_source(&args.snapshot, &options)?;
    let loaded = crate::snapshot::load_from(&source, &options, &mut |_, _| {})?;
    let s = &loaded.snapshot;
    let entries = s.catalog.len();
    let line = format!(
        "{}: valid snapshot of sprint {} ({}, {}, {}, {}, {entries} catalog {})\n",
        escape_terminal(&source.origin().to_string()),
        escape_terminal(&s.sprint.id),
        count(s.squads.len(), "squad"),
        count(s.runs.len(), "run"),
        count(s.run_groups.len(), "run group"),
        count(s.topups.len(), "top-up"),
        if entries == 1 { "entry" } else { "entries" },
    );
    // Through the same stdout writer as every command: a reader gone early (`| head`)
    // stops it quietly, a closed stdout is an error, neither a panic.
    super::super::output::Output::new(None, &[])?.write(line.as_bytes())?;
    Ok(Status::Clean)
}
