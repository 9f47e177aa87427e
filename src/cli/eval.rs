//! `bursar eval`: evaluates a policy pack on a snapshot and writes the decisions.

use std::path::PathBuf;

use bursar::decision::Severity;
use bursar::render;

use super::args::{LimitArgs, OutputArgs, PackArgs};
use super::status::Status;

/// The formats `eval` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Json,
    Text,
    Junit,
    Sarif,
}

impl super::args::Formats for Format {
    const DEFAULT: &'static str = "json";
}

impl From<Format> for render::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Json => Self::Json,
            Format::Text => Self::Text,
            Format::Junit => Self::Junit,
            Format::Sarif => Self::Sarif,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Deny,
    Warn,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The sprint snapshot (JSON; `-` for standard input)
    #[arg(long, value_name = "FILE")]
    snapshot: PathBuf,
    #[command(flatten)]
    pack: PackArgs,
    #[command(flatten)]
    output: OutputArgs<Format>,
    /// Exit 1 when a decision has this severity or higher
    #[arg(long, value_enum, default_value_t = FailOn::Deny)]
    fail_on: FailOn,
    /// No progress line on stderr
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let output = args.output.open(&[
        ("the snapshot", &args.snapshot),
        ("the policy pack", args.pack.dir()),
    ])?;
    let load = super::machine::load_options();
    let snapshot = super::machine::snapshot_source(&args.snapshot, &load)?;
    let mut progress =
        super::progress::Progress::bytes(format!("loading {}", snapshot.origin()), args.quiet);
    let evaluation = bursar::eval::evaluate_with_progress(
        &snapshot,
        args.pack.dir(),
        args.limits.limits(),
        &load,
        &mut |done, total| progress.update(done, total),
    );
    progress.finish();
    let evaluation = evaluation.map_err(|e| args.pack.explain(e))?;
    for line in &evaluation.log {
        eprintln!("{line}");
    }
    let doc = &evaluation.document;
    let threshold = match args.fail_on {
        FailOn::Deny => Some(Severity::Deny),
        FailOn::Warn => Some(Severity::Warn),
        FailOn::Never => None,
    };
    let context = render::Context {
        fail_on: threshold,
        policies: args.pack.dir().to_owned(),
    };
    let format = render::Format::from(args.output.format);
    output.write(render::to_string(&*format.emitter(&context), doc).as_bytes())?;
    let flagged = matches!((threshold, doc.max_severity()), (Some(t), Some(max)) if max >= t);
    Ok(if flagged {
        Status::Flagged
    } else {
        Status::Clean
    })
}
