//! What can go wrong while importing, each located: the file and line (and attribute)
//! for a record, the mapping's key for the mapping, the base's own messages for the base.

use std::fmt;

/// Where a record was read: the source as the user named it and its line (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct At {
    /// Index of the source in the order it was read.
    pub source: u32,
    pub line: u64,
}

/// `origin:line` of a record, for messages naming a second record.
pub fn place(names: &[String], at: At) -> String {
    let origin = names.get(at.source as usize).map_or("?", String::as_str);
    format!("{origin}:{}", at.line)
}

/// Why an import failed, located in the source (`origin:line`) where it can be.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A record that cannot be read as its format says, at `origin:line`.
    #[error("{origin}:{line}: {message}")]
    Record {
        /// The source.
        origin: String,
        /// The line, from 1.
        line: u64,
        /// What is wrong with the record.
        message: String,
    },
    /// A source that cannot be read at all.
    #[error("cannot read `{origin}`: {message}")]
    Source {
        /// The source.
        origin: String,
        /// Why it cannot be read.
        message: String,
    },
    /// The mapping file.
    #[error("{origin}: {message}")]
    Mapping {
        /// The mapping file.
        origin: String,
        /// What is wrong with it.
        message: String,
    },
    /// Runs whose models have no price: every such model, with its tokens.
    #[error("{}", unpriced_text(.0))]
    Unpriced(Vec<Unpriced>),
    /// Several located problems found at the end (squads, conflicting sessions).
    #[error("{}", .0.join("\n"))]
    Many(Vec<String>),
}

/// A model some runs used that the price table lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpriced {
    pub model: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// The first record that used it.
    pub first: String,
}

fn unpriced_text(models: &[Unpriced]) -> String {
    let mut text = format!(
        "{} no price: add a [prices.\"MODEL\"] table with `input` and `output` (per million tokens) to the mapping",
        if models.len() == 1 {
            "1 model has".to_owned()
        } else {
            format!("{} models have", models.len())
        }
    );
    for m in models {
        text.push_str(&format!(
            "\n  `{}`: {} input and {} output tokens (first at {})",
            m.model, m.input_tokens, m.output_tokens, m.first
        ));
    }
    text
}

/// A problem in one record, before its source's name is known to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem(pub String);

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Problem {
    pub fn new(message: impl Into<String>) -> Self {
        Problem(message.into())
    }

    /// The same problem, said of the attribute `key`.
    pub fn in_attribute(self, key: &str) -> Self {
        Problem(format!("attribute `{key}`: {}", self.0))
    }
}

pub type Result<T, E = ImportError> = std::result::Result<T, E>;
