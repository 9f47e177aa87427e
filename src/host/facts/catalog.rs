//! `CatalogEntry`: an entry of the variant catalog, with the counters of its runs in this
//! snapshot (zero when it has none).

use rhai::Engine;

use super::getters::{get, opt_str};
use crate::facts::Stats;
use crate::host::handles::CatalogRef;

const NO_STATS: Stats = Stats {
    uses: 0,
    successes: 0,
    failures: 0,
    abandoned: 0,
    input_tokens: 0,
    output_tokens: 0,
    cost_micros: 0,
    exploration_tokens: 0,
    central_tokens: 0,
};

fn catalog_stats(c: &CatalogRef) -> &Stats {
    let facts = &*c.0;
    let entry = &facts.snapshot.catalog[c.1];
    facts.variant(&entry.key()).map_or(&NO_STATS, |v| &v.stats)
}

pub(super) fn register(engine: &mut Engine) {
    engine.register_type_with_name::<CatalogRef>("CatalogEntry");
    show!(engine, CatalogRef, |c| format!(
        "CatalogEntry({})",
        c.get().key()
    ));

    get(engine, "workflow", |c: &mut CatalogRef| {
        c.get().workflow.clone()
    });
    get(engine, "variant", |c: &mut CatalogRef| {
        c.get().variant.clone()
    });
    get(engine, "key", |c: &mut CatalogRef| c.get().key());
    get(engine, "status", |c: &mut CatalogRef| {
        c.get().status.as_str().to_owned()
    });
    get(engine, "origin_squad", |c: &mut CatalogRef| {
        opt_str(c.get().origin_squad.as_ref())
    });
    get(engine, "promoted_in", |c: &mut CatalogRef| {
        opt_str(c.get().promoted_in.as_ref())
    });
    stats_getters!(engine, CatalogRef, |c| catalog_stats(c));
}
