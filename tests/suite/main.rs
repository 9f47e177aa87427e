//! The one test binary: data-driven policy cases, schemas, rendered output, the CLI,
//! and properties.

mod arguments;
mod cases;
mod cli;
mod compare;
mod errors;
mod example;
mod gen;
mod impact;
mod impact_cli;
mod loader;
#[cfg(unix)] // devices, FIFOs, sockets and file modes
mod output;
mod pack;
mod parallel;
mod properties;
mod render;
mod stdin;
mod support;
mod warehouse;
