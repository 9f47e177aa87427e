//! Typed errors of the library; the binary maps them to exit code 2.

use std::path::PathBuf;

use crate::problem::Problem;

mod code;
mod level;
mod policy;
mod span;

pub use code::Code;
pub use level::Level;
pub use policy::PolicyError;

/// What the library's fallible calls return: a value, or an [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a call failed: each variant names the input (a path or an origin) and where in it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why, from the operating system.
        source: std::io::Error,
    },

    /// A file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why, from the operating system.
        source: std::io::Error,
    },

    /// An input is not JSON (or not the JSON expected), at a line and column.
    #[error("{origin}:{line}:{column}: {message}")]
    Json {
        /// The input, as the user would name it.
        origin: String,
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// What is wrong there.
        message: String,
    },

    /// An input (a snapshot, most often) with problems, each located by JSON Pointer.
    #[error("{origin}: {} found", crate::text::count(problems.len(), "problem"))]
    Invalid {
        /// The input, as the user would name it.
        origin: String,
        /// Every problem found, in document order.
        problems: Vec<Problem>,
    },

    /// An input other than the snapshot (an exceptions file, a decisions document read
    /// back) with problems located by JSON Pointer; `kind` names it in messages.
    #[error("{origin}: invalid {kind}, {} found", crate::text::count(problems.len(), "problem"))]
    InvalidInput {
        /// The input, as the user would name it.
        origin: String,
        /// What kind of input it is (`exceptions file`...).
        kind: &'static str,
        /// Every problem found, in document order.
        problems: Vec<Problem>,
    },

    /// A policy failed to compile or to run.
    #[error("{0}")]
    Policy(#[from] Box<PolicyError>),

    /// An input too large to read in the memory available.
    #[error("`{}` is too large to {what}: it needs about {:.1} MB and {:.1} MB are available", path.display(), *needed as f64 / 1048576.0, *available as f64 / 1048576.0)]
    TooLarge {
        /// The input.
        path: PathBuf,
        /// What it was too large for.
        what: &'static str,
        /// Bytes of memory it would need, about.
        needed: u64,
        /// Bytes of memory available.
        available: u64,
    },

    /// An input past a size limit the caller set (`flag` raises it).
    #[error("`{}`: the {what} is larger than the limit of {limit} (raise it with {flag})", path.display())]
    OverLimit {
        /// The input.
        path: PathBuf,
        /// What went past the limit (`snapshot`...).
        what: &'static str,
        /// The limit, as the user would write it.
        limit: String,
        /// The command-line flag that raises it.
        flag: &'static str,
    },
}
