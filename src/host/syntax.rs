//! Rhai's parse errors in the words of a policy author: what is not allowed and why, which
//! limit was hit and the flag that raises it, located at the word that caused it.

use std::path::Path;
use std::sync::Arc;

use rhai::{ParseError, ParseErrorType, Position};

use super::PolicyError;
use crate::limits::Limits;
use crate::text::lowercase_first;

/// The identifier that starts at `pos` in `text`, if one does (to tell a script's `throw`
/// from an error raised by a function it called, or to spot a disabled keyword).
pub(super) fn word_at(text: &str, pos: Position) -> Option<String> {
    let (line, column) = (pos.line()?, pos.position()?);
    let code = text.lines().nth(line.checked_sub(1)?)?;
    let word: String = code
        .chars()
        .skip(column.checked_sub(1)?)
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// A parse error in words a policy author can act on; `word` is the identifier at the
/// error's position, if any.
pub(super) fn parse_message(kind: &ParseErrorType, limits: &Limits, word: Option<&str>) -> String {
    // Disabled keywords fail in several ways (`reserved`, `expecting name of a property`).
    let disabled = match kind {
        ParseErrorType::Reserved(word) => Some(word.as_str()),
        _ => word,
    };
    match disabled {
        Some("eval") => {
            return "`eval` is not allowed in a policy: a policy runs only the code in its files"
                .to_owned()
        }
        Some("curry") => {
            return "`curry` is not allowed in a policy: use a closure instead, e.g. `|x| f(x, y)`"
                .to_owned()
        }
        _ => {}
    }
    match kind {
        ParseErrorType::ExprTooDeep => format!(
            "expressions nest deeper than the limit of {} levels (raise it with --max-expr-depth)",
            limits.max_expr_depth
        ),
        ParseErrorType::LiteralTooLarge(what, _) => {
            let what = what.to_lowercase();
            let (limit, flag) = if what.contains("string") {
                (limits.max_string_size, "--max-string-size")
            } else if what.contains("array") {
                (limits.max_array_size, "--max-array-size")
            } else {
                (limits.max_map_size, "--max-map-size")
            };
            format!("{what} exceeds the limit of {limit} (raise it with {flag})")
        }
        ParseErrorType::Reserved(word) if word == "eval" => {
            "`eval` is not allowed in a policy: a policy runs only the code in its files".to_owned()
        }
        ParseErrorType::Reserved(word) if word == "curry" => {
            "`curry` is not allowed in a policy: use a closure instead, e.g. `|x| f(x, y)`"
                .to_owned()
        }
        other => lowercase_first(&other.to_string()),
    }
}

/// A parse error, located in `source`.
pub(crate) fn parse_error(
    path: &Path,
    source: &Arc<str>,
    err: &ParseError,
    limits: &Limits,
) -> Box<PolicyError> {
    let word = word_at(source, err.position());
    PolicyError::new(path, parse_message(err.err_type(), limits, word.as_deref()))
        .at(err.position(), Some(source))
}
