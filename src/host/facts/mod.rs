//! The read-only view of the facts that scripts get as `facts`: aggregates as opaque
//! handles (cheap to copy, invisible to Rhai's container-size checks), raw records on demand.
//! One file per type scripts see, each registering its own getters (as regorus registers
//! one builtin family per file); the helpers they share are here.

use rhai::{Array, Dynamic, Engine, Variant};

use super::fields::{registered, Scripted};
pub use super::handles::FactsRef;

/// Untagged runs' row in by-family tables. It holds a `/`, which no family name may
/// (handbook v1.1): a family called `(untagged)` keeps a row of its own.
pub const UNTAGGED: &str = "(no workflow/variant)";

/// A count or token total as a script integer. Both loaders refuse a snapshot whose values
/// or totals pass `i64::MAX` (`snapshot::rules::check_totals`), so the fallback is never
/// taken; it stays so that a broken invariant cannot panic.
fn int(x: u64) -> i64 {
    i64::try_from(x).unwrap_or(i64::MAX)
}

fn opt_float(x: Option<f64>) -> Dynamic {
    x.map_or(Dynamic::UNIT, Dynamic::from_float)
}

fn opt_str(x: Option<&String>) -> Dynamic {
    x.map_or(Dynamic::UNIT, |s| s.clone().into())
}

fn strings<'a>(items: impl Iterator<Item = &'a String>) -> Array {
    items.map(|s| s.clone().into()).collect()
}

/// Registers a getter named in the fields table (`host/fields.rs`), so the table, `check`
/// and the guide cannot drift from what scripts read.
fn get<T, R>(
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
/// files below, so its helpers are named from them (`super::`).
macro_rules! stats_getters {
    ($engine:ident, $ty:ty, |$x:ident| $stats:expr) => {{
        super::get($engine, "uses", |$x: &mut $ty| super::int($stats.uses));
        super::get($engine, "successes", |$x: &mut $ty| {
            super::int($stats.successes)
        });
        super::get($engine, "failures", |$x: &mut $ty| {
            super::int($stats.failures)
        });
        super::get($engine, "abandoned", |$x: &mut $ty| {
            super::int($stats.abandoned)
        });
        super::get($engine, "tokens", |$x: &mut $ty| {
            super::int($stats.tokens())
        });
        super::get($engine, "input_tokens", |$x: &mut $ty| {
            super::int($stats.input_tokens)
        });
        super::get($engine, "output_tokens", |$x: &mut $ty| {
            super::int($stats.output_tokens)
        });
        super::get($engine, "exploration_tokens", |$x: &mut $ty| {
            super::int($stats.exploration_tokens)
        });
        super::get($engine, "central_tokens", |$x: &mut $ty| {
            super::int($stats.central_tokens)
        });
        super::get($engine, "cost_micros", |$x: &mut $ty| $stats.cost_micros);
        super::get($engine, "success_rate", |$x: &mut $ty| {
            super::opt_float($stats.success_rate())
        });
        super::get($engine, "cost_per_success", |$x: &mut $ty| {
            super::opt_float($stats.cost_per_success())
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

mod catalog;
mod family;
mod functions;
mod runs;
mod snapshot;
mod squad;
mod topup;
mod variant;

pub fn register(engine: &mut Engine) {
    snapshot::register(engine);
    variant::register(engine);
    squad::register(engine);
    family::register(engine);
    topup::register(engine);
    catalog::register(engine);
    runs::register(engine);
    functions::register(engine);
}
