//! The one reader of JSON inputs other than snapshots (decisions documents, exceptions
//! files): bytes read once and no further than a bound (a pipe or `/dev/zero` too), the
//! syntax, then keys written twice refused with both places. The schema and the model
//! are the caller's: each input has its own. The pieces are the snapshot loader's.

use std::path::Path;

use serde_json::Value;

use crate::problem::{MAX_PROBLEMS, Problem};
use crate::snapshot::duplicates;
use crate::snapshot::{LoadOptions, read_within};
use crate::{Error, Result};

/// Reads `path` once, whole, refusing it as soon as it passes `max_bytes` (`flag` raises
/// the bound; `what` names the input in the message). A FIFO or a device is read once.
pub fn read(
    path: &Path,
    what: &'static str,
    max_bytes: u64,
    flag: &'static str,
) -> Result<Vec<u8>> {
    let options = LoadOptions {
        available_memory: None,
        max_bytes: Some(max_bytes),
    };
    read_within(path, what, &options).map_err(|e| match e {
        Error::OverLimit {
            path, what, limit, ..
        } => Error::OverLimit {
            path,
            what,
            limit,
            flag,
        },
        e => e,
    })
}

/// Parses `bytes` (named `origin`, a `kind` of input) as JSON with every key once: a
/// repeated key is refused with both of its places, since readers differ on which counts.
pub fn parse(bytes: &[u8], origin: &str, kind: &'static str) -> Result<Value> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| Error::Json {
        origin: origin.to_owned(),
        line: e.line(),
        column: e.column(),
        message: crate::text::lowercase_first(&without_position(&e)),
    })?;
    refuse_repeated_keys(bytes, origin, kind)?;
    Ok(value)
}

/// Refuses `bytes`, JSON that parsed, when an object in it writes a key twice, naming
/// both places of each (at most `MAX_PROBLEMS`).
pub fn refuse_repeated_keys(bytes: &[u8], origin: &str, kind: &'static str) -> Result<()> {
    let repeated = duplicates::find(bytes, "", MAX_PROBLEMS);
    if repeated.is_empty() {
        return Ok(());
    }
    Err(Error::InvalidInput {
        origin: origin.to_owned(),
        kind,
        problems: repeated.iter().map(|d| repeated_key(bytes, d)).collect(),
    })
}

/// A repeated key in the author's words: both places, by line and column.
fn repeated_key(text: &[u8], d: &duplicates::Duplicate) -> Problem {
    let (line1, col1) = duplicates::line_column(text, d.first);
    let (line2, col2) = duplicates::line_column(text, d.second);
    Problem::new(
        d.pointer.clone(),
        format!(
            "key `{}` appears twice in this object (first at line {line1} column {col1}, \
             again at line {line2} column {col2}): JSON leaves open which one counts",
            d.key.escape_debug()
        ),
    )
}

/// serde_json's message without its trailing `at line L column C` (the error says where).
pub fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_names_both_places() {
        let err = parse(b"{\"a\": 1,\n \"a\": []}", "x.json", "thing").unwrap_err();
        let Error::InvalidInput { problems, .. } = err else {
            panic!("{err}")
        };
        assert_eq!(problems.len(), 1);
        let text = problems[0].to_string();
        assert!(text.contains("/a"), "{text}");
        assert!(
            text.contains("line 1 column 2") && text.contains("line 2 column 2"),
            "{text}"
        );
    }
}
