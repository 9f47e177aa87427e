//! What `bursar gen` is asked to generate, and the bounds each option must keep.

use std::io;

use super::sprint::SprintId;

/// Most squads `gen` accepts: squad ids stay short and readable.
pub const MAX_SQUADS: u32 = 10_000;
/// Most workflow families `gen` accepts.
pub const MAX_FAMILIES: u32 = 1_000;
/// Variants are named `A` to `Z`.
pub const MAX_VARIANTS: u32 = 26;
/// Most runs one snapshot may have: about 5 GB written (some 240 bytes a run), five
/// times the snapshot size `eval` reads by default. A bound checked before a byte is
/// written, so a mistyped count cannot fill a disk.
pub const MAX_RUNS: u64 = 20_000_000;
/// Most runs a series may have over all its sprints (`--runs` times `--sprints`): planning
/// draws every run once, so this bounds planning time as well as the bytes written.
pub const MAX_SERIES_RUNS: u64 = 100_000_000;
/// Past this exponent every run lands in the first squad anyway.
pub const MAX_SKEW: f64 = 10.0;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Number of runs.
    pub runs: u64,
    /// Number of squads.
    pub squads: u32,
    /// Workflow families.
    pub families: u32,
    /// Variants per family: `A` and `B` are in the catalog, the others are exploring.
    pub variants: u32,
    /// Share of exploration runs with no workflow and variant: what the `health`
    /// policy's `untagged_share` measures (in tokens) comes out close to it.
    pub untagged_share: f64,
    /// Zipf exponent of run volume (and top-up requests) over squads; 0 spreads evenly.
    pub skew: f64,
    /// The seed: the same options and seed give the same bytes.
    pub seed: u64,
    /// `YYYY-SNN`: two-week sprint N starts on the Monday of ISO week 2N-1.
    pub sprint: String,
    /// Write `run_groups` (one per squad, workflow, variant, pool, outcome) instead of `runs`.
    pub groups: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            runs: 5000,
            squads: 12,
            families: 6,
            variants: 4,
            untagged_share: 0.10,
            skew: 1.0,
            seed: 1,
            sprint: "2026-S24".to_owned(),
            groups: false,
        }
    }
}

/// Why generating failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An option out of range, in the words `--help` uses.
    #[error("{0}")]
    Option(String),
    /// Writing the output failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl Options {
    /// Checks the options; [`generate()`](crate::generate()) does too, this lets a caller fail before opening files.
    pub fn validate(&self) -> Result<(), Error> {
        self.sprint()?;
        let within = |what: &str, n: u32, max: u32| {
            if (1..=max).contains(&n) {
                Ok(())
            } else {
                Err(Error::Option(format!(
                    "{what} must be between 1 and {max}, not `{n}`"
                )))
            }
        };
        if self.runs > MAX_RUNS {
            return Err(Error::Option(format!(
                "the number of runs must be at most {MAX_RUNS}, not `{}`",
                self.runs
            )));
        }
        within("the number of squads", self.squads, MAX_SQUADS)?;
        within("the number of families", self.families, MAX_FAMILIES)?;
        within("the number of variants", self.variants, MAX_VARIANTS)?;
        if !(0.0..=1.0).contains(&self.untagged_share) {
            return Err(Error::Option(format!(
                "the untagged share must be between 0 and 1, not `{}`",
                self.untagged_share
            )));
        }
        if !(0.0..=MAX_SKEW).contains(&self.skew) {
            return Err(Error::Option(format!(
                "the skew must be between 0 and {MAX_SKEW}, not `{}`",
                self.skew
            )));
        }
        Ok(())
    }

    /// Checks that a series of `sprints` sprints of these options stays within
    /// [`MAX_SERIES_RUNS`], before anything is planned.
    pub(super) fn series_within(&self, sprints: u32) -> Result<(), Error> {
        let total = self.runs.saturating_mul(u64::from(sprints));
        if total > MAX_SERIES_RUNS {
            return Err(Error::Option(format!(
                "a series may have at most {MAX_SERIES_RUNS} runs over all its sprints, not \
                 `{}` runs times `{sprints}` sprints",
                self.runs
            )));
        }
        Ok(())
    }

    pub(super) fn sprint(&self) -> Result<SprintId, Error> {
        SprintId::parse(&self.sprint).ok_or_else(|| {
            Error::Option(format!(
                "sprint id `{}` is not of the form `YYYY-SNN` with NN from 01 to 26",
                self.sprint
            ))
        })
    }
}
