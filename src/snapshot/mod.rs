//! The sprint snapshot: its model, its runs as columns, and loading it, by a fast streaming
//! loader or a tree loader that reports every problem at once.
//!
//! Inside, the loaders depend on the model and on the handbook's rules they share; the
//! model depends on neither. `load` is the entry that picks a loader and keeps to the
//! memory budget the caller gives.

mod load;
pub mod model;
pub mod problem;
pub mod rules;
pub mod runs;
mod scanner;
pub mod schema;
mod stream;
mod tree;

pub use crate::digest::sha256_hex;
pub use load::{
    load, load_from, parse, parse_streaming, parse_tree, LoadOptions, Source, STDIN_ORIGIN,
};
pub use model::*;
pub use problem::MAX_PROBLEMS;

/// A snapshot with the digest of the exact bytes it was read from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub snapshot: Snapshot,
    pub sha256: String,
}
