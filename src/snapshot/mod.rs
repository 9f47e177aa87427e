//! The sprint snapshot: its model, its runs as columns, and loading it, by a fast streaming
//! loader or a tree loader that reports every problem at once.
//!
//! Layers, each depending only on those before it: `terms` (a leaf); `runs` (the run
//! table); `model`; `rules` (the handbook's rules both
//! loaders share); `extent` and `raw` (the fast loader's byte measures and records),
//! `scanner`, `stream` (fast) and `tree` (complete) loaders; `load`, the
//! entry that picks a loader and keeps to the memory budget the caller gives; `located`,
//! the problems of the records the streaming loader refuses. This file
//! only re-exports.

pub(crate) mod duplicates;
mod extent;
mod load;
mod located;
pub mod model;
pub mod outside;
mod raw;
pub mod rules;
pub mod runs;
mod scanner;
pub mod serde_words;
mod stream;
pub mod terms;
mod tree;

pub use crate::problem::MAX_PROBLEMS;
#[cfg(test)]
pub use load::stream_verdict;
pub use load::{LoadOptions, STDIN_ORIGIN, Source, load, load_from, parse, read_within};
#[cfg(any(test, fuzzing))]
pub use load::{parse_streaming, parse_tree};
pub use model::*;

#[cfg(test)]
mod tests;
