//! `bursar check`: compiles a policy pack without a snapshot, so a broken policy or module
//! is caught in review; prints the policies in evaluation order with what they declare,
//! then the modules they may import.

use bursar::host::Host;

use super::args::{LimitArgs, OutputArgs, PackArgs};
use super::status::Status;

/// The formats `check` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
}

impl super::args::Formats for Format {
    const DEFAULT: &'static str = "text";
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pack: PackArgs,
    #[command(flatten)]
    output: OutputArgs<Format>,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let dir = args.pack.dir();
    let output = args.output.open(&[("the policy pack", dir)])?;
    let (_, pack) = Host::open(dir, args.limits.limits()?).map_err(|e| args.pack.explain(e))?;
    output.write(render(args.output.format, dir, &pack).as_bytes())?;
    Ok(Status::Clean)
}

/// The one place `check` turns a compiled pack into output.
fn render(format: Format, dir: &std::path::Path, pack: &bursar::host::Pack) -> String {
    match format {
        Format::Text => bursar::render::check::listing(dir, pack),
    }
}
