//! The sprint snapshot: its model, its runs as columns, and loading it, by a fast streaming
//! loader or a tree loader that reports every problem at once.
//!
//! Layers, each depending only on those before it: `problem` and `terms` (leaves);
//! `runs` (the run table) and `schema`; `model`; `rules` (the handbook's rules both
//! loaders share); `scanner`, `stream` (fast) and `tree` (complete) loaders; `load`, the
//! entry that picks a loader and keeps to the memory budget the caller gives. This file
//! only re-exports.

mod load;
pub mod model;
pub mod problem;
pub mod rules;
pub mod runs;
mod scanner;
pub mod schema;
mod stream;
pub mod terms;
mod tree;

pub use crate::digest::sha256_hex;
pub use load::{
    load, load_from, parse, parse_streaming, parse_tree, LoadOptions, Source, STDIN_ORIGIN,
};
pub use model::*;
pub use problem::MAX_PROBLEMS;
