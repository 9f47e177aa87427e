//! `bursar eval`: evaluates a policy pack on a snapshot and writes the decisions.

use std::path::PathBuf;

use bursar::decision::Severity;

use super::{LimitArgs, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Json,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Deny,
    Warn,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The sprint snapshot (JSON)
    #[arg(long, value_name = "FILE")]
    snapshot: PathBuf,
    /// The policy pack folder
    #[arg(long, value_name = "DIR", default_value = "policies")]
    policies: PathBuf,
    /// Write the output here instead of stdout (written whole, or not at all)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
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
    let output = super::output::Output::new(
        args.out.as_deref(),
        &[
            ("the snapshot", &args.snapshot),
            ("the policy pack", &args.policies),
        ],
    )?;
    let mut progress = super::progress::Progress::bytes(
        format!("loading {}", args.snapshot.display()),
        args.quiet,
    );
    let evaluation = bursar::eval::evaluate_with_progress(
        &args.snapshot,
        &args.policies,
        args.limits.limits(),
        &mut |done, total| progress.update(done, total),
    );
    progress.finish();
    let evaluation = evaluation?;
    for line in &evaluation.log {
        eprintln!("{line}");
    }
    let doc = &evaluation.document;
    let text = match args.format {
        Format::Json => doc.to_json(),
        Format::Text => bursar::render::text(doc),
    };
    output.write(text.as_bytes())?;
    let threshold = match args.fail_on {
        FailOn::Deny => Some(Severity::Deny),
        FailOn::Warn => Some(Severity::Warn),
        FailOn::Never => None,
    };
    let flagged = matches!((threshold, doc.max_severity()), (Some(t), Some(max)) if max >= t);
    Ok(if flagged {
        Status::Flagged
    } else {
        Status::Clean
    })
}
