//! bursar: evaluates governance policies written in Rhai against a sprint snapshot
//! of AI-agent runs and budgets, and produces decisions that explain themselves.

pub mod audit;
pub mod check;
pub mod decision;
pub mod digest;
pub mod error;
pub mod eval;
pub mod exceptions;
pub mod facts;
pub mod gen;
pub mod guide;
pub mod host;
pub mod impact;
pub mod import;
pub mod instant;
pub mod json_input;
pub mod limits;
pub mod money;
pub mod operator;
pub mod parallel;
pub mod problem;
pub mod render;
pub mod schema;
pub mod snapshot;
pub mod testing;
pub mod text;
pub mod trends;

pub use error::{Error, Result};

/// Version of the engine, recorded in every decisions document.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
