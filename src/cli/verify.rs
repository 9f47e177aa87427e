//! `bursar verify`: re-evaluates the snapshot and pack a decisions document names, with
//! the limits it records, and confirms the output is the file byte for byte. Exit 0
//! reproduced, 1 not reproduced (saying what differs), 2 error.

use std::path::PathBuf;

use bursar::exceptions::Exceptions;
use bursar::host::PackSource;
use bursar::render;

use super::args::OutputArgs;
use super::status::Status;

/// The formats `verify` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
}

impl super::args::Formats for Format {
    const DEFAULT: &'static str = "text";
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The decisions document to verify (`eval --format json`)
    #[arg(value_name = "DECISIONS")]
    document: PathBuf,
    /// The snapshot it was computed from (`-` for standard input)
    #[arg(long, value_name = "FILE")]
    snapshot: PathBuf,
    /// The policy pack it was computed with
    #[arg(long, value_name = "DIR")]
    policies: PathBuf,
    /// The exceptions file it was computed with (`eval --exceptions`)
    #[arg(long, value_name = "FILE")]
    exceptions: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs<Format>,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let mut inputs = vec![
        ("the decisions document", args.document.as_path()),
        ("the snapshot", args.snapshot.as_path()),
        ("the policy pack", args.policies.as_path()),
    ];
    if let Some(path) = &args.exceptions {
        inputs.push(("the exceptions", path.as_path()));
    }
    let output = args.output.open(&inputs)?;
    let recorded = super::diff::read(&args.document)?;
    let limits = recorded.document.limits;
    if !limits.fit_stack() {
        anyhow::bail!(
            "{}: /limits: the recorded `max_call_levels` {} with `max_expr_depth` {} need \
             more stack than policies run on",
            args.document.display(),
            limits.max_call_levels,
            limits.max_expr_depth
        );
    }
    let pack = PackSource::read(&args.policies, &limits)?;
    let exceptions = match &args.exceptions {
        Some(path) => Exceptions::read(path)?,
        None => Exceptions::none(),
    };
    let load = super::machine::load_options(limits.max_snapshot_mb);
    let snapshot = super::machine::snapshot_source(&args.snapshot, &load)?;
    let again = bursar::verify::reproduce(&recorded, &snapshot, &pack, &exceptions, &load)?;
    // The bytes `eval --format json` writes: the same emitter.
    let bytes = render::to_string(&render::json::JsonEmitter, &again.document);
    let verdict = bursar::verify::judge(&recorded, &again.document, bytes.as_bytes());
    let emitter = render::verify::VerifyText {
        document: args.document.display().to_string(),
        snapshot: snapshot.origin(),
        policies: args.policies.display().to_string(),
    };
    output.write(render::to_string(&emitter, &verdict).as_bytes())?;
    Ok(if verdict.reproduced {
        Status::Clean
    } else {
        Status::Flagged
    })
}
