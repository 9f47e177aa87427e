//! Reading a decisions document back, for commands that audit a record (`explain`): JSON,
//! then the schema of its format, then the model, each failure located in the file.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::decision::Document;
use crate::eval::DOCUMENT_FORMAT;
use crate::problem::Problem;
use crate::{Error, Result};

/// Oldest format read back: format 2 documents lack only what format 3 added, all optional
/// in the model.
const OLDEST_FORMAT: u64 = 2;

/// Reads and parses the decisions document at `path`.
pub fn read(path: &Path) -> Result<Document> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&bytes, &path.display().to_string())
}

/// Parses the bytes of a decisions document named `origin`.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Document> {
    let json = |e: serde_json::Error| Error::Json {
        origin: origin.to_owned(),
        line: e.line(),
        column: e.column(),
        message: crate::text::lowercase_first(&without_position(&e)),
    };
    let value: Value = serde_json::from_slice(bytes).map_err(json)?;
    let invalid = |problems: Vec<Problem>| Error::InvalidInput {
        kind: "decisions document",
        origin: origin.to_owned(),
        problems,
    };
    let format = value.get("format").and_then(Value::as_u64);
    match format {
        Some(f) if f == u64::from(DOCUMENT_FORMAT) => {
            let mut problems = crate::schema::validate_decisions(&value);
            if !problems.is_empty() {
                problems.sort();
                return Err(invalid(problems));
            }
        }
        Some(f) if (OLDEST_FORMAT..u64::from(DOCUMENT_FORMAT)).contains(&f) => {}
        _ => {
            return Err(invalid(vec![Problem::new(
                "/format",
                format!(
                "expected a document format from {OLDEST_FORMAT} to {DOCUMENT_FORMAT}, found {}",
                value
                    .get("format")
                    .map_or("none".to_owned(), |f| format!("`{f}`"))
            ),
            )]))
        }
    }
    Document::deserialize(&value)
        .map_err(|e| invalid(vec![crate::snapshot::serde_words::problem(&value, &e)]))
}

/// serde_json's message without its trailing `at line L column C` (the error says where).
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}
