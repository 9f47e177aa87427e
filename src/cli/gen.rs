//! `bursar gen`: writes a deterministic synthetic snapshot, to reproduce benchmarks and
//! try bursar at scale.

use std::path::PathBuf;

use bursar::gen::{Options, MAX_FAMILIES, MAX_SQUADS, MAX_VARIANTS};

use super::status::Status;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of runs
    #[arg(long, value_name = "N", default_value_t = Options::default().runs)]
    runs: u64,
    /// Number of squads
    #[arg(long, value_name = "N", default_value_t = Options::default().squads,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SQUADS)))]
    squads: u32,
    /// Number of workflow families
    #[arg(long, value_name = "N", default_value_t = Options::default().families,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_FAMILIES)))]
    families: u32,
    /// Variants per family: A and B are in the catalog, the others are exploring
    #[arg(long, value_name = "N", default_value_t = Options::default().variants,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_VARIANTS)))]
    variants: u32,
    /// Share of exploration runs with no workflow and variant (0 to 1)
    #[arg(long, value_name = "F", default_value_t = Options::default().untagged_share,
          allow_negative_numbers = true)]
    untagged_share: f64,
    /// How strongly runs concentrate in a few big squads (Zipf exponent; 0 spreads them evenly)
    #[arg(long, value_name = "F", default_value_t = Options::default().skew,
          allow_negative_numbers = true)]
    skew: f64,
    /// Seed: the same options give the same bytes on every machine
    #[arg(long, value_name = "N", default_value_t = Options::default().seed)]
    seed: u64,
    /// Sprint id `YYYY-SNN`: two weeks from the Monday of ISO week 2N-1
    #[arg(long, value_name = "ID", default_value_t = Options::default().sprint)]
    sprint: String,
    /// Write `run_groups` (one per squad, workflow, variant, pool and outcome) instead of `runs`
    #[arg(long)]
    groups: bool,
    /// Write here instead of stdout (written whole, or not at all)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let options = Options {
        runs: args.runs,
        squads: args.squads,
        families: args.families,
        variants: args.variants,
        untagged_share: args.untagged_share,
        skew: args.skew,
        seed: args.seed,
        sprint: args.sprint,
        groups: args.groups,
    };
    // Before any file is touched: a wrong option must not leave a temporary file behind.
    options.validate()?;
    let output = super::output::Output::new(args.out.as_deref(), &[])?;
    output.write_with(|mut out| match bursar::gen::write(&options, &mut out) {
        Ok(()) => Ok(()),
        Err(bursar::gen::Error::Io(e)) => Err(e),
        Err(other) => Err(std::io::Error::other(other.to_string())),
    })?;
    Ok(Status::Clean)
}
