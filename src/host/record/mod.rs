//! The small API scripts record decisions through: `decision(subject)`, `d.value(..)`,
//! `d.check(..)`, `d.evidence(..)`, `d.summary(..)`, `d.record(outcome, severity)` or
//! `d.discard()`, and `decisions(policy)` to read what an earlier policy decided.

use rhai::Engine;

mod check;
mod close;
mod draft;
mod format;
mod open;
mod read;

pub(in crate::host) use draft::{DecisionLimit, call_site, fail};
pub use draft::{Draft, LinkSite, MAX_LOG_LINES, RECENT_LOG_LINES, Shared, State};

/// Registers the decision API on an engine, recording into `state`.
pub fn register(engine: &mut Engine, state: &Shared) {
    engine.register_type_with_name::<Draft>("Decision");
    open::register(engine, state);
    check::register(engine, state);
    close::register(engine, state);
    read::register(engine, state);
    format::register(engine);
}
