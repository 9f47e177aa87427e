//! `bursar impact`: what a policy change would do, over past snapshots, before it merges.

use std::path::PathBuf;

use crate::host::PackSource;
use crate::render;
use crate::text::escape_terminal;

use super::super::args::{LimitArgs, OutputArgs};
use super::super::status::Status;

super::super::formats::formats!("text", Text, Json);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy pack to try (the change under review)
    #[arg(long, value_name = "NEW_DIR")]
    policies: PathBuf,
    /// The policy pack in force, to compare against: a folder, or `git:REV[:PATH]` for
    /// the pack at a git revision (PATH from the repository's root, by default where
    /// --policies is), read with git without a checkout
    #[arg(long, value_name = "OLD_DIR|git:REV[:PATH]")]
    against: PathBuf,
    /// Sprint snapshots (JSON), each read once and evaluated with both packs (`-`, once,
    /// for standard input)
    #[arg(value_name = "SNAPSHOT", required = true)]
    snapshots: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs<Format>,
    /// Also list decisions with the same outcome whose values differ (e.g. allocated tokens)
    #[arg(long)]
    details: bool,
    /// Snapshots evaluated at once [default: the available cores]
    #[arg(long, short, value_name = "N", value_parser = super::super::args::at_least_one())]
    jobs: Option<usize>,
    /// No progress line on stderr
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let revision = match args.against.to_str() {
        Some(text) => super::super::git::Revision::parse(text)?,
        None => None,
    };
    let mut inputs = vec![("the new policy pack", args.policies.as_path())];
    if revision.is_none() {
        inputs.push((
            "the policy pack it is compared against",
            args.against.as_path(),
        ));
    }
    inputs.extend(args.snapshots.iter().map(|s| ("the snapshot", s.as_path())));
    let output = args.output.open(&inputs)?;
    let limits = args.limits.limits()?;
    let load = super::super::machine::load_options(limits.max_snapshot_mb);
    let snapshots = super::super::machine::snapshot_sources(&args.snapshots, &load)?;
    let options = crate::impact::Options {
        limits,
        load,
        jobs: args.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        }),
        details: args.details,
    };
    let mut progress = super::super::progress::Progress::snapshots("impact", args.quiet);
    let new = PackSource::read(&args.policies, &options.limits);
    let old = match &revision {
        Some(revision) => {
            let (name, files) = super::super::git::read_pack(revision, &args.policies)?;
            PackSource::from_files(name, files, &options.limits)
        }
        None => PackSource::read(&args.against, &options.limits),
    };
    let result = crate::impact::run_read(new, old, &snapshots, &options, &mut |done, total| {
        progress.update(done as u64, total as u64)
    });
    progress.finish();
    let impact = match result {
        Ok(impact) => impact,
        Err(failure) => {
            // A policy error names the policy file, not the snapshot it failed on.
            if let (Some(path), Some(side)) = (&failure.snapshot, failure.side) {
                let pack = match side {
                    crate::impact::Side::New => &args.policies,
                    crate::impact::Side::Old => &args.against,
                };
                super::super::stderr::line(&format!(
                    "while evaluating `{}` with the {} pack `{}`:",
                    escape_terminal(&path.display().to_string()),
                    side.as_str(),
                    escape_terminal(&pack.display().to_string())
                ));
            }
            return Err(failure.error.into());
        }
    };
    super::super::stderr::policies_printed(&impact.log);
    let report = &impact.report;
    output.write(
        match args.output.format {
            Format::Text => render::to_string(&render::impact::ImpactText, report),
            Format::Json => render::to_string(&render::json::Json, report),
        }
        .as_bytes(),
    )?;
    Ok(if report.has_differences() {
        Status::Flagged
    } else {
        Status::Clean
    })
}
