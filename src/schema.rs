//! The JSON Schemas shipped in `schemas/`, compiled once, and their errors turned into
//! problems a person can act on. The decisions schema lives here too: it shares the
//! translation of errors, and tests and `verify` check documents with it.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::problem::Problem;

pub const SNAPSHOT_SCHEMA: &str = include_str!("../schemas/snapshot.schema.json");
pub const DECISIONS_SCHEMA: &str = include_str!("../schemas/decisions.schema.json");
pub const EXCEPTIONS_SCHEMA: &str = include_str!("../schemas/exceptions.schema.json");

/// Most schema errors collected from one document.
pub(crate) const MAX_SCHEMA_ERRORS: usize = 10_000;

fn compile(text: &str, name: &str) -> Validator {
    let schema: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("bundled schema {name} is not JSON: {e}"));
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("bundled schema {name} does not compile: {e}"))
}

fn snapshot_validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| compile(SNAPSHOT_SCHEMA, "snapshot.schema.json"))
}

fn decisions_validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| compile(DECISIONS_SCHEMA, "decisions.schema.json"))
}

/// The decision's part of the decisions schema standing alone, with the schema's `$defs`
/// beside it so its references (`#/$defs/check`) resolve: a document's decisions are
/// checked one at a time as they are read, never as one tree.
fn decision_validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        let whole: Value = serde_json::from_str(DECISIONS_SCHEMA)
            .unwrap_or_else(|e| panic!("bundled schema decisions.schema.json is not JSON: {e}"));
        let mut part = whole["$defs"]["decision"].clone();
        part["$schema"] = whole["$schema"].clone();
        part["$defs"] = whole["$defs"].clone();
        jsonschema::draft202012::new(&part)
            .unwrap_or_else(|e| panic!("the decision part of decisions.schema.json: {e}"))
    })
}

fn exceptions_validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| compile(EXCEPTIONS_SCHEMA, "exceptions.schema.json"))
}

/// Validates an exceptions file against `schemas/exceptions.schema.json`.
pub fn validate_exceptions(doc: &Value) -> Vec<Problem> {
    collect(exceptions_validator(), doc)
}

/// Validates a snapshot document against `schemas/snapshot.schema.json`.
pub fn validate_snapshot(doc: &Value) -> Vec<Problem> {
    collect(snapshot_validator(), doc)
}

/// Validates a decisions document against `schemas/decisions.schema.json`.
pub fn validate_decisions(doc: &Value) -> Vec<Problem> {
    collect(decisions_validator(), doc)
}

/// Validates one decision of a decisions document, found at the pointer `at`, against
/// the schema's `$defs/decision`: at most `limit` problems, located in the document.
pub fn validate_decision(decision: &Value, at: &str, limit: usize) -> Vec<Problem> {
    let validator = decision_validator();
    if validator.is_valid(decision) {
        return Vec::new();
    }
    validator
        .iter_errors(decision)
        .take(limit)
        .map(|e| Problem::new(format!("{at}{}", e.instance_path().as_str()), message(&e)))
        .collect()
}

fn collect(validator: &Validator, doc: &Value) -> Vec<Problem> {
    validator
        .iter_errors(doc)
        .take(MAX_SCHEMA_ERRORS)
        .map(|e| Problem::new(e.instance_path().as_str(), message(&e)))
        .collect()
}

/// Shows a value briefly: scalars in full, containers by kind.
fn brief(v: &Value) -> String {
    match v {
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::String(s) if s.chars().count() > 60 => {
            format!("`{}...`", s.chars().take(57).collect::<String>())
        }
        other => format!("`{other}`"),
    }
}

fn type_name(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => format!("{t}"),
        TypeKind::Multiple(ts) => {
            let names: Vec<String> = ts.iter().map(|t| format!("{t}")).collect();
            names.join(" or ")
        }
    }
}

/// What the snapshot schema's patterns mean, so people read a rule, not a regex.
fn pattern_meaning(pattern: &str) -> Option<&'static str> {
    if pattern.contains("[Tt ]") {
        Some("is not an RFC 3339 date-time (e.g. `2026-11-17T10:02:00Z`)")
    } else if pattern.contains("-[0-9]{2}$") || pattern.contains(r"-\\d{2}$") {
        Some("is not a date (YYYY-MM-DD)")
    } else if pattern.contains("/@") {
        Some("must be non-empty and contain neither `/` nor `@`")
    } else if pattern.contains("[A-Z]{3}") {
        Some("is not an ISO 4217 currency code (three capital letters)")
    } else {
        None
    }
}

fn message(e: &ValidationError<'_>) -> String {
    let instance = e.instance();
    match e.kind() {
        ValidationErrorKind::Type { kind } => {
            format!("expected {}, found {}", type_name(kind), brief(instance))
        }
        ValidationErrorKind::Required { property } => {
            format!(
                "missing required field `{}`",
                property.as_str().unwrap_or_default()
            )
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let names: Vec<String> = unexpected.iter().map(|n| format!("`{n}`")).collect();
            format!("unknown field {}", names.join(", "))
        }
        ValidationErrorKind::Enum { options } => {
            let names: Vec<String> = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|o| format!("`{}`", o.as_str().unwrap_or("?")))
                        .collect()
                })
                .unwrap_or_default();
            format!("{} is not one of {}", brief(instance), names.join(", "))
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("expected `{expected_value}`, found {}", brief(instance))
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("{} is below the minimum `{limit}`", brief(instance))
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("{} is above the maximum `{limit}`", brief(instance))
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("{} must be greater than `{limit}`", brief(instance))
        }
        ValidationErrorKind::Pattern { pattern } => match pattern_meaning(pattern) {
            Some(meaning) => format!("{} {meaning}", brief(instance)),
            None => format!("{} does not match `{pattern}`", brief(instance)),
        },
        ValidationErrorKind::MinLength { limit } => {
            format!("{} is shorter than {limit} character(s)", brief(instance))
        }
        _ => crate::text::lowercase_first(&e.to_string()),
    }
}
