//! Provenance: `d.because(other)` records that a decision drew on a decision of another
//! policy, and at the end of a run every such link must lead to a decision in the
//! document, so an auditor following the chain never reaches nothing.

use std::collections::HashSet;

use rhai::{Dynamic, Engine, EvalAltResult, Map, NativeCallContext};

use super::PolicyError;
use super::record::{Draft, LinkSite, Shared, call_site, fail};
use super::source::PackSource;
use crate::decision::{Decision, Link};
use crate::error::Code;

/// Registers `d.because(other)`, where `other` is a decision from `decisions("p")`.
pub fn register(engine: &mut Engine, state: &Shared) {
    let s = state.clone();
    engine.register_fn(
        "because",
        move |ctx: NativeCallContext,
              d: &mut Draft,
              other: Dynamic|
              -> Result<(), Box<EvalAltResult>> {
            let to = link_of(&other)?;
            let state = s.borrow();
            if !state.reads.contains(&to.policy) {
                return fail(format!(
                    "policy `{}` gives a decision of `{}` as a reason but does not list it in \
                     `READS`",
                    state.policy, to.policy
                ));
            }
            let site = call_site(&ctx, &state);
            drop(state);
            d.link(to, site)
        },
    );
}

/// The (policy, subject) of a decision map as `decisions("p")` gives it.
fn link_of(other: &Dynamic) -> Result<Link, Box<EvalAltResult>> {
    let shape = "`because` takes a decision from `decisions(\"policy\")`";
    let Some(map) = other.read_lock::<Map>() else {
        return fail(format!("{shape}, got {}", kind(other)));
    };
    let text = |key: &str| {
        map.get(key).and_then(|v| {
            v.read_lock::<rhai::ImmutableString>()
                .map(|s| s.to_string())
        })
    };
    match (text("policy"), text("subject")) {
        (Some(policy), Some(subject)) => Ok(Link { policy, subject }),
        _ => fail(format!(
            "{shape}, got a map without a text `policy` and `subject`"
        )),
    }
}

/// What a script passed, in the author's words.
fn kind(value: &Dynamic) -> &'static str {
    if value.is_unit() {
        "nothing"
    } else if value.is_string() {
        "a string"
    } else if value.is_int() || value.is_float() {
        "a number"
    } else if value.is_array() {
        "an array"
    } else {
        "a value of another kind"
    }
}

/// Refuses a run in which a `because` leads to no decision of the document (a map made
/// by hand, or a decision its policy later dropped), at the first such call.
pub fn check(
    links: &[LinkSite],
    decisions: &[Decision],
    pack: &PackSource,
) -> Result<(), Box<PolicyError>> {
    let known: HashSet<(&str, &str)> = decisions
        .iter()
        .map(|d| (d.policy.as_str(), d.subject.as_str()))
        .collect();
    let Some(broken) = links
        .iter()
        .find(|l| !known.contains(&(l.to.policy.as_str(), l.to.subject.as_str())))
    else {
        return Ok(());
    };
    let (path, text) = pack.locate(&broken.file);
    let error = PolicyError::new(
        &path,
        format!(
            "the decision of `{}` about `{}` gives as its reason the decision of `{}` about \
             `{}`, which is not in the document",
            broken.from.policy, broken.from.subject, broken.to.policy, broken.to.subject
        ),
    )
    .with_code(Code::DanglingBecause);
    Err(match text {
        Some(text) if !broken.pos.is_none() => error.at(broken.pos, Some(&text)),
        _ => error,
    })
}
