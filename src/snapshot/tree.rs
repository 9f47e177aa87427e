//! The tree loader, the complete path: the whole document as a JSON tree, checked against
//! the schema and the handbook's rules, every problem reported with its JSON Pointer. The
//! streaming loader falls back to it whenever it meets anything unusual.

use serde::Deserialize;
use serde_json::Value;

use super::duplicates::{self, Duplicate};
use super::model::Snapshot;
use super::rules::{self, validate};
use super::runs::{NewRun, RunTable};
use super::serde_words;
use super::terms::{Outcome, Pool};
use crate::instant;
use crate::problem::{MAX_PROBLEMS, Problem};
use crate::{Error, Result};

/// A run as written in the snapshot, for the tree path only.
#[derive(Deserialize)]
struct RawRun {
    id: String,
    squad: String,
    workflow: Option<String>,
    variant: Option<String>,
    pool: Pool,
    input_tokens: u64,
    output_tokens: u64,
    cost: f64,
    outcome: Outcome,
    started_at: String,
}

/// Parses and validates a whole snapshot text (byte-order mark already removed).
pub fn parse(text: &[u8], origin: &str) -> Result<Snapshot> {
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Json {
            origin: origin.to_owned(),
            line: 1,
            column: 1,
            message: "the file is empty; expected a JSON object".to_owned(),
        });
    }
    let mut value: Value = serde_json::from_slice(text).map_err(|e| {
        let (line, column) = location(&e, text);
        Error::Json {
            origin: origin.to_owned(),
            line,
            column,
            message: json_message(&e, text),
        }
    })?;
    // One reading or none: a repeated key is refused before anything reads the tree,
    // which kept only its last value.
    let repeated = duplicates::find(text, "", MAX_PROBLEMS);
    if !repeated.is_empty() {
        return Err(Error::Invalid {
            origin: origin.to_owned(),
            problems: repeated.iter().map(|d| repeated_key(text, d)).collect(),
        });
    }
    let problems = validate(&value);
    if !problems.is_empty() {
        return Err(Error::Invalid {
            origin: origin.to_owned(),
            problems,
        });
    }
    // The schema and the rules admit only what deserialises; kept as a located error in
    // the author's words, never a panic.
    let invalid = |doc: &Value, base: &str, e: serde_json::Error| Error::Invalid {
        origin: origin.to_owned(),
        problems: vec![serde_words::problem_under(doc, base, &e)],
    };
    let runs = value.get_mut("runs").map(Value::take);
    let raw_runs: Vec<RawRun> = match &runs {
        Some(runs) => Vec::deserialize(runs).map_err(|e| invalid(runs, "/runs", e))?,
        None => Vec::new(),
    };
    drop(runs);
    let mut snapshot = Snapshot::deserialize(&value).map_err(|e| invalid(&value, "", e))?;
    let mut table = RunTable::with_capacity(raw_runs.len());
    for r in &raw_runs {
        table.push(NewRun {
            id: &r.id,
            squad: &r.squad,
            // Tags, costs and instants were checked by `validate`: the fallbacks are
            // unreachable.
            tag: rules::tag(r.workflow.as_deref(), r.variant.as_deref()).flatten(),
            pool: r.pool,
            outcome: r.outcome,
            input_tokens: r.input_tokens,
            output_tokens: r.output_tokens,
            cost_micros: rules::cost_micros(r.cost).unwrap_or_default(),
            started: instant::parse_rfc3339(&r.started_at).unwrap_or_default(),
        });
    }
    snapshot.runs = table;
    let problems = rules::check_totals(&snapshot);
    if !problems.is_empty() {
        return Err(Error::Invalid {
            origin: origin.to_owned(),
            problems,
        });
    }
    rules::finish(&mut snapshot);
    Ok(snapshot)
}

/// A repeated key in the author's words: both places, by line and column.
fn repeated_key(text: &[u8], d: &Duplicate) -> Problem {
    let first = duplicates::line_column(text, d.first);
    let second = duplicates::line_column(text, d.second);
    repeated_key_at(d, first, second)
}

/// [`repeated_key`] with its two places (line, column) already found.
pub fn repeated_key_at(d: &Duplicate, first: (usize, usize), second: (usize, usize)) -> Problem {
    let ((line1, col1), (line2, col2)) = (first, second);
    Problem::new(
        d.pointer.clone(),
        format!(
            "key `{}` appears twice in this object (first at line {line1} column {col1}, again at line {line2} column {col2}): JSON leaves open which one counts",
            d.key
        ),
    )
}

/// Where an error is, 1-based. serde_json says column 0 once it has read a newline: the
/// error is then at that newline, the end of the line before (or, at the end of the
/// file, at the start of the empty last line).
fn location(e: &serde_json::Error, text: &[u8]) -> (usize, usize) {
    let (line, column) = (e.line().max(1), e.column());
    if column > 0 {
        return (line, column);
    }
    if e.is_eof() || line == 1 {
        return (line, 1);
    }
    let previous = text
        .split(|&b| b == b'\n')
        .nth(line - 2)
        .map_or(0, <[u8]>::len);
    (line - 1, previous + 1)
}

/// The bytes at a 1-based line and column of a JSON text.
fn at(text: &[u8], line: usize, column: usize) -> &[u8] {
    let start = text
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum::<usize>();
    text.get(start + column.saturating_sub(1)..)
        .unwrap_or_default()
}

fn json_message(e: &serde_json::Error, input: &[u8]) -> String {
    let here = at(input, e.line(), e.column());
    let text = e.to_string();
    // serde_json appends " at line L column C"; the location is reported separately.
    let text = match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    let text = readable(&text);
    if let Err(bad) = std::str::from_utf8(input) {
        return format!(
            "{text}: the file is not valid UTF-8 (first bad byte at offset {})",
            bad.valid_up_to()
        );
    }
    match e.classify() {
        serde_json::error::Category::Eof => format!("{text} (is the file truncated?)"),
        _ if ["NaN", "Infinity", "-Infinity", "+Infinity"]
            .iter()
            .any(|w| here.starts_with(w.as_bytes())) =>
        {
            format!("{text}: NaN and Infinity are not JSON numbers")
        }
        _ if text.contains("recursion limit") => {
            format!("{text}: the document is nested too deeply")
        }
        _ => text,
    }
}

/// serde_json's message in the house style: lowercase, no abbreviation a policy author
/// has to decode (`EOF while parsing a list` reads `unexpected end of file while parsing
/// a list`).
fn readable(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("EOF ") {
        return format!("unexpected end of file {rest}");
    }
    if message == "expected ident" {
        // What serde_json says when a word is not `true`, `false` or `null`.
        return "expected a value (`true`, `false` and `null` are the only words in JSON)"
            .to_owned();
    }
    crate::text::lowercase_first(message)
}
