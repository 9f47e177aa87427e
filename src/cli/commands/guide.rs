//! `bursar guide`: writes the policy authoring guide, generated from the engine's own
//! definitions (the fact fields, the check operators and units, the worked example).

use super::super::args::OutputArgs;
use super::super::status::Status;

super::super::formats::formats!("markdown", Markdown);

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    output: OutputArgs<Format>,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let output = args.output.open(&[])?;
    let text = match args.output.format {
        Format::Markdown => crate::guide::guide(),
    };
    output.write(text.as_bytes())?;
    Ok(Status::Clean)
}
