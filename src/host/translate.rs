//! Rhai's errors in the words of a policy author: which limit was hit and the flag that
//! raises it, what is not allowed and why, located at the line that caused it, in the
//! policy or in the module it imported.

use std::path::PathBuf;
use std::sync::Arc;

use rhai::{EvalAltResult, Position};

use super::engine::{MAX_MODULES, Stop};
use super::policy::Policy;
use super::record::DecisionLimit;
use super::said::Said;
use super::source::PackSource;
use super::syntax::{parse_message, word_at};
use super::unmatched::{dot, not_found};
use super::words::{a_type, type_word};
use super::{PolicyError, sandbox};
use crate::error::Code;
use crate::limits::Limits;
use crate::text::lowercase_first;

/// What an error is explained against: the limits in force, why the host stopped the
/// policy (if it did), and the pack, for the text of a module the error is in.
pub struct Context<'a> {
    pub limits: &'a Limits,
    pub memory_budget: usize,
    pub stop: Option<Stop>,
    pub pack: &'a PackSource,
}

/// A runtime error in words a policy author can act on, located in the policy or in the
/// module it happened in.
pub fn runtime_error(policy: &Policy, err: &EvalAltResult, context: &Context) -> Box<PolicyError> {
    let inner = err.unwrap_inner();
    let (pos, module) = locate(err, None);
    // The file the error is in: the policy, or a module it imported.
    let (path, source): (PathBuf, Option<Arc<str>>) = match module {
        Some(module) if module != policy.file => context.pack.locate(&module),
        _ => (policy.path.clone(), Some(policy.source.clone())),
    };
    let said = explain(inner, policy, context, source.as_deref(), pos);
    let located = !pos.is_none() && source.is_some();
    let mut error = PolicyError::new(&path, said.message).with_code(said.code);
    if let Some(hint) = said.hint {
        error = error.with_hint(hint);
    }
    if located {
        error = error.at(pos, source.as_ref());
    }
    error
}

/// A limit the policy reached, and the flag that raises it.
fn limit(message: String, flag: &str) -> Said {
    Said::new(Code::Limit, message).hint(format!("raise it with `{flag}`"))
}

