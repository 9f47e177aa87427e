//! What an exceptions file's entries say beyond the schema, read from the JSON as written
//! so it is reported with the schema's problems: real dates, non-blank outcomes, unique
//! ids, unknown fields with the nearest known one, and what each entry names (a policy,
//! an outcome) for the pack's checks, even in an entry the schema refuses.

use std::collections::HashMap;

use serde_json::Value;

use crate::problem::Problem;

/// The policy and outcome an entry of the file names, at its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Target {
    pub index: usize,
    /// The id when the entry gives one as text.
    pub id: Option<String>,
    pub policy: String,
    pub outcome: Option<String>,
}

impl Target {
    /// How messages name the exception: by its id, or by its place when it has none.
    pub fn name(&self) -> String {
        match &self.id {
            Some(id) if !id.is_empty() => format!("exception `{id}`"),
            _ => format!("the exception at /{}", self.index),
        }
    }
}

/// What each entry names that the pack can check: every entry that is an object with a
/// `policy` given as text, however the rest of it is written.
pub(super) fn targets(json: &Value) -> Vec<Target> {
    let Some(entries) = json.as_array() else {
        return Vec::new();
    };
    entries
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| {
            let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
            Some(Target {
                index,
                id: text("id"),
                policy: text("policy").filter(|p| !p.is_empty())?,
                outcome: text("outcome"),
            })
        })
        .collect()
}

/// The candidate nearest `word`: a slip of the keyboard, or one that starts the other
/// (`ok` for `okay`).
pub(super) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    crate::text::closest(word, candidates.clone()).or_else(|| {
        candidates
            .into_iter()
            .find(|c| !c.is_empty() && (word.starts_with(c) || c.starts_with(word)))
    })
}

/// `; did you mean `x`?` after a message, or nothing.
pub(super) fn hint(closest: Option<&str>) -> String {
    closest.map_or_else(String::new, |c| format!("; did you mean `{c}`?"))
}

/// The fields of an entry (`schemas/exceptions.schema.json`).
const FIELDS: [&str; 8] = [
    "id",
    "policy",
    "subject",
    "outcome",
    "severity",
    "reason",
    "approved_by",
    "expires",
];

/// How the schema's problems name a field it does not know.
pub(super) const UNKNOWN_FIELD: &str = "unknown field ";

/// What the schema cannot say about the entries, checked on the JSON as written so it is
/// reported with the schema's problems: real dates, non-blank outcomes, unique ids, and
/// each unknown field with the nearest known one.
pub(super) fn entry_problems(json: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(entries) = json.as_array() else {
        return problems;
    };
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        for key in entry.as_object().into_iter().flat_map(|o| o.keys()) {
            if !FIELDS.contains(&key.as_str()) {
                problems.push(Problem::new(
                    format!("/{i}"),
                    format!(
                        "{UNKNOWN_FIELD}`{}`{}",
                        key.escape_debug(),
                        hint(nearest(key, FIELDS))
                    ),
                ));
            }
        }
        let text = |key: &str| entry.get(key).and_then(Value::as_str);
        // A blank outcome would look like no decision at all in every report.
        if let Some(outcome) = text("outcome").filter(|o| o.trim().is_empty()) {
            problems.push(Problem::new(
                format!("/{i}/outcome"),
                format!("the outcome `{}` is blank", outcome.escape_debug()),
            ));
        }
        if let Some(expires) = text("expires") {
            if crate::instant::parse_date(expires).is_none() {
                problems.push(Problem::new(
                    format!("/{i}/expires"),
                    format!("`{expires}` is not a real date (`YYYY-MM-DD`)"),
                ));
            }
        }
        if let Some(id) = text("id") {
            match first.get(id) {
                Some(j) => problems.push(Problem::new(
                    format!("/{i}/id"),
                    format!("duplicate exception id `{id}` (first at /{j}/id)"),
                )),
                None => {
                    first.insert(id, i);
                }
            }
        }
    }
    problems
}
