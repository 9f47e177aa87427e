//! The one test binary: data-driven policy cases, schemas, rendered output, the CLI,
//! and properties.

mod cases;
mod cli;
mod errors;
mod example;
mod gen;
mod impact;
mod loader;
#[cfg(unix)] // devices, FIFOs, sockets and file modes
mod output;
mod properties;
mod support;
