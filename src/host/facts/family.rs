//! `Family`: a workflow family, its variants, the standard variant's figures and the
//! family's counters.

use rhai::Engine;

use super::getters::{get, int, opt_float, strings};
use crate::host::handles::FamilyRef;

pub(super) fn register(engine: &mut Engine) {
    engine.register_type_with_name::<FamilyRef>("Family");
    show!(engine, FamilyRef, |f| format!("Family({})", f.get().name));

    get(engine, "name", |f: &mut FamilyRef| f.get().name.clone());
    get(engine, "variants", |f: &mut FamilyRef| {
        strings(f.get().variants.iter())
    });
    get(engine, "standard_uses", |f: &mut FamilyRef| {
        int(f.get().standard.uses)
    });
    get(engine, "standard_successes", |f: &mut FamilyRef| {
        int(f.get().standard.successes)
    });
    get(engine, "standard_cost_micros", |f: &mut FamilyRef| {
        f.get().standard.cost_micros
    });
    get(engine, "standard_cost_per_success", |f: &mut FamilyRef| {
        opt_float(f.get().standard.cost_per_success())
    });
    stats_getters!(engine, FamilyRef, |f| f.get().stats);
}
