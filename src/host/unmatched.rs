//! Rhai's errors for a call or a field read that matched nothing, in a policy author's
//! words: an operator given the wrong types, a field the type lacks or cannot change, a
//! function with no such argument types, a read of an absent value.

use super::fields;
use super::said::Said;
use super::words::{a_type, argument_types, has, type_word};
use crate::error::Code;
use crate::text::lowercase_first;

/// Rhai's `unknown property 'x' - a getter is not registered for type 'T'` (and its
/// setter twin), as a missing field of the author's type.
pub(super) fn dot(text: &str) -> Said {
    let quoted = |after: &str| -> Option<&str> {
        let start = text.find(after)? + after.len();
        let end = text[start..].find('\'')?;
        Some(&text[start..start + end])
    };
    let (Some(field), Some(ty)) = (quoted("property '"), quoted("type '")) else {
        return Said::new(Code::Runtime, lowercase_first(text));
    };
    let said = |code, message: String| Said::new(code, message);
    if type_word(ty) == "nothing" {
        return said(
            Code::AbsentValue,
            format!("cannot read the field `{field}` of nothing (an absent value)"),
        )
        .hint(format!(
            "the value before `.{field}` is absent (a map without that key, or a function \
             that returned nothing): check it first, or give a default with `??`"
        ));
    }
    if text.contains("setter") {
        return said(
            Code::ReadOnly,
            format!("the field `{field}` of {} cannot be changed", a_type(ty)),
        );
    }
    match fields::unknown_field(ty, field) {
        Some((message, hint)) => said(Code::UnknownField, message).hint(hint),
        None => {
            let subject = a_type(ty);
            said(
                Code::UnknownField,
                format!("{subject} {} no field `{field}`", has(&subject)),
            )
        }
    }
}

/// Operators Rhai reports as functions that were not found.
const OPERATORS: &[&str] = &[
    "+", "-", "*", "/", "%", "**", "&", "|", "^", "<<", ">>", "&&", "||", "..", "..=", "+=", "-=",
    "*=", "/=", "%=", "**=", "&=", "|=", "^=", "<<=", ">>=", "!", "in",
];
const COMPARISONS: &[&str] = &["==", "!=", "<", ">", "<=", ">="];

/// A call that matched no function, in the author's words: an operator given the wrong
/// types, a field that does not exist, or a function with no such argument types.
pub(super) fn not_found(signature: &str) -> Said {
    let (name, args) = match signature.split_once(" (") {
        Some((name, rest)) => (name.trim(), rest.strip_suffix(')').unwrap_or(rest)),
        None => (signature.trim(), ""),
    };
    let types = argument_types(args);
    let listed: Vec<&str> = types.split(", ").filter(|t| !t.is_empty()).collect();
    let absent = listed.contains(&"nothing");
    let code = if absent {
        Code::AbsentValue
    } else {
        Code::WrongType
    };
    let both = || {
        listed
            .iter()
            .map(|t| a_type(t))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let absent_hint = "one side is absent (nothing): give it a default with `??`, e.g. `(x ?? 0)`";
    if let Some(field) = name.strip_prefix("get$") {
        let subject = a_type(listed.first().copied().unwrap_or("value"));
        let verb = has(&subject);
        return Said::new(
            Code::UnknownField,
            format!("{subject} {verb} no field `{field}`"),
        );
    }
    if let Some(field) = name.strip_prefix("set$") {
        let ty = listed.first().copied().unwrap_or("value");
        return Said::new(
            Code::ReadOnly,
            format!("the field `{field}` of {} cannot be changed", a_type(ty)),
        );
    }
    if name.starts_with("index$") {
        let ty = listed.first().copied().unwrap_or("value");
        let by = listed
            .get(1)
            .map_or_else(String::new, |t| format!(" with {}", a_type(t)));
        return Said::new(code, format!("{} cannot be indexed{by}", a_type(ty)));
    }
    if COMPARISONS.contains(&name) {
        let said = Said::new(code, format!("`{name}` cannot compare {}", both()));
        return if absent {
            said.hint(absent_hint)
        } else {
            said.hint("convert one side first, e.g. `parse_int(text)` or `number.to_string()`")
        };
    }
    if OPERATORS.contains(&name) {
        let said = Said::new(code, format!("`{name}` cannot be applied to {}", both()));
        return if absent {
            said.hint(absent_hint)
        } else if listed.contains(&"integer") && listed.contains(&"number") {
            said.hint("convert the integer first, e.g. `count.to_float()`")
        } else if listed.contains(&"string") && listed.len() == 2 {
            said.hint(
                "convert one side first: `parse_int(text)` or `parse_float(text)` for a \
                 number, `x.to_string()` for text",
            )
        } else {
            said
        };
    }
    let said = Said::new(
        Code::UnknownFunction,
        if types.is_empty() {
            format!("there is no function `{name}` that takes no arguments")
        } else {
            format!("there is no function `{name}` that takes ({types})")
        },
    );
    if absent {
        said.hint("an argument is absent (nothing): give it a default with `??`")
    } else {
        said.hint("check the function's name, and the number and types of its arguments")
    }
}
