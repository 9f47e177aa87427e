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
    /// Refuse a snapshot with runs that started outside the sprint's days (exit 2, each at
    /// its JSON Pointer) instead of warning about them
    #[arg(long)]
    refuse_runs_outside_sprint: bool,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let options = super::super::machine::load_options(args.limit.mb());
    let source = super::super::machine::snapshot_source(&args.snapshot, &options)?;
    let loaded = crate::snapshot::load_from(&source, &options, &mut |_, _| {})?;
    let s = &loaded.snapshot;
    // Valid but suspect (handbook v1.1): warned about in `eval`'s words, or refused.
    let outside = crate::snapshot::outside::runs_outside(s);
    if args.refuse_runs_outside_sprint && !outside.is_empty() {
        return Err(crate::Error::Invalid {
            origin: source.origin(),
            problems: crate::snapshot::outside::problems(&outside),
        }
        .into());
    }
    for o in &outside {
        super::super::stderr::line(&format!("warning: {}", escape_terminal(&o.message)));
    }
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
