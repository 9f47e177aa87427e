//! What the files of `facts/` share: script values from counts and options, a getter
//! checked against the fields table, and the macros for `to_string` and the counters.

use rhai::{Array, Dynamic, Engine, Variant};

use crate::host::fields::{Scripted, registered};

/// Untagged runs' row in by-family tables. It holds a `/`, which no family name may
/// (handbook v1.1): a family called `(untagged)` keeps a row of its own.
pub const UNTAGGED: &str = "(no workflow/variant)";

/// A count or token total as a script integer. Both loaders refuse a snapshot whose values
/// or totals pass `i64::MAX` (`snapshot::rules::check_totals`), so the fallback is never
/// taken; it stays so that a broken invariant cannot panic.
pub(super) fn int(x: u64) -> i64 {
    i64::try_from(x).unwrap_or(i64::MAX)
}

pub(super) fn opt_float(x: Option<f64>) -> Dynamic {
    x.map_or(Dynamic::UNIT, Dynamic::from_float)
}

pub(super) fn opt_str(x: Option<&String>) -> Dynamic {
    x.map_or(Dynamic::UNIT, |s| s.clone().into())
}

pub(super) fn strings<'a>(items: impl Iterator<Item = &'a String>) -> Array {
    items.map(|s| s.clone().into()).collect()
}

/// Registers a getter named in the fields table (`host/fields.rs`), so the table, `check`
/// and the guide cannot drift from what scripts read.
pub(super) fn get<T, R>(
    engine: &mut Engine,
    name: &'static str,
    getter: impl Fn(&mut T) -> R + Send + Sync + 'static,
) where
    T: Variant + Clone + Scripted,
    R: Variant + Clone,
{
    registered::<T>(name);
    engine.register_get::<T, false, R, false>(name, getter);
}

/// Registers the counters every aggregate shares, read through `stats_of`; used in the
/// files beside this one, so its helpers are named from them (`super::getters::`).
macro_rules! stats_getters {
    ($engine:ident, $ty:ty, |$x:ident| $stats:expr) => {{
        super::getters::get($engine, "uses", |$x: &mut $ty| {
            super::getters::int($stats.uses)
        });
        super::getters::get($engine, "successes", |$x: &mut $ty| {
            super::getters::int($stats.successes)
        });
        super::getters::get($engine, "failures", |$x: &mut $ty| {
            super::getters::int($stats.failures)
        });
        super::getters::get($engine, "abandoned", |$x: &mut $ty| {
            super::getters::int($stats.abandoned)
        });
        super::getters::get($engine, "tokens", |$x: &mut $ty| {
            super::getters::int($stats.tokens())
        });
        super::getters::get($engine, "input_tokens", |$x: &mut $ty| {
            super::getters::int($stats.input_tokens)
        });
        super::getters::get($engine, "output_tokens", |$x: &mut $ty| {
            super::getters::int($stats.output_tokens)
        });
        super::getters::get($engine, "exploration_tokens", |$x: &mut $ty| {
            super::getters::int($stats.exploration_tokens)
        });
        super::getters::get($engine, "central_tokens", |$x: &mut $ty| {
            super::getters::int($stats.central_tokens)
        });
        super::getters::get($engine, "cost_micros", |$x: &mut $ty| $stats.cost_micros);
        super::getters::get($engine, "success_rate", |$x: &mut $ty| {
            super::getters::opt_float($stats.success_rate())
        });
        super::getters::get($engine, "cost_per_success", |$x: &mut $ty| {
            super::getters::opt_float($stats.cost_per_success())
        });
    }};
}

/// `print(v)` and string interpolation show what a handle is, not a Rust type path.
macro_rules! show {
    ($engine:ident, $ty:ty, |$x:ident| $text:expr) => {{
        $engine.register_fn("to_string", |$x: &mut $ty| -> String { $text });
        $engine.register_fn("to_debug", |$x: &mut $ty| -> String { $text });
    }};
}
