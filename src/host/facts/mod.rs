//! The read-only view of the facts that scripts get as `facts`: aggregates as opaque
//! handles (cheap to copy, invisible to Rhai's container-size checks), raw records on demand.
//! One file per type scripts see, each registering its own getters (as regorus registers
//! one builtin family per file); the helpers they share are in getters.rs.

#[macro_use]
mod getters;

pub use super::handles::FactsRef;
pub use getters::UNTAGGED;

mod catalog;
mod family;
mod functions;
mod runs;
mod snapshot;
mod squad;
mod topup;
mod variant;

pub fn register(engine: &mut rhai::Engine) {
    snapshot::register(engine);
    variant::register(engine);
    squad::register(engine);
    family::register(engine);
    topup::register(engine);
    catalog::register(engine);
    runs::register(engine);
    functions::register(engine);
}