// long: one arm per kind of Rhai runtime error, each the message an author reads for it;
// a table read top to bottom (its shared pieces are `limit` and `Said` above)
fn explain(
    inner: &EvalAltResult,
    policy: &Policy,
    context: &Context,
    source: Option<&str>,
    pos: Position,
) -> Said {
    let limits = context.limits;
    let name = &policy.name;
    match inner {
        EvalAltResult::ErrorTooManyOperations(_) => limit(
            format!(
                "policy `{name}` exceeded the limit of {} operations",
                limits.max_operations
            ),
            "--max-operations",
        ),
        // Rhai reports this one at the outermost call of the chain.
        EvalAltResult::ErrorStackOverflow(_) => limit(
            format!(
                "policy `{name}` exceeded the limit of {} nested function calls in this call",
                limits.max_call_levels
            ),
            "--max-call-levels",
        ),
        EvalAltResult::ErrorTerminated(..) => match context.stop {
            Some(Stop::Memory) => limit(
                format!(
                    "policy `{name}` used more than the {} MiB of memory a policy may use",
                    context.memory_budget >> 20
                ),
                "--max-memory-mb",
            )
            .hint(
                "raise it with `--max-memory-mb`, or keep fewer copies of large lists, maps \
                 and strings",
            ),
            _ => limit(
                format!(
                    "policy `{name}` ran longer than the limit of {} ms",
                    limits.timeout_ms
                ),
                "--timeout-ms",
            ),
        },
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            let what = what.to_lowercase();
            if what.contains("string") {
                limit(
                    format!(
                        "policy `{name}` built a string longer than the limit of {} bytes",
                        limits.max_string_size
                    ),
                    "--max-string-size",
                )
            } else if what.contains("array") {
                limit(
                    format!(
                        "policy `{name}` built a list larger than the limit of {} items, nested lists included",
                        limits.max_array_size
                    ),
                    "--max-array-size",
                )
            } else {
                limit(
                    format!(
                        "policy `{name}` built a map larger than the limit of {} entries, nested maps included",
                        limits.max_map_size
                    ),
                    "--max-map-size",
                )
            }
        }
        EvalAltResult::ErrorTooManyModules(_) => Said::new(
            Code::Limit,
            format!("policy `{name}` imported more than {MAX_MODULES} modules"),
        ),
        EvalAltResult::ErrorRuntime(value, _) if value.is::<DecisionLimit>() => {
            limit(value.clone_cast::<DecisionLimit>().0, "--max-decisions")
        }
        EvalAltResult::ErrorRuntime(value, _) => {
            let thrown = source
                .and_then(|text| word_at(text, pos))
                .is_some_and(|word| word == "throw");
            let message = match (thrown, value.clone().into_string()) {
                (true, Ok(text)) => format!("policy `{name}` threw an error: {text}"),
                (true, Err(_)) if value.is_unit() => format!("policy `{name}` threw an error"),
                (true, Err(_)) => format!("policy `{name}` threw `{value}`"),
                (false, Ok(text)) => text,
                (false, Err(_)) => format!("policy `{name}` failed with `{value}`"),
            };
            Said::new(if thrown { Code::Thrown } else { Code::Runtime }, message)
        }
        EvalAltResult::ErrorFunctionNotFound(signature, _) => {
            let called = signature
                .split([' ', '('])
                .next()
                .unwrap_or_default()
                .rsplit("::")
                .next()
                .unwrap_or_default();
            match sandbox::denied(called) {
                Some(why) => Said::new(Code::NotAllowed, sandbox::denied_message(called, why)),
                None => not_found(signature),
            }
        }
        EvalAltResult::ErrorParsing(kind, _) => {
            let word = source.and_then(|text| word_at(text, pos));
            let (code, message, hint) = parse_message(kind, limits, word.as_deref());
            Said {
                message,
                code,
                hint,
            }
        }
        EvalAltResult::ErrorDotExpr(text, _) => dot(text),
        // Only maps fail this way (a missing key read with `.` or `[...]`).
        EvalAltResult::ErrorPropertyNotFound(key, _) => {
            Said::new(Code::UnknownKey, format!("the map has no key `{key}`")).hint(format!(
                "read it with `.get(\"{key}\")`, which gives nothing (an absent value) for a \
                 missing key, e.g. `map.get(\"{key}\") ?? 0`"
            ))
        }
        EvalAltResult::ErrorVariableNotFound(variable, _) => Said::new(
            Code::UnknownVariable,
            format!("`{variable}` is not defined"),
        )
        .hint(format!("declare it first: `let {variable} = ...;`")),
        EvalAltResult::ErrorMismatchDataType(expected, actual, _)
        | EvalAltResult::ErrorMismatchOutputType(expected, actual, _) => Said::new(
            Code::WrongType,
            match (expected.is_empty(), actual.is_empty()) {
                (false, false) => {
                    format!("expected {}, found {}", a_type(expected), a_type(actual))
                }
                (false, true) => format!("expected {}", a_type(expected)),
                _ => format!("a value of the wrong type: {}", a_type(actual)),
            },
        ),
        EvalAltResult::ErrorArrayBounds(len, index, _) => bounds("list", "item", *len, *index),
        EvalAltResult::ErrorStringBounds(len, index, _) => {
            bounds("string", "character", *len, *index)
        }
        EvalAltResult::ErrorIndexingType(what, _) => {
            let ty = what.split([' ', '[']).next().unwrap_or_default();
            Said::new(
                if type_word(ty) == "nothing" {
                    Code::AbsentValue
                } else {
                    Code::WrongType
                },
                format!("{} cannot be indexed with `[...]`", a_type(ty)),
            )
            .hint("only lists, maps, strings and the runs can be indexed")
        }
        EvalAltResult::ErrorFor(_) => Said::new(
            Code::WrongType,
            "`for` needs a list, a range, a string or the runs to loop over",
        ),
        EvalAltResult::ErrorAssignmentToConstant(constant, _) => Said::new(
            Code::Constant,
            format!("`{constant}` is a constant and cannot be changed"),
        )
        .hint(format!("copy it first: `let value = {constant};`")),
        EvalAltResult::ErrorUnboundThis(_) => {
            Said::new(Code::Runtime, "`this` means something only inside a method")
        }
        EvalAltResult::ErrorArithmetic(..) => Said::new(Code::Arithmetic, default_message(inner)),
        other => Said::new(Code::Runtime, default_message(other)),
    }
}

/// An index past the end of a list or a string.
fn bounds(what: &str, item: &str, len: usize, index: i64) -> Said {
    let message = match len {
        0 => format!("index {index} is out of range: the {what} is empty"),
        1 => format!("index {index} is out of range: the {what} has only 1 {item}"),
        n => format!("index {index} is out of range: the {what} has only {n} {item}s"),
    };
    let said = Said::new(Code::IndexOutOfRange, message);
    if len == 0 {
        said
    } else {
        said.hint(format!(
            "indexes run from 0 to {}; negative ones count from the end (-1 is the last)",
            len - 1
        ))
    }
}

/// Rhai's own message, without the location it appends (it is shown apart).
fn default_message(err: &EvalAltResult) -> String {
    let text = err.to_string();
    let text = match text.rfind(" (line ") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => &text,
    };
    lowercase_first(text)
}

/// Where evaluation stopped: the innermost position an error has, and the module it is
/// in (`None` for the policy itself). An error without a position is placed at the call
/// that led to it.
fn locate(err: &EvalAltResult, source: Option<&str>) -> (Position, Option<String>) {
    let (inner, callee, at) = match err {
        EvalAltResult::ErrorInFunctionCall(_, callee, inner, at)
        | EvalAltResult::ErrorInModule(callee, inner, at) => (inner, callee, *at),
        other => return (other.position(), source.map(str::to_owned)),
    };
    let callee = if callee.is_empty() {
        source
    } else {
        Some(callee.as_str())
    };
    match locate(inner, callee) {
        (pos, module) if !pos.is_none() => (pos, module),
        _ => (at, source.map(str::to_owned)),
    }
}
