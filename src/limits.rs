//! Sandbox limits: what one policy may spend, recorded in every decisions document so a
//! run can be repeated with exactly the same ones.

use serde::{Deserialize, Serialize};

/// Memory one policy may allocate by default, in MiB: far above what a policy over native
/// aggregates needs, far below a CI runner's memory. The CLI may lower it.
pub const DEFAULT_MAX_MEMORY_MB: u64 = 1024;

/// Largest snapshot read by default, in MiB: four times the largest measured export (a
/// million runs is about 230 MB), and a bound on what a stream with no end (`/dev/zero`)
/// can make bursar read before it is refused.
pub const DEFAULT_MAX_SNAPSHOT_MB: u64 = 1024;

/// Largest policy or module file by default, in KiB: thirty times this repository's
/// largest policy. Rhai's parser searches the variables in scope, and the keys of a map
/// literal (and closures, and a function's parameters), one by one for each new one, so
/// compiling takes time quadratic in the size of a file (measured: the costliest 64 KiB
/// files found compile in about two seconds, a 1 MiB one in minutes). This size bounds
/// that time.
pub const DEFAULT_MAX_POLICY_KB: u64 = 64;

/// Stack of the threads that run policies (the binary's worker and `parallel`'s).
pub const POLICY_STACK_BYTES: usize = 256 << 20;

/// Stack one call level may take, plus one nesting level inside it: measured in a debug
/// build (about 5.4 KiB and 1.3 KiB; release frames are smaller) and doubled.
const CALL_LEVEL_BYTES: u64 = 12 << 10;
const NESTING_LEVEL_BYTES: u64 = 3 << 10;
/// What the limits may use of that stack: half stays free.
const STACK_BUDGET: u64 = POLICY_STACK_BYTES as u64 / 2;

/// Sandbox limits, recorded in every decisions document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Operations one policy may run (Rhai's count) before it is stopped (`--max-operations`).
    pub max_operations: u64,
    /// Depth of nested function calls (`--max-call-levels`).
    pub max_call_levels: usize,
    /// Depth of nested expressions (`--max-expr-depth`).
    pub max_expr_depth: usize,
    /// Longest string a policy may build, in bytes (`--max-string-size`).
    pub max_string_size: usize,
    /// Largest array a policy may build (`--max-array-size`).
    pub max_array_size: usize,
    /// Largest map a policy may build (`--max-map-size`).
    pub max_map_size: usize,
    /// Time one policy may run, in milliseconds (`--timeout-ms`).
    pub timeout_ms: u64,
    /// Memory one policy may allocate beyond what the process held when it started,
    /// enforced where the binary installs the counting allocator.
    pub max_memory_mb: u64,
    /// Decisions one policy may record: a loop over a large snapshot that records far
    /// more than anyone reads would otherwise fill memory and the document.
    pub max_decisions: usize,
    /// Largest snapshot read, in MiB: a file, a pipe or standard input past it is refused
    /// before more is read. Documents written before it was recorded read as the default.
    #[serde(default = "default_max_snapshot_mb")]
    pub max_snapshot_mb: u64,
    /// Largest policy or module file, in KiB: what bounds the time the pack takes to
    /// compile (64 by default: the costliest files of that size compile in about two
    /// seconds).
    #[serde(default = "default_max_policy_kb")]
    pub max_policy_kb: u64,
}

fn default_max_snapshot_mb() -> u64 {
    DEFAULT_MAX_SNAPSHOT_MB
}

fn default_max_policy_kb() -> u64 {
    DEFAULT_MAX_POLICY_KB
}

impl Limits {
    /// The stack a policy may need at these limits: every call level can hold a call
    /// nested as deep as `max_expr_depth` allows (Rhai checks neither at run time
    /// against the stack, so a limit the stack cannot hold would abort the process).
    pub fn stack_needed(&self) -> u64 {
        let calls = self.max_call_levels as u64 + 1;
        let depth = self.max_expr_depth as u64;
        calls.saturating_mul(
            CALL_LEVEL_BYTES.saturating_add(depth.saturating_mul(NESTING_LEVEL_BYTES)),
        )
    }

    /// Whether the policy threads' stack holds these limits with room to spare (half of it
    /// stays free for the host, the loaders and what the measurement missed).
    pub fn fit_stack(&self) -> bool {
        self.stack_needed() <= STACK_BUDGET
    }

    /// [`Limits::max_snapshot_mb`] in bytes.
    pub fn max_snapshot_bytes(&self) -> u64 {
        self.max_snapshot_mb.saturating_mul(1 << 20)
    }

    /// [`Limits::max_policy_kb`] in bytes.
    pub fn max_policy_bytes(&self) -> u64 {
        self.max_policy_kb.saturating_mul(1 << 10)
    }

    /// The most call levels the stack holds at this nesting depth.
    pub fn most_call_levels(&self) -> u64 {
        let depth = self.max_expr_depth as u64;
        (STACK_BUDGET / CALL_LEVEL_BYTES.saturating_add(depth.saturating_mul(NESTING_LEVEL_BYTES)))
            .saturating_sub(1)
    }

    /// The deepest nesting the stack holds at these call levels.
    pub fn most_expr_depth(&self) -> u64 {
        let calls = self.max_call_levels as u64 + 1;
        (STACK_BUDGET / calls).saturating_sub(CALL_LEVEL_BYTES) / NESTING_LEVEL_BYTES
    }
}

impl Default for Limits {
    /// The documented defaults. They never depend on the machine or the environment:
    /// the same command gives the same document everywhere.
    fn default() -> Self {
        Self {
            max_operations: 20_000_000,
            max_call_levels: 48,
            max_expr_depth: 64,
            max_string_size: 1 << 20,
            max_array_size: 1 << 20,
            max_map_size: 1 << 16,
            timeout_ms: 10_000,
            max_memory_mb: DEFAULT_MAX_MEMORY_MB,
            max_decisions: 100_000,
            max_snapshot_mb: DEFAULT_MAX_SNAPSHOT_MB,
            max_policy_kb: DEFAULT_MAX_POLICY_KB,
        }
    }
}
