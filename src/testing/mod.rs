//! Policy tests: case files kept beside a pack (`<pack>/tests/*.case`), each a snapshot
//! (possibly partial) and the decisions the pack must give on it, run against a pack
//! compiled once. The CLI's `bursar test` and the crate's own test suite use this runner.

pub mod case;
pub mod coverage;
mod coverage_why;
pub mod defaults;
mod discover;
mod judged;
mod names;
pub mod report;
pub mod run;
pub mod update;
mod words;

pub use case::{Case, Expectation, Expected};
pub use report::{CaseReport, Outcome, TestReport, TestRun, Verdict};
pub use run::{Runner, run_case};
