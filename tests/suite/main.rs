//! The one test binary: data-driven policy cases, schemas, rendered output, the CLI,
//! and properties.

mod cases;
mod cli;
mod errors;
mod example;
mod gen;
mod impact;
mod loader;
mod output;
mod properties;
mod support;
