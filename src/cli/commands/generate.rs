//! `bursar gen`: writes a deterministic synthetic snapshot, to reproduce benchmarks and
//! try bursar at scale, or with `--sprints` a series of consecutive sprints of one
//! organisation and its manifest, to try `bursar trends`.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::synthetic::{
    MANIFEST, MAX_FAMILIES, MAX_SPRINTS, MAX_SQUADS, MAX_VARIANTS, Options, Scenario, Series,
};

use super::super::status::Status;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of runs (at most 20000000; with --sprints, at most 100000000 over the series)
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
          conflicts_with = "sprints",
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
    /// Sprint id `YYYY-SNN`: two weeks from the Monday of ISO week 2N-1 (with --sprints, the first)
    #[arg(long, value_name = "ID", default_value_t = Options::default().sprint)]
    sprint: String,
    /// Write `run_groups` (one per squad, workflow, variant, pool and outcome) instead of `runs`
    #[arg(long)]
    groups: bool,
    /// Write here instead of stdout (written whole, or not at all)
    #[arg(long, value_name = "FILE", conflicts_with = "sprints")]
    out: Option<PathBuf>,
    /// Write N consecutive sprints of one organisation to --out-dir, with `series.json`
    #[arg(long, value_name = "N", requires = "out_dir",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SPRINTS)))]
    sprints: Option<u32>,
    /// With --sprints: `fair`, or `entrenched` (capacity, top-ups and long experiments
    /// gather in the largest squads, which sometimes take another squad's credit), or a
    /// variation planting one failure (what it planted is in `series.json`)
    #[arg(long, value_enum, default_value = "fair", requires = "sprints")]
    scenario: ScenarioArg,
    /// With --sprints: the folder for `<sprint id>.json` files and `series.json` (created if missing)
    #[arg(long, value_name = "DIR", requires = "sprints")]
    out_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ScenarioArg {
    Fair,
    FairTopups,
    Entrenched,
    Extreme,
    Concentrated,
    Turning,
    Capture,
    NoOrigin,
    Short,
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
    if let (Some(sprints), Some(dir)) = (args.sprints, args.out_dir) {
        let scenario = match args.scenario {
            ScenarioArg::Fair => Scenario::Fair,
            ScenarioArg::FairTopups => Scenario::FairTopups,
            ScenarioArg::Entrenched => Scenario::Entrenched,
            ScenarioArg::Extreme => Scenario::Extreme,
            ScenarioArg::Concentrated => Scenario::Concentrated,
            ScenarioArg::Turning => Scenario::Turning,
            ScenarioArg::Capture => Scenario::Capture,
            ScenarioArg::NoOrigin => Scenario::NoOrigin,
            ScenarioArg::Short => Scenario::Short,
        };
        return write_series(&options, sprints, scenario, &dir);
    }
    // Before any file is touched: a wrong option must not leave a temporary file behind.
    options.validate()?;
    let output = super::super::output::Output::new(args.out.as_deref(), &[])?;
    output.write_with(
        |mut out| match crate::synthetic::write(&options, &mut out) {
            Ok(()) => Ok(()),
            Err(crate::synthetic::Error::Io(e)) => Err(e),
            Err(other) => Err(std::io::Error::other(other.to_string())),
        },
    )?;
    Ok(Status::Clean)
}

/// Plans the whole series (every option checked) before writing a file, then writes each
/// sprint whole, and the manifest last: a folder with `series.json` holds a whole series.
fn write_series(
    options: &Options,
    sprints: u32,
    scenario: Scenario,
    dir: &Path,
) -> anyhow::Result<Status> {
    let series = Series::plan(options, sprints, scenario)?;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    for k in 0..series.len() {
        let path = dir.join(series.file_name(k));
        let output = super::super::output::Output::new(Some(&path), &[])?;
        output.write_with(|mut out| match series.write_sprint(k, &mut out) {
            Ok(()) => Ok(()),
            Err(crate::synthetic::Error::Io(e)) => Err(e),
            Err(other) => Err(std::io::Error::other(other.to_string())),
        })?;
    }
    super::super::output::Output::new(Some(&dir.join(MANIFEST)), &[])?
        .write(&crate::synthetic::manifest(&series))?;
    Ok(Status::Clean)
}
