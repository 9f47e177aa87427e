//! `bursar trends`: many sprint snapshots, one pack; whether split budgets surface
//! promotable workflows or entrench the influential squads.

use std::path::{Path, PathBuf};

use crate::render;
use crate::text::escape_terminal;

use super::super::args::{LimitArgs, OutputArgs, PackArgs};
use super::super::status::Status;

super::super::formats::formats!(
    "text",
    Text,
    Json,
    /// A self-contained dashboard for a browser
    Html,
);

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pack: PackArgs,
    /// The pack in force from DATE (YYYY-MM-DD) on: sprints starting on or after it are
    /// evaluated with DIR (repeatable), so the report shows where the rules moved
    #[arg(long, value_name = "DATE=DIR", value_parser = pack_from)]
    policies_from: Vec<(String, PathBuf)>,
    /// Sprint snapshots (JSON) of one organisation, in any order: the series is ordered by
    /// sprint dates (`-`, once, for standard input)
    #[arg(value_name = "SNAPSHOT", required = true)]
    snapshots: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs<Format>,
    /// Snapshots evaluated at once [default: the available cores]
    #[arg(long, short, value_name = "N", value_parser = super::super::args::at_least_one())]
    jobs: Option<usize>,
    /// No progress line on stderr
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

/// `DATE=DIR`, the date a calendar date.
fn pack_from(text: &str) -> Result<(String, PathBuf), String> {
    let (date, dir) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not DATE=DIR"))?;
    if crate::instant::parse_date(date).is_none() {
        return Err(format!("`{date}` is not a calendar date (YYYY-MM-DD)"));
    }
    if dir.is_empty() {
        return Err(format!("`{text}` names no policy folder after `=`"));
    }
    Ok((date.to_owned(), PathBuf::from(dir)))
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let later = later_packs(&args.policies_from)?;
    let mut inputs = vec![("the policy pack", args.pack.dir())];
    inputs.extend(
        args.policies_from
            .iter()
            .map(|(_, dir)| ("a policy pack", dir.as_path())),
    );
    let snapshot_paths = sprint_snapshots(&args.snapshots)?;
    inputs.extend(snapshot_paths.iter().map(|s| ("the snapshot", s.as_path())));
    let output = args.output.open(&inputs)?;
    let limits = args.limits.limits()?;
    let load = super::super::machine::load_options(limits.max_snapshot_mb);
    let snapshots = super::super::machine::snapshot_sources(&snapshot_paths, &load)?;
    let options = crate::trends::Options {
        limits,
        load,
        jobs: args.jobs.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        }),
    };
    let mut progress = super::super::progress::Progress::snapshots("trends", args.quiet);
    let result = crate::trends::run_with_packs(
        args.pack.dir(),
        &later,
        &snapshots,
        &options,
        &mut |done, total| progress.update(done as u64, total as u64),
    );
    progress.finish();
    let trends = match result.map_err(|f| *f) {
        Ok(trends) => trends,
        Err(crate::trends::Failure::Evaluate { error, snapshot }) => {
            // A policy error names the policy file, not the snapshot it failed on: the
            // snapshot is context, in the chosen error format (a line of its own, or the
            // JSON object's `context`).
            let error = args.pack.explain(error);
            return Err(match snapshot {
                Some(path) => error.context(format!("while evaluating `{}`", path.display())),
                None => error,
            });
        }
        Err(crate::trends::Failure::Series(message)) => anyhow::bail!(message),
    };
    super::super::stderr::policies_printed(&trends.log);
    let report = &trends.report;
    output.write(
        match args.output.format {
            Format::Text => render::to_string(&render::trends::text::TrendsText, report),
            Format::Json => render::to_string(&render::json::Json, report),
            Format::Html => render::to_string(&render::trends::dashboard::Dashboard, report),
        }
        .as_bytes(),
    )?;
    Ok(status(report))
}

/// The packs of `--policies-from` as days and folders, one pack a day at most.
fn later_packs(policies_from: &[(String, PathBuf)]) -> anyhow::Result<Vec<(i64, PathBuf)>> {
    let mut later = Vec::new();
    for (date, dir) in policies_from {
        let day = crate::instant::parse_date(date).expect("checked when parsed");
        if later.iter().any(|(d, _)| *d == day) {
            anyhow::bail!(
                "`--policies-from` gives {date} more than once: one pack comes into force a day"
            );
        }
        later.push((day, dir.clone()));
    }
    Ok(later)
}

/// The arguments that are sprint snapshots: a series manifest among them is left out
/// with a note, and none left is an error.
fn sprint_snapshots(arguments: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let snapshot_paths: Vec<PathBuf> = arguments
        .iter()
        .filter(|path| {
            let manifest = is_series_manifest(path);
            if manifest {
                super::super::stderr::line(&format!(
                    "note: left out `{}`, the manifest `gen --sprints` writes beside the \
                     snapshots, not a snapshot",
                    escape_terminal(&path.display().to_string())
                ));
            }
            !manifest
        })
        .cloned()
        .collect();
    // gen's `series.json` alone is no sprint: an answer from nothing would read as `met`.
    if snapshot_paths.is_empty() {
        anyhow::bail!(
            "no sprint snapshot among the arguments: trends needs at least one sprint's snapshot"
        );
    }
    Ok(snapshot_paths)
}

/// The exit status of a report: an entrenching answer, or a condition the series did not
/// meet, is a finding, as a `deny` is for `eval`.
fn status(report: &crate::trends::Report) -> Status {
    let not_met = report.answer.verdict == crate::trends::Direction::Entrenching
        || report
            .verdicts
            .iter()
            .any(|v| v.status == crate::trends::Status::NotMet);
    if not_met {
        Status::Flagged
    } else {
        Status::Clean
    }
}

/// Whether `path` is the manifest `gen --sprints` writes beside a series (`series.json`,
/// with its `scenario` and `credit_mismatches`): `DIR/*.json` names it with the snapshots,
/// and it is left out with a note rather than refused as an invalid snapshot. Only a small
/// regular file of that name is opened to look.
fn is_series_manifest(path: &Path) -> bool {
    const MOST_BYTES: u64 = 16 << 20;
    path.file_name() == Some(std::ffi::OsStr::new(crate::synthetic::MANIFEST))
        && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= MOST_BYTES)
        && std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .is_some_and(|v| v.get("scenario").is_some() && v.get("credit_mismatches").is_some())
}
