//! Command-line interface: one module per subcommand, each an `Args` struct and a `run`.

mod args;
mod check;
mod eval;
mod gen;
mod impact;
mod machine;
mod output;
mod progress;
mod report;
mod status;
pub mod stderr;
pub mod streams;
mod test;
mod trends;
mod validate;

use clap::{Parser, Subcommand};

pub use status::Status;

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
    Validate(validate::Args),
    /// Evaluate a policy pack on a snapshot and write the decisions
    Eval(eval::Args),
    /// Write a deterministic synthetic snapshot, for benchmarks and trying bursar at scale
    Gen(gen::Args),
    /// Compile a policy pack and list its policies in evaluation order
    Check(check::Args),
    /// Compare the decisions of two policy packs over many snapshots
    Impact(impact::Args),
    /// Run the policy test cases kept beside a pack (`<pack>/tests/*.case`)
    Test(test::Args),
    /// Across many sprints: do split budgets surface promotable workflows or entrench squads?
    Trends(trends::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Gen(args) => gen::run(args),
        Command::Check(args) => check::run(args),
        Command::Impact(args) => impact::run(args),
        Command::Test(args) => test::run(args),
        Command::Trends(args) => trends::run(args),
    }
}
