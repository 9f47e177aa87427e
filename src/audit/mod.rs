//! Auditing a record: reading a decisions document back, comparing two decision sets,
//! attributing each change to its input, verifying a record by re-evaluating it, and
//! explaining one decision through the decisions it drew on.

pub mod attribution;
pub mod compare;
pub mod diff_report;
pub mod document;
pub mod explain;
pub mod inputs_diff;
pub mod recorded;
pub mod stream;
pub mod verify;

#[cfg(test)]
mod tests;
