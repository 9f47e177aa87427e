//! Argument sets shared by the commands: sandbox limits, `--format`/`--out`, and the
//! policy pack folder.

use std::path::{Path, PathBuf};

use super::{machine, output};

/// Sandbox limits, settable wherever policies run.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Most script operations per policy
    #[arg(long, value_name = "N", default_value_t = crate::limits::Limits::default().max_operations, value_parser = clap::value_parser!(u64).range(1..))]
    max_operations: u64,
    /// Deepest nesting of function calls (bounded by the stack together with
    /// --max-expr-depth: at most 641 at the default depth)
    #[arg(long, value_name = "N", default_value_t = crate::limits::Limits::default().max_call_levels, value_parser = at_least_one())]
    max_call_levels: usize,
    /// Deepest nesting of expressions (also at parse time; bounded by the stack together
    /// with --max-call-levels: at most 887 at the default call levels)
    #[arg(long, value_name = "N", default_value_t = crate::limits::Limits::default().max_expr_depth, value_parser = at_least_one())]
    max_expr_depth: usize,
    /// Longest string a script may build, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = crate::limits::Limits::default().max_string_size, value_parser = at_least_one())]
    max_string_size: usize,
    /// Largest array a script may build
    #[arg(long, value_name = "N", default_value_t = crate::limits::Limits::default().max_array_size, value_parser = at_least_one())]
    max_array_size: usize,
    /// Largest map a script may build
    #[arg(long, value_name = "N", default_value_t = crate::limits::Limits::default().max_map_size, value_parser = at_least_one())]
    max_map_size: usize,
    /// Wall-clock limit per policy, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = crate::limits::Limits::default().timeout_ms, value_parser = clap::value_parser!(u64).range(1..))]
    timeout_ms: u64,
    /// Memory one policy may allocate, in MiB (`BURSAR_MAX_MEMORY_MB` lowers the default)
    #[arg(long, value_name = "MIB", default_value_t = default_max_memory_mb(), value_parser = clap::value_parser!(u64).range(1..))]
    max_memory_mb: u64,
    /// Most decisions one policy may record
    #[arg(long, value_name = "N", default_value_t = crate::limits::Limits::default().max_decisions, value_parser = at_least_one())]
    max_decisions: usize,
    /// Largest policy or module file, in KiB (compiling takes time that grows with the
    /// square of a file's size)
    #[arg(long, value_name = "KIB", default_value_t = crate::limits::DEFAULT_MAX_POLICY_KB, value_parser = clap::value_parser!(u64).range(1..))]
    max_policy_kb: u64,
    #[command(flatten)]
    snapshot: SnapshotLimitArgs,
}

/// The snapshot size limit, for every command that reads a snapshot (`validate` too,
/// which runs no policy).
#[derive(Debug, Clone, clap::Args)]
pub struct SnapshotLimitArgs {
    /// Largest snapshot read, in MiB (a file, a pipe or standard input)
    #[arg(long, value_name = "MIB", default_value_t = crate::limits::DEFAULT_MAX_SNAPSHOT_MB, value_parser = clap::value_parser!(u64).range(1..))]
    max_snapshot_mb: u64,
}

impl SnapshotLimitArgs {
    pub fn mb(&self) -> u64 {
        self.max_snapshot_mb
    }
}

/// The policy memory limit's default: the library's, or less on a runner that says it
/// has less (`BURSAR_MAX_MEMORY_MB`, which also caps snapshot loading).
fn default_max_memory_mb() -> u64 {
    let default = crate::limits::DEFAULT_MAX_MEMORY_MB;
    // A limit of 0 would stop every policy at once; 0 only means "nothing fits" for loading.
    machine::memory_cap_mb()
        .filter(|&mb| mb > 0)
        .map_or(default, |mb| default.min(mb))
}

/// Rhai reads a limit of 0 as no limit at all; a limit must be at least 1.
pub fn at_least_one() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(1..)
}

impl LimitArgs {
    /// The limits, or an error when the stack policies run on cannot hold them (a runaway
    /// recursion would abort the process instead of ending in the limit error).
    pub fn limits(&self) -> anyhow::Result<crate::limits::Limits> {
        let limits = crate::limits::Limits {
            max_operations: self.max_operations,
            max_call_levels: self.max_call_levels,
            max_expr_depth: self.max_expr_depth,
            max_string_size: self.max_string_size,
            max_array_size: self.max_array_size,
            max_map_size: self.max_map_size,
            timeout_ms: self.timeout_ms,
            max_memory_mb: self.max_memory_mb,
            max_decisions: self.max_decisions,
            max_snapshot_mb: self.snapshot.mb(),
            max_policy_kb: self.max_policy_kb,
        };
        if !limits.fit_stack() {
            anyhow::bail!(
                "`--max-call-levels {}` with `--max-expr-depth {}` needs more stack than \
                 policies run on: at most {} call levels at this depth, or at most {} \
                 nesting levels at these call levels",
                limits.max_call_levels,
                limits.max_expr_depth,
                limits.most_call_levels(),
                limits.most_expr_depth()
            );
        }
        Ok(limits)
    }
}

/// The formats one command writes: its own `clap::ValueEnum`, so `--help` and the error
/// for any other format name exactly those.
pub trait Formats: clap::ValueEnum + Clone + Send + Sync + 'static {
    /// The format's name when `--format` is not given. A name, not a value: clap's
    /// `default_value_t` caches the default in one static shared by every command.
    const DEFAULT: &'static str;
}

/// Where and how a command writes its output: the same `--format` and `--out` for every
/// command, with the formats and default of the command (`F`).
#[derive(Debug, clap::Args)]
pub struct OutputArgs<F: Formats> {
    /// Output format
    #[arg(long, value_enum, default_value = F::DEFAULT)]
    pub format: F,
    /// Write the output here instead of stdout (written whole, or not at all)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl<F: Formats> OutputArgs<F> {
    /// Where the output goes, checked before any work is done: an `--out` that is one of
    /// `inputs` (name, path) is refused.
    pub fn open(&self, inputs: &[(&str, &Path)]) -> Result<output::Output, crate::Error> {
        output::Output::new(self.out.as_deref(), inputs)
    }
}

/// The policy pack folder of commands that run one pack.
#[derive(Debug, clap::Args)]
pub struct PackArgs {
    /// The policy pack folder [default: `policies` in the current folder]
    #[arg(long, value_name = "DIR")]
    policies: Option<PathBuf>,
}

/// The pack folder used when `--policies` is not given.
const DEFAULT_POLICIES: &str = "policies";

impl PackArgs {
    pub fn dir(&self) -> &Path {
        self.policies
            .as_deref()
            .unwrap_or(Path::new(DEFAULT_POLICIES))
    }

    /// The error as it stands, except that a default folder that cannot be read says it
    /// was the default and which flag names another: the user never typed `policies`.
    pub fn explain(&self, error: crate::Error) -> anyhow::Error {
        match &error {
            crate::Error::Read { path, source }
                if self.policies.is_none() && path == Path::new(DEFAULT_POLICIES) =>
            {
                anyhow::anyhow!(
                    "cannot read `{DEFAULT_POLICIES}`, the policy folder used when --policies \
                     is not given (set it with --policies DIR): {source}"
                )
            }
            _ => error.into(),
        }
    }
}
