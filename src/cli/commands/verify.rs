//! `bursar verify`: re-evaluates the snapshot and pack a decisions document names, with
//! the limits it records when they are within the command line's (the defaults, or the
//! flags given; a record asking for more is refused), and confirms the output is the file byte for byte. Exit 0
//! reproduced, 1 not reproduced (saying what differs), 2 error.

use std::path::PathBuf;

use crate::exceptions::Exceptions;
use crate::host::PackSource;
use crate::render;

use super::super::args::{LimitArgs, OutputArgs};
use super::super::status::Status;
use super::diff::DocumentLimitArgs;

super::super::formats::formats!("text", Text);

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
    /// The most the re-run may use: a record asking for more than these is refused
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    document_limit: DocumentLimitArgs,
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
    let allowed = args.limits.limits()?;
    let recorded = super::diff::read(&args.document, args.document_limit.mb(), true)?;
    let limits = recorded.document.limits;
    refuse_wider(&args.document, &limits, &allowed)?;
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
    let load = super::super::machine::load_options(limits.max_snapshot_mb);
    let snapshot = super::super::machine::snapshot_source(&args.snapshot, &load)?;
    let again = crate::audit::verify::reproduce(&recorded, &snapshot, &pack, &exceptions, &load)?;
    // The bytes `eval --format json` writes: the same emitter.
    let bytes = render::to_string(&render::json::Json, &again.document);
    let verdict = crate::audit::verify::judge(&recorded, &again.document, bytes.as_bytes());
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

/// Refuses a record whose limits are past the command line's, naming each and its flag.
fn refuse_wider(
    document: &std::path::Path,
    recorded: &crate::limits::Limits,
    allowed: &crate::limits::Limits,
) -> anyhow::Result<()> {
    let wider = crate::audit::verify::wider(recorded, allowed);
    if wider.is_empty() {
        return Ok(());
    }
    let problems = wider
        .iter()
        .map(|w| {
            crate::problem::Problem::new(
                format!("/limits/{}", w.limit),
                format!(
                    "the record asks for {}, more than the {} this run allows: verify re-runs \
                     a record only within its command line's limits (re-run with `{} {}` to \
                     allow it)",
                    w.recorded,
                    w.allowed,
                    w.flag(),
                    w.recorded
                ),
            )
        })
        .collect();
    Err(crate::Error::InvalidInput {
        origin: document.display().to_string(),
        kind: "record to re-run",
        problems,
    }
    .into())
}
