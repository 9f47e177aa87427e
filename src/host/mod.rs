//! The Rhai host: a sandboxed engine, the API policies see, and running a policy pack
//! read once into memory.

mod complete;
pub mod coverage;
mod coverage_sites;
mod definitions;
mod domain;
mod engine;
mod extent;
mod facts;
pub mod fields;
mod handles;
pub mod memory;
mod operators;
mod pack;
mod policy;
mod provenance;
mod record;
mod resolver;
mod run;
mod said;
mod sandbox;
mod source;
mod source_file;
mod source_walk;
mod summary;
mod survey;
mod syntax;
mod translate;
mod unmatched;
mod value;
mod words;

pub use crate::error::PolicyError;
pub use definitions::definitions;
pub use domain::Domain;
pub use facts::UNTAGGED;
pub use pack::Pack;
pub use policy::{Policy, declared_at};
pub use run::Host;
pub use source::PackSource;
pub use survey::Survey;

/// Version of the Rhai interpreter policies run in, recorded in every decisions document.
/// A test holds it to the version in `Cargo.lock`, so it cannot drift from what is built.
pub const RHAI_VERSION: &str = "1.27.0";

#[cfg(test)]
mod tests;
