//! Errors as data for editors and CI (`--error-format json`): one object per error, each
//! with the same keys (`severity`, `code`, `message`, `file`, `line`, `column`, `span`,
//! `hint`; null when unknown), so a reader needs no case per kind.

use serde_json::{Value, json};

use crate::Error;
use crate::error::{Code, PolicyError};

/// An error as one JSON object.
pub fn error(err: &Error) -> Value {
    let plain = |code: Code, file: Option<String>| object(code, &err.to_string(), file, None, None);
    match err {
        Error::Policy(e) => policy(e),
        Error::Invalid { origin, problems }
        | Error::InvalidInput {
            origin, problems, ..
        } => {
            let mut value = plain(Code::InvalidSnapshot, Some(origin.clone()));
            // Inputs other than the snapshot are named by their kind (`invalid-exceptions-file`).
            if let Error::InvalidInput { kind, .. } = err {
                value["code"] = format!("invalid-{}", kind.replace(' ', "-")).into();
            }
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
            Code::InvalidJson,
            message,
            Some(origin.clone()),
            Some(*line),
            Some(*column),
        ),
        Error::Read { path, .. } => plain(Code::CannotRead, Some(path.display().to_string())),
        Error::Write { path, .. } => plain(Code::CannotWrite, Some(path.display().to_string())),
        Error::TooLarge { path, .. } => plain(Code::TooLarge, Some(path.display().to_string())),
        Error::OverLimit { path, .. } => plain(Code::OverLimit, Some(path.display().to_string())),
    }
}

/// A failure that is not one of the library's errors (an argument, the machine).
pub fn other(message: &str) -> Value {
    object(Code::Error, message, None, None, None)
}

fn object(
    code: Code,
    message: &str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
) -> Value {
    json!({
        "severity": "error",
        "code": code.as_str(),
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
        "severity": e.level.as_str(),
        "code": e.code.unwrap_or(Code::PolicyError).as_str(),
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
