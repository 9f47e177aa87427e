//! `bursar check`: finds the mistakes in a policy pack before any sprint runs, every one
//! of every file, on stderr (for people, or one JSON object each); stdout keeps the listing
//! of the policies in evaluation order and the modules they may import (`--format text`),
//! or one JSON document of the pack and every finding (`--format json`).

use super::super::ErrorFormat;
use super::super::args::{LimitArgs, OutputArgs, PackArgs};
use super::super::status::Status;

super::super::formats::formats!("text", Text, Json);

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pack: PackArgs,
    #[command(flatten)]
    output: OutputArgs<Format>,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: Args, errors: ErrorFormat) -> anyhow::Result<Status> {
    let dir = args.pack.dir();
    let output = args.output.open(&[("the policy pack", dir)])?;
    let limits = args.limits.limits()?;
    let source = crate::host::PackSource::read(dir, &limits).map_err(|e| args.pack.explain(e))?;
    let report = crate::check::check_with_cases(&source, limits, Some(&dir.join("tests")));
    match args.output.format {
        Format::Text => {
            if let Some(pack) = &report.pack {
                output.write(crate::render::check::listing(dir, pack).as_bytes())?;
            }
        }
        Format::Json => {
            let text = crate::render::check::document(dir, report.pack.as_ref(), &report.findings);
            output.write(text.as_bytes())?;
        }
    }
    if report.findings.is_empty() {
        return Ok(Status::Clean);
    }
    let text = match errors {
        ErrorFormat::Human => crate::render::check::findings(&report.findings),
        ErrorFormat::Json => crate::render::check::findings_json(&report.findings),
    };
    super::super::stderr::print(&text);
    Ok(Status::Flagged)
}
