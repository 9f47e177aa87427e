//! Command-line interface: the subcommands in `commands/` (one file each, an `Args` struct
//! and a `run`), the argument sets, output and terminal handling they share beside them.

mod args;
mod commands;
mod failure;
mod formats;
mod git;
mod machine;
mod output;
mod progress;
mod report;
mod status;
pub mod stderr;
pub mod streams;

use clap::{Parser, Subcommand};

pub use status::Status;

// What the binary (`src/main.rs`) needs besides `parse` and `run`.
pub use crate::host::memory::Counting;
pub use crate::limits::POLICY_STACK_BYTES;
pub use failure::error_text;

#[derive(Debug, Parser)]
#[command(
    name = "bursar",
    version,
    about = "Evaluate split-budget governance policies (Rhai) against a sprint snapshot"
)]
pub struct Cli {
    /// How errors are written to stderr: for people, or one JSON object per line
    #[arg(long, global = true, value_enum, default_value = "human")]
    pub error_format: ErrorFormat,
    #[command(subcommand)]
    command: Command,
}

/// How errors and policy findings are written to stderr; stdout carries only the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ErrorFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a snapshot against the schema and the handbook's rules
    Validate(commands::validate::Args),
    /// Evaluate a policy pack on a snapshot and write the decisions
    Eval(commands::eval::Args),
    /// Write a deterministic synthetic snapshot, for benchmarks and trying bursar at scale
    Gen(commands::generate::Args),
    /// Compile a policy pack and list its policies in evaluation order
    Check(commands::check::Args),
    /// Compare the decisions of two policy packs over many snapshots
    Impact(commands::impact::Args),
    /// Compare two decisions documents, or two snapshots under two packs with the cause of
    /// each change
    Diff(commands::diff::Args),
    /// Re-evaluate the inputs a decisions document names and confirm it byte for byte
    Verify(commands::verify::Args),
    /// Explain one decision of a decisions document, with the decisions it drew on
    Explain(commands::explain::Args),
    /// Run the policy test cases kept beside a pack (`<pack>/tests/*.case`)
    Test(commands::test::Args),
    /// Write the policy authoring guide (`policies/README.md`), generated from the engine
    Guide(commands::guide::Args),
    /// Write Rhai definition files of the policy API, for editors with Rhai support
    Definitions(commands::definitions::Args),
    /// Across many sprints: do split budgets surface promotable workflows or entrench squads?
    Trends(commands::trends::Args),
    /// Build a snapshot's runs from OTLP traces and logs and LiteLLM logs, added to a base
    Import(commands::import::Args),
}

/// Parses the command line, or says why it cannot in the error format asked for: an
/// argument error under `--error-format json` is a JSON line like every other error,
/// although the arguments (that flag among them) did not parse, so the flag is looked
/// for in them as given. Help and the version are written as clap writes them.
pub fn parse() -> Result<Cli, std::process::ExitCode> {
    use clap::error::ErrorKind;
    let error = match Cli::try_parse() {
        Ok(cli) => return Ok(cli),
        Err(error) => error,
    };
    let shown = matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    );
    if shown || !json_asked(std::env::args_os().skip(1)) {
        error.exit();
    }
    let text = error.render().to_string();
    let text = text.trim();
    let text = text.strip_prefix("error: ").unwrap_or(text);
    stderr::line(&crate::render::diagnostic::other_json(text).to_string());
    Err(std::process::ExitCode::from(Status::Failed as u8))
}

/// Whether the arguments ask for `--error-format json` (the last time they name it, before
/// any `--`).
fn json_asked(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    let mut json = false;
    let mut args = args.take_while(|a| a != "--").peekable();
    while let Some(arg) = args.next() {
        if arg == "--error-format" {
            json = args.peek().is_some_and(|v| v == "json");
        } else if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--error-format=")) {
            json = value == "json";
        }
    }
    json
}

pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Validate(args) => commands::validate::run(args),
        Command::Eval(args) => commands::eval::run(args),
        Command::Gen(args) => commands::generate::run(args),
        Command::Check(args) => commands::check::run(args, cli.error_format),
        Command::Impact(args) => commands::impact::run(args),
        Command::Test(args) => commands::test::run(args, cli.error_format),
        Command::Diff(args) => commands::diff::run(args),
        Command::Verify(args) => commands::verify::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Guide(args) => commands::guide::run(args),
        Command::Definitions(args) => commands::definitions::run(args),
        Command::Trends(args) => commands::trends::run(args),
        Command::Import(args) => commands::import::run(args),
    }
}
