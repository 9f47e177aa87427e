//! Rhai's errors in the words of a policy author: which limit was hit and the flag that
//! raises it, what is not allowed and why, located at the line that caused it, in the
//! policy or in the module it imported.

use std::path::PathBuf;
use std::sync::Arc;

use rhai::{EvalAltResult, Position};

use super::engine::{Stop, MAX_MODULES};
use super::policy::Policy;
use super::source::PackSource;
use super::syntax::{parse_message, word_at};
use super::{sandbox, PolicyError};
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
    let limits = context.limits;
    let name = &policy.name;
    let message = match inner {
        EvalAltResult::ErrorTooManyOperations(_) => format!(
            "policy `{name}` exceeded the limit of {} operations (raise it with --max-operations)",
            limits.max_operations
        ),
        // Rhai reports this one at the outermost call of the chain.
        EvalAltResult::ErrorStackOverflow(_) => format!(
            "policy `{name}` exceeded the limit of {} nested function calls in this call (raise it with --max-call-levels)",
            limits.max_call_levels
        ),
        EvalAltResult::ErrorTerminated(..) => match context.stop {
            Some(Stop::Memory) => format!(
                "policy `{name}` used more than the {} MiB of memory a policy may use \
                 (raise it with --max-memory-mb, or keep fewer copies of large arrays, maps and strings)",
                context.memory_budget >> 20
            ),
            _ => format!(
                "policy `{name}` ran longer than the limit of {} ms (raise it with --timeout-ms)",
                limits.timeout_ms
            ),
        },
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            let what = what.to_lowercase();
            if what.contains("string") {
                format!(
                    "policy `{name}` built a string longer than the limit of {} bytes (raise it with --max-string-size)",
                    limits.max_string_size
                )
            } else if what.contains("array") {
                format!(
                    "policy `{name}` built an array larger than the limit of {} elements, nested arrays included (raise it with --max-array-size)",
                    limits.max_array_size
                )
            } else {
                format!(
                    "policy `{name}` built a map larger than the limit of {} entries, nested maps included (raise it with --max-map-size)",
                    limits.max_map_size
                )
            }
        }
        EvalAltResult::ErrorTooManyModules(_) => format!(
            "policy `{name}` imported more than {MAX_MODULES} modules"
        ),
        EvalAltResult::ErrorRuntime(value, _) => {
            let thrown = source
                .as_deref()
                .and_then(|text| word_at(text, pos))
                .is_some_and(|word| word == "throw");
            match (thrown, value.clone().into_string()) {
                (true, Ok(text)) => format!("policy `{name}` threw an error: {text}"),
                (true, Err(_)) if value.is_unit() => {
                    format!("policy `{name}` threw an error")
                }
                (true, Err(_)) => format!("policy `{name}` threw `{value}`"),
                (false, Ok(text)) => text,
                (false, Err(_)) => format!("policy `{name}` failed with `{value}`"),
            }
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
                Some(why) => sandbox::denied_message(called, why),
                None => default_message(inner),
            }
        }
        EvalAltResult::ErrorParsing(kind, _) => {
            let word = source.as_deref().and_then(|text| word_at(text, pos));
            parse_message(kind, limits, word.as_deref())
        }
        other => default_message(other),
    };
    let located = !pos.is_none() && source.is_some();
    let mut error = PolicyError::new(&path, message);
    if located {
        error = error.at(pos, source.as_ref());
    }
    error
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
