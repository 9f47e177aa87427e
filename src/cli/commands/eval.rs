//! `bursar eval`: evaluates a policy pack on a snapshot and writes the decisions.

use std::path::PathBuf;

use crate::decision::Severity;
use crate::exceptions::Exceptions;
use crate::render;
use crate::text::escape_terminal;

use super::super::args::{LimitArgs, OutputArgs, PackArgs};
use super::super::report::{self, Report};
use super::super::status::Status;

super::super::formats::formats!("json", Json, Text, Junit, Sarif, Github, Markdown);

impl From<Format> for render::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Json => Self::Json,
            Format::Text => Self::Text,
            Format::Junit => Self::Junit,
            Format::Sarif => Self::Sarif,
            Format::Github => Self::Github,
            Format::Markdown => Self::Markdown,
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
    /// Also write the decisions in FORMAT (any --format value) to PATH; repeatable.
    /// Written after --out, in the order given
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = report::parse::<Format>)]
    reports: Vec<Report<Format>>,
    /// Audited exceptions to apply (JSON, `schemas/exceptions.schema.json`): each sets the
    /// outcome and severity of one decision; those not applied are warned about
    #[arg(long, value_name = "FILE")]
    exceptions: Option<PathBuf>,
    /// Exit 1 when a decision has this severity or higher
    #[arg(long, value_enum, default_value_t = FailOn::Deny)]
    fail_on: FailOn,
    /// Refuse a snapshot with runs that started outside the sprint's days (exit 2, each at
    /// its JSON Pointer) instead of warning about them
    #[arg(long)]
    refuse_runs_outside_sprint: bool,
    /// No progress line on stderr, nor the failing decisions when exiting 1
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let mut inputs = vec![
        ("the snapshot", args.snapshot.as_path()),
        ("the policy pack", args.pack.dir()),
    ];
    if let Some(path) = &args.exceptions {
        inputs.push(("the exceptions", path.as_path()));
    }
    let output = args.output.open(&inputs)?;
    let reports = report::open(&args.reports, &output, &inputs)?;
    let limits = args.limits.limits()?;
    let exceptions = match &args.exceptions {
        Some(path) => Exceptions::read(path)?,
        None => Exceptions::none(),
    };
    let load = super::super::machine::load_options(limits.max_snapshot_mb);
    let snapshot = super::super::machine::snapshot_source(&args.snapshot, &load)?;
    let mut progress = super::super::progress::Progress::bytes(
        format!("loading {}", snapshot.origin()),
        args.quiet,
    );
    let evaluation = crate::eval::evaluate_with_progress(
        &snapshot,
        args.pack.dir(),
        limits,
        &load,
        &exceptions,
        &mut |done, total| progress.update(done, total),
    );
    progress.finish();
    let evaluation = evaluation.map_err(|e| args.pack.explain(e))?;
    if args.refuse_runs_outside_sprint && !evaluation.outside.is_empty() {
        // Before anything is written: the document is not trusted.
        return Err(crate::Error::Invalid {
            origin: snapshot.origin(),
            problems: evaluation.outside,
        }
        .into());
    }
    super::super::stderr::policies_printed(&evaluation.log);
    let doc = &evaluation.document;
    // Not applied or matching nothing: the auditor's attention, whatever the exit code.
    for warning in &doc.warnings {
        super::super::stderr::line(&format!("warning: {}", escape_terminal(&warning.message)));
    }
    let threshold = match args.fail_on {
        FailOn::Deny => Some(Severity::Deny),
        FailOn::Warn => Some(Severity::Warn),
        FailOn::Never => None,
    };
    let context = render::Context {
        fail_on: threshold,
        policies: args.pack.dir().to_owned(),
    };
    let rendered = |format: Format| {
        let format = render::Format::from(format);
        render::to_string(&*format.emitter(&context), doc)
    };
    // --out first, then the reports in the order given; the first that cannot be written
    // stops the run (exit 2): those before it stay written whole, those after it are not
    // written.
    output.write(rendered(args.output.format).as_bytes())?;
    for (format, output) in reports {
        report::write(&format, output, rendered(format).as_bytes())?;
    }
    match threshold {
        Some(fail_on) if doc.max_severity().is_some_and(|max| max >= fail_on) => {
            if !args.quiet {
                let summary = render::decisions::failures::FailuresText { fail_on };
                super::super::stderr::print(&render::to_string(&summary, doc));
            }
            Ok(Status::Flagged)
        }
        _ => Ok(Status::Clean),
    }
}
