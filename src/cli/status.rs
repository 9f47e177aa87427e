//! How a command ended, as the exit code CI reads.

/// Exit statuses: 0 clean, 1 the policies said no, 2 the tool or its input failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Clean = 0,
    Flagged = 1,
    Failed = 2,
}
