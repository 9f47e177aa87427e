//! The one test binary: data-driven policy cases, schemas, rendered output, the CLI,
//! and properties.

mod any_input;
mod architecture;
mod arguments;
#[cfg(unix)] // FIFOs and /dev/zero
mod audit;
mod book;
mod book_commands;
mod case_files;
mod cases;
mod check;
mod ci_examples;
mod cli;
mod coverage;
mod dashboard;
mod definitions;
mod diagnostics;
mod diff;
mod diff_attribution;
mod error_format;
mod error_path;
mod errors;
mod example;
mod exceptions;
mod explain;
mod extent;
mod failures;
mod gen_series;
mod generate;
mod guide;
#[cfg(unix)] // FIFOs and /dev/zero
mod hostile;
mod impact;
mod impact_cli;
mod impact_git;
mod import;
mod import_bad;
mod import_example;
mod junit;
#[cfg(unix)] // devices, FIFOs, sockets and file modes
mod output;
mod pack;
mod properties;
mod quiet_lies;
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
mod trends_independent;
mod trends_rates;
mod trends_series;
mod verify;
#[cfg(unix)] // symbolic links and FIFOs
mod walks;
mod warehouse;
mod warehouse_otel;
mod warehouse_reference;
