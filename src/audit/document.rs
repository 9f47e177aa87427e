//! Reading a decisions document back, for the commands that audit a record (`explain`,
//! `diff`, `verify`): bytes within a bound, JSON with every key once (`json_input`), the
//! schema of its format, the model, then what the model cannot say: one decision per
//! policy and subject, and `because` links that lead to a decision. Each problem located.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::decision::Document;
use crate::eval::DOCUMENT_FORMAT;
use crate::problem::{MAX_PROBLEMS, Problem};
use crate::{Error, Result};

/// Oldest format read back: format 2 documents lack only what later formats added, all
/// optional in the model.
const OLDEST_FORMAT: u64 = 2;

/// Largest decisions document read by default, in MiB: as large as the largest snapshot
/// read, and a bound on what a stream with no end (`/dev/zero`) makes bursar read.
pub const DEFAULT_MAX_DOCUMENT_MB: u64 = crate::limits::DEFAULT_MAX_SNAPSHOT_MB;

/// The flag that raises the bound, for the message at the limit.
pub const MAX_DOCUMENT_FLAG: &str = "--max-document-mb";

const KIND: &str = "decisions document";

/// Reads the bytes of the decisions document at `path`, once, no further than `max_mb`.
pub fn read_bytes(path: &Path, max_mb: u64) -> Result<Vec<u8>> {
    crate::json_input::read(
        path,
        KIND,
        max_mb.saturating_mul(1 << 20),
        MAX_DOCUMENT_FLAG,
    )
}

/// Reads and parses the decisions document at `path`, no larger than `max_mb` MiB.
pub fn read(path: &Path, max_mb: u64) -> Result<Document> {
    let bytes = read_bytes(path, max_mb)?;
    parse(&bytes, &path.display().to_string())
}

/// Parses the bytes of a decisions document named `origin`.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Document> {
    parse_value(bytes, origin).map(|(document, _)| document)
}

/// Parses the bytes of a decisions document named `origin`, also giving its header (every
/// field but `decisions`) as written: a later format may add fields the model drops.
/// One pass (`stream`): the decisions are checked and modelled one at a time, so no tree
/// of the whole document is held; what is refused, and where, is as a tree would say.
pub fn parse_value(bytes: &[u8], origin: &str) -> Result<(Document, Value)> {
    let streamed = crate::audit::stream::parse(bytes).map_err(|e| Error::Json {
        origin: origin.to_owned(),
        line: e.line(),
        column: e.column(),
        message: crate::text::lowercase_first(&crate::json_input::without_position(&e)),
    })?;
    crate::json_input::refuse_repeated_keys(bytes, origin, KIND)?;
    let invalid = |problems: Vec<Problem>| Error::InvalidInput {
        kind: KIND,
        origin: origin.to_owned(),
        problems,
    };
    let crate::audit::stream::Streamed {
        envelope,
        decisions,
        schema,
        model,
    } = streamed;
    let format = envelope.get("format").and_then(Value::as_u64);
    match format {
        Some(f) if f == u64::from(DOCUMENT_FORMAT) => {
            let mut problems = crate::schema::validate_decisions(&envelope);
            problems.extend(schema);
            if !problems.is_empty() {
                problems.sort();
                problems.truncate(crate::schema::MAX_SCHEMA_ERRORS);
                return Err(invalid(problems));
            }
        }
        Some(f) if (OLDEST_FORMAT..u64::from(DOCUMENT_FORMAT)).contains(&f) => {}
        _ => return Err(invalid(vec![unknown_format(&envelope)])),
    }
    // The envelope read from the tree (not moved out of it) so a wrong value is named at
    // its pointer in the author's words (`serde_words`), not in the model's type names.
    let mut document = Document::deserialize(&envelope)
        .map_err(|e| invalid(vec![crate::snapshot::serde_words::problem(&envelope, &e)]))?;
    if let Some(problem) = model {
        return Err(invalid(vec![problem]));
    }
    document.decisions = decisions;
    let problems = links(&document);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    // The header as written, as a tree would give it without the decisions.
    let mut header = envelope;
    if let Some(list) = header.get_mut("decisions") {
        *list = Value::Null;
    }
    Ok((document, header))
}

/// Why the format is not one read back: a sprint snapshot given by mistake is named as one.
fn unknown_format(value: &Value) -> Problem {
    let looks_like_snapshot = value.get("format").is_none()
        && value.get("schema_version").is_some()
        && value.get("decisions").is_none();
    if looks_like_snapshot {
        return Problem::new(
            "",
            "this is a sprint snapshot, not a decisions document (`bursar eval --format json` \
             writes one from it)",
        );
    }
    Problem::new(
        "/format",
        format!(
            "expected a document format from {OLDEST_FORMAT} to {DOCUMENT_FORMAT}, found {}",
            value
                .get("format")
                .map_or("none".to_owned(), |f| format!("`{f}`"))
        ),
    )
}

/// What the schema cannot see: two decisions of one policy about one subject (which one
/// counts is unknowable, and a forged twin could pose as the real one), and `because`
/// links that lead to no decision of the document.
fn links(document: &Document) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut first: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, d) in document.decisions.iter().enumerate() {
        if let Some(&j) = first.get(&(d.policy.as_str(), d.subject.as_str())) {
            problems.push(Problem::new(
                format!("/decisions/{i}"),
                format!(
                    "a second decision of policy `{}` about `{}` (the first is /decisions/{j}): \
                     a policy decides once about a subject",
                    d.policy, d.subject
                ),
            ));
        } else {
            first.insert((d.policy.as_str(), d.subject.as_str()), i);
        }
    }
    for (i, d) in document.decisions.iter().enumerate() {
        for (k, link) in d.because.iter().enumerate() {
            if !first.contains_key(&(link.policy.as_str(), link.subject.as_str())) {
                problems.push(Problem::new(
                    format!("/decisions/{i}/because/{k}"),
                    format!(
                        "links to the decision of policy `{}` about `{}`, which the document \
                         does not hold",
                        link.policy, link.subject
                    ),
                ));
            }
        }
    }
    problems.sort();
    problems.truncate(MAX_PROBLEMS);
    problems
}
