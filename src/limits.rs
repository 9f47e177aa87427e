//! Sandbox limits: what one policy may spend, recorded in every decisions document so a
//! run can be repeated with exactly the same ones.

use serde::{Deserialize, Serialize};

/// Memory one policy may allocate by default, in MiB: far above what a policy over native
/// aggregates needs, far below a CI runner's memory. The CLI may lower it.
pub const DEFAULT_MAX_MEMORY_MB: u64 = 1024;

/// Sandbox limits, recorded in every decisions document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub max_operations: u64,
    pub max_call_levels: usize,
    pub max_expr_depth: usize,
    pub max_string_size: usize,
    pub max_array_size: usize,
    pub max_map_size: usize,
    pub timeout_ms: u64,
    /// Memory one policy may allocate beyond what the process held when it started,
    /// enforced where the binary installs the counting allocator.
    pub max_memory_mb: u64,
    /// Decisions one policy may record: a loop over a large snapshot that records far
    /// more than anyone reads would otherwise fill memory and the document.
    pub max_decisions: usize,
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
        }
    }
}
