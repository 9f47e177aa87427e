//! The one test binary: data-driven policy cases, schemas, rendered output, the CLI,
//! and properties.

mod arguments;
mod cases;
mod ci_examples;
mod cli;
mod compare;
mod dashboard;
mod errors;
mod example;
mod extent;
mod failures;
mod gen;
mod gen_series;
mod impact;
mod impact_cli;
mod junit;
mod loader;
#[cfg(unix)] // devices, FIFOs, sockets and file modes
mod output;
mod pack;
mod parallel;
mod properties;
mod render;
mod render_github;
mod render_markdown;
mod report;
mod sarif;
mod stack;
mod stdin;
#[cfg(unix)] // closing and breaking descriptors with `sh` and `pipe`
mod streams;
mod support;
mod terminal;
mod test_command;
mod trends;
mod trends_series;
mod warehouse;
