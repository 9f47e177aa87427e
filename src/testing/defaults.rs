//! Completing a partial snapshot: a case names only what it is about, and every top-level
//! field it leaves out takes a neutral value, so a case about one top-up is a few lines.
//!
//! | field | default |
//! |---|---|
//! | `schema_version` | `1` |
//! | `sprint` | `{"id": "case", "start": "2026-01-05", "end": "2026-01-18"}` |
//! | `currency` | `"USD"` (the loader's own default) |
//! | `squads`, `topups`, `catalog` | `[]` |
//! | `budgets` | `{"central_tokens": 0, "exploration": []}`, each field on its own |
//! | `runs` | `[]`, when `run_groups` is absent too |

use serde_json::{Map, Value, json};

use crate::snapshot::{self, Loaded};
use crate::{Error, Result};

use super::case::Case;

/// The defaults, as the table above lists them.
fn defaults() -> [(&'static str, Value); 6] {
    [
        ("schema_version", json!(1)),
        (
            "sprint",
            json!({"id": "case", "start": "2026-01-05", "end": "2026-01-18"}),
        ),
        ("squads", json!([])),
        ("topups", json!([])),
        ("catalog", json!([])),
        ("budgets", json!({})),
    ]
}

/// The snapshot text with every missing field filled in; `None` when nothing is missing,
/// so a complete snapshot reaches the loader byte for byte.
pub fn complete(snapshot: &Map<String, Value>) -> Option<Map<String, Value>> {
    let mut out = snapshot.clone();
    for (key, value) in defaults() {
        out.entry(key).or_insert(value);
    }
    if let Some(Value::Object(budgets)) = out.get_mut("budgets") {
        budgets.entry("central_tokens").or_insert(json!(0));
        budgets.entry("exploration").or_insert(json!([]));
    }
    if !out.contains_key("runs") && !out.contains_key("run_groups") {
        out.insert("runs".to_owned(), json!([]));
    }
    (out != *snapshot).then_some(out)
}

/// serde_json's message without its trailing `at line L column C`, which counts from the
/// snapshot's first line rather than the file's.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}

/// Loads a case's snapshot through the normal loader, completed with the defaults; errors
/// name the case file, and a JSON syntax error its line there.
pub fn load(case: &Case) -> Result<Loaded> {
    let origin = case.path.display().to_string();
    let at_file_line = |error: Error| match error {
        Error::Json {
            origin,
            line,
            column,
            message,
        } => Error::Json {
            origin,
            line: line + case.snapshot_line - 1,
            column,
            message,
        },
        other => other,
    };
    let parsed: Value = serde_json::from_str(&case.snapshot).map_err(|e| {
        at_file_line(Error::Json {
            origin: origin.clone(),
            line: e.line(),
            column: e.column(),
            message: format!("the snapshot is not valid JSON: {}", without_position(&e)),
        })
    })?;
    let Value::Object(fields) = parsed else {
        return Err(at_file_line(Error::Json {
            origin,
            line: 1,
            column: 1,
            message: "the snapshot is not a JSON object".to_owned(),
        }));
    };
    match complete(&fields) {
        None => snapshot::parse(case.snapshot.as_bytes(), &origin).map_err(at_file_line),
        Some(full) => {
            let bytes = serde_json::to_vec(&Value::Object(full)).expect("a JSON value serialises");
            snapshot::parse(&bytes, &origin)
        }
    }
}

#[cfg(test)]
#[path = "defaults_tests.rs"]
mod tests;
