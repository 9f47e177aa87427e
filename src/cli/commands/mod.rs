//! The subcommands, one file each: its `Args` and a `run` that parses, calls the library
//! and prints. What several share (argument sets, output, terminal handling) is in `cli/`.

pub mod check;
pub mod definitions;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod generate;
pub mod guide;
pub mod impact;
pub mod import;
pub mod test;
pub mod trends;
pub mod validate;
pub mod verify;
