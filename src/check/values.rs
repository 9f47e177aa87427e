//! Reading a value a decision does not have: `p.values.origin_squadd` on a decision of a
//! policy that records `origin_squad` gives nothing at `eval`, and a default such as
//! `?? 0` would hide the typo, so the nearest recorded name is offered instead.

use rhai::Position;

use super::site::{Site, listed};
use crate::error::Code;

/// `key` read on the values of a decision of `policy`.
pub fn key(site: &mut Site, policy: &str, key: &str, pos: Position, span: usize) {
    let Some(Some(names)) = site.recorded.get(policy) else {
        return;
    };
    if names.contains(key) {
        return;
    }
    let hint = if names.is_empty() {
        format!("`{policy}` records no values")
    } else {
        format!(
            "{}`{policy}` records {}",
            crate::text::did_you_mean(key, names.iter().map(String::as_str)),
            listed(names.iter().map(String::as_str))
        )
    };
    site.report(
        pos,
        span,
        Code::UnknownValue,
        format!("decisions of `{policy}` have no value `{key}`"),
        Some(hint),
    );
}
