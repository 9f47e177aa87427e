//! A decisions document read back from a file, for `diff` and `verify`: refused with a
//! located message (line and column for JSON that does not parse, a JSON Pointer for a
//! field the schema refuses) unless it is a document this version reads, and kept both
//! as the JSON written (so fields a later format adds are still compared) and as a model.

use std::fmt;

use serde::Deserialize as _;
use serde_json::Value;

use crate::decision::Document;
use crate::eval::DOCUMENT_FORMAT;
use crate::problem::Problem;
use crate::text::count;

/// The document formats this version reads: those the shipped schema describes.
pub const READS: [u32; 1] = [DOCUMENT_FORMAT];

/// A document as read: its bytes, its JSON and its model.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub bytes: Vec<u8>,
    pub json: Value,
    pub document: Document,
}

/// Why a file is not a decisions document this version reads.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordError {
    /// Not JSON: where the parser stopped.
    Json {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON, but not a document this version reads: every problem, by JSON Pointer.
    Invalid {
        origin: String,
        problems: Vec<Problem>,
    },
}

/// Problems listed in the one-line message; the rest are counted.
const LISTED: usize = 5;

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json {
                origin,
                line,
                column,
                message,
            } => write!(f, "{origin}:{line}:{column}: {message}"),
            // One line: messages are printed escaped, so a line break would show as `\n`.
            Self::Invalid { origin, problems } => {
                let listed: Vec<String> = problems
                    .iter()
                    .take(LISTED)
                    .map(ToString::to_string)
                    .collect();
                write!(
                    f,
                    "{origin}: not a decisions document this bursar reads: {}",
                    listed.join("; ")
                )?;
                if problems.len() > LISTED {
                    write!(
                        f,
                        "; and {} more",
                        count(problems.len() - LISTED, "problem")
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for RecordError {}

/// The formats read, for a message: `2`, or `2 and 3`.
fn formats_read() -> String {
    let names: Vec<String> = READS.iter().map(|f| format!("`{f}`")).collect();
    names.join(" and ")
}

/// serde_json's message without the position it appends (the location says it already),
/// lowercased unless it starts with an acronym (`EOF`).
fn json_words(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    let acronym = text.chars().nth(1).is_some_and(char::is_uppercase);
    if acronym {
        text.to_owned()
    } else {
        crate::text::lowercase_first(text)
    }
}

/// Reads a decisions document from its bytes; `origin` names the file in messages.
pub fn read(bytes: Vec<u8>, origin: &str) -> Result<Recorded, RecordError> {
    let json: Value = serde_json::from_slice(&bytes).map_err(|e| RecordError::Json {
        origin: origin.to_owned(),
        line: e.line(),
        column: e.column(),
        message: format!("not JSON: {}", json_words(&e)),
    })?;
    let invalid = |problems| RecordError::Invalid {
        origin: origin.to_owned(),
        problems,
    };
    // The format first: the schema of another format would list every field it moved.
    let format = json.get("format");
    let readable = format
        .and_then(Value::as_u64)
        .is_some_and(|f| READS.iter().any(|&r| u64::from(r) == f));
    if !readable {
        let message = match format {
            None if !json.is_object() => "expected a decisions document (a JSON object)".into(),
            None => format!(
                "missing `format`: this bursar reads format {}",
                formats_read()
            ),
            Some(f) => format!(
                "format `{f}` is not one this bursar reads (it reads format {})",
                formats_read()
            ),
        };
        let at = if json.is_object() { "/format" } else { "" };
        return Err(invalid(vec![Problem::new(at, message)]));
    }
    let mut problems = crate::schema::validate_decisions(&json);
    if !problems.is_empty() {
        problems.sort();
        return Err(invalid(problems));
    }
    let document = Document::deserialize(&json).map_err(|e| {
        invalid(vec![Problem::new(
            "",
            crate::text::lowercase_first(&e.to_string()),
        )])
    })?;
    Ok(Recorded {
        bytes,
        json,
        document,
    })
}
