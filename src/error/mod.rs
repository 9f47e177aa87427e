//! Typed errors of the library; the binary maps them to exit code 2.

use std::path::PathBuf;

use crate::problem::Problem;

mod code;
mod level;
mod policy;
mod span;

pub use code::{Code, ReportedBy};
pub use level::Level;
pub use policy::PolicyError;
pub use span::token_width;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{origin}:{line}:{column}: {message}")]
    Json {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{origin}: {} found", crate::text::count(problems.len(), "problem"))]
    Invalid {
        origin: String,
        problems: Vec<Problem>,
    },

    /// An input other than the snapshot (an exceptions file, a decisions document read
    /// back) with problems located by JSON Pointer; `kind` names it in messages.
    #[error("{origin}: invalid {kind}, {} found", crate::text::count(problems.len(), "problem"))]
    InvalidInput {
        origin: String,
        kind: &'static str,
        problems: Vec<Problem>,
    },

    #[error("{0}")]
    Policy(#[from] Box<PolicyError>),

    #[error("`{}` is too large to {what}: it needs about {:.1} MB and {:.1} MB are available", path.display(), *needed as f64 / 1048576.0, *available as f64 / 1048576.0)]
    TooLarge {
        path: PathBuf,
        what: &'static str,
        needed: u64,
        available: u64,
    },

    /// An input past a size limit the caller set (`flag` raises it).
    #[error("`{}`: the {what} is larger than the limit of {limit} (raise it with {flag})", path.display())]
    OverLimit {
        path: PathBuf,
        what: &'static str,
        limit: String,
        flag: &'static str,
    },
}
