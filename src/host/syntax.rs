//! Rhai's parse errors in the words of a policy author: what is not allowed and why, which
//! limit was hit and the flag that raises it, located at the word that caused it.

use std::path::Path;
use std::sync::Arc;

use rhai::{ParseError, ParseErrorType, Position};

use super::PolicyError;
use super::words::a_type;
use crate::error::Code;
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

/// A parse error in words a policy author can act on: its code, message and hint; `word`
/// is the identifier at the error's position, if any.
// long: one arm per kind of Rhai parse error, each the words an author reads for it;
// a table read top to bottom
pub(super) fn parse_message(
    kind: &ParseErrorType,
    limits: &Limits,
    word: Option<&str>,
) -> (Code, String, Option<String>) {
    // Disabled keywords fail in several ways (`reserved`, `expecting name of a property`).
    let disabled = match kind {
        ParseErrorType::Reserved(word) => Some(word.as_str()),
        _ => word,
    };
    match disabled {
        Some("eval") => {
            return (
                Code::NotAllowed,
                "`eval` is not allowed in a policy: a policy runs only the code in its files"
                    .to_owned(),
                None,
            );
        }
        Some("curry") => {
            return (
                Code::NotAllowed,
                "`curry` is not allowed in a policy".to_owned(),
                Some("use a closure instead, e.g. `|x| f(x, y)`".to_owned()),
            );
        }
        _ => {}
    }
    let syntax = |message: String| (Code::Syntax, message, None);
    match kind {
        ParseErrorType::ExprTooDeep => (
            Code::Limit,
            format!(
                "expressions nest deeper than the limit of {} levels",
                limits.max_expr_depth
            ),
            Some("raise it with `--max-expr-depth`".to_owned()),
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
            let what = what.replace("array", "list");
            (
                Code::Limit,
                format!("{what} exceeds the limit of {limit}"),
                Some(format!("raise it with `{flag}`")),
            )
        }
        ParseErrorType::VariableUndefined(name) => (
            Code::UnknownVariable,
            format!("`{name}` is not defined"),
            Some(format!(
                "declare it before this line with `let {name} = ...;` (a policy reads the \
                 snapshot through `facts`)"
            )),
        ),
        ParseErrorType::AssignmentToConstant(name) if !name.is_empty() => (
            Code::Constant,
            format!("`{name}` is a constant and cannot be changed"),
            Some(format!("copy it first: `let value = {name};`")),
        ),
        ParseErrorType::MismatchedType(expected, actual) => syntax(format!(
            "expected {}, found {}",
            a_type(expected),
            a_type(actual)
        )),
        ParseErrorType::MissingToken(token, _) if token == ";" => (
            Code::Syntax,
            lowercase_first(&kind.to_string()),
            Some("the statement before this one ends without `;`: add it there".to_owned()),
        ),
        ParseErrorType::UnexpectedEOF => (
            Code::Syntax,
            "the file ends in the middle of a statement".to_owned(),
            Some("look for a `(`, `[` or `{` that is not closed".to_owned()),
        ),
        ParseErrorType::BadInput(rhai::LexError::UnexpectedInput(input)) => {
            match invisible(input) {
                Some((name, hint)) => (Code::Syntax, name, Some(hint)),
                None => syntax(lowercase_first(&kind.to_string())),
            }
        }
        other => syntax(lowercase_first(&other.to_string())),
    }
}

/// A character Rhai stopped at that a reader cannot see, named, with how to remove it:
/// Rhai's own message would quote it invisibly (`unexpected '\u{feff}'`).
fn invisible(input: &str) -> Option<(String, String)> {
    let mut chars = input.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    if c == '\u{feff}' {
        return Some((
            "the file holds a byte-order mark (U+FEFF), which is not part of the language"
                .to_owned(),
            "save the file as UTF-8 without a byte-order mark (\"UTF-8 with BOM\" adds one at \
             the start)"
                .to_owned(),
        ));
    }
    let unseen = c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}');
    unseen.then(|| {
        (
            format!("unexpected invisible character U+{:04X}", u32::from(c)),
            "delete it (retyping the line around it removes it too)".to_owned(),
        )
    })
}

/// A parse error, located in `source`.
pub(crate) fn parse_error(
    path: &Path,
    source: &Arc<str>,
    err: &ParseError,
    limits: &Limits,
) -> Box<PolicyError> {
    let word = word_at(source, err.position());
    let (code, message, hint) = parse_message(err.err_type(), limits, word.as_deref());
    let error = PolicyError::new(path, message).with_code(code);
    match hint {
        Some(hint) => error.with_hint(hint),
        None => error,
    }
    .at(err.position(), Some(source))
}
