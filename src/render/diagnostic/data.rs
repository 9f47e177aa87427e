//! Errors as data for editors and CI (`--error-format json`): one object per error, each
//! with the same keys (`severity`, `code`, `message`, `file`, `line`, `column`, `span`,
//! `hint`; null when unknown), so a reader needs no case per kind.

use serde_json::{json, Value};

use crate::error::PolicyError;
use crate::Error;

/// An error as one JSON object.
pub fn error(err: &Error) -> Value {
    let plain = |code: &str, file: Option<String>| object(code, &err.to_string(), file, None, None);
    match err {
        Error::Policy(e) => policy(e),
        Error::Invalid { origin, problems }
        | Error::InvalidInput {
            origin, problems, ..
        } => {
            let code = match err {
                Error::InvalidInput { kind, .. } => format!("invalid-{}", kind.replace(' ', "-")),
                _ => "invalid-snapshot".to_owned(),
            };
            let mut value = plain(&code, Some(origin.clone()));
            value["problems"] = problems
                .iter()
                .map(|p| json!({"pointer": p.pointer, "message": p.message}))
                .collect();
            value
        }
        Error::Json {
            origin,
            line,
            column,
            message,
        } => object(
            "invalid-json",
            message,
            Some(origin.clone()),
            Some(*line),
            Some(*column),
        ),
        Error::Read { path, .. } => plain("cannot-read", Some(path.display().to_string())),
        Error::Write { path, .. } => plain("cannot-write", Some(path.display().to_string())),
        Error::TooLarge { path, .. } => plain("too-large", Some(path.display().to_string())),
        Error::OverLimit { path, .. } => plain("over-limit", Some(path.display().to_string())),
    }
}

/// A failure that is not one of the library's errors (an argument, the machine).
pub fn other(message: &str) -> Value {
    object("error", message, None, None, None)
}

fn object(
    code: &str,
    message: &str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
) -> Value {
    json!({
        "severity": "error",
        "code": code,
        "message": message,
        "file": file,
        "line": line,
        "column": column,
        "span": column.map(|_| 1),
        "hint": null,
    })
}

/// One policy error or finding as data; the printed lines it carries, when it has any.
pub fn policy(e: &PolicyError) -> Value {
    let mut value = json!({
        "severity": e.severity.as_str(),
        "code": e.code.unwrap_or("policy-error"),
        "message": e.message,
        "file": e.path.display().to_string(),
        "line": e.line,
        "column": e.column,
        "span": e.span.or(e.column.map(|_| 1)),
        "hint": e.hint,
    });
    if !e.printed.is_empty() {
        value["printed"] = json!(e.printed);
        value["printed_total"] = json!(e.printed_total);
    }
    value
}
