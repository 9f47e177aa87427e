//! `facts` itself: the snapshot as a whole (sprint, org, currency, budgets), its lists and
//! lookups of the other handles, the counters over all runs and the untagged runs.

use rhai::{Array, Dynamic, Engine, Map};

use super::getters::{UNTAGGED, get, int, opt_str};
use crate::host::handles::{CatalogRef, FactsRef, FamilyRef, Runs, SquadRef, TopupRef, VariantRef};

pub(super) fn register(engine: &mut Engine) {
    engine.register_type_with_name::<FactsRef>("Facts");
    show!(engine, FactsRef, |f| format!(
        "Facts(sprint {})",
        f.0.snapshot.sprint.id
    ));

    get(engine, "sprint", |f: &mut FactsRef| {
        let s = &f.0.snapshot.sprint;
        let mut m = Map::new();
        m.insert("id".into(), s.id.clone().into());
        m.insert("start".into(), s.start.clone().into());
        m.insert("end".into(), s.end.clone().into());
        m
    });
    get(engine, "org", |f: &mut FactsRef| {
        opt_str(f.0.snapshot.org.as_ref())
    });
    get(engine, "currency", |f: &mut FactsRef| {
        f.0.snapshot.currency.clone()
    });
    get(engine, "central_tokens", |f: &mut FactsRef| {
        int(f.0.snapshot.budgets.central_tokens)
    });
    lists(engine);
    lookups(engine);
    totals(engine);
}

/// The other handles, each kind as a list in snapshot order.
fn lists(engine: &mut Engine) {
    get(engine, "variants", |f: &mut FactsRef| -> Array {
        (0..f.0.variants.len())
            .map(|i| Dynamic::from(VariantRef(f.0.clone(), i)))
            .collect()
    });
    get(engine, "squads", |f: &mut FactsRef| -> Array {
        (0..f.0.squads.len())
            .map(|i| Dynamic::from(SquadRef(f.0.clone(), i)))
            .collect()
    });
    get(engine, "families", |f: &mut FactsRef| -> Array {
        (0..f.0.families.len())
            .map(|i| Dynamic::from(FamilyRef(f.0.clone(), i)))
            .collect()
    });
    get(engine, "topups", |f: &mut FactsRef| -> Array {
        (0..f.0.snapshot.topups.len())
            .map(|i| Dynamic::from(TopupRef(f.0.clone(), i)))
            .collect()
    });
    get(engine, "catalog", |f: &mut FactsRef| -> Array {
        (0..f.0.snapshot.catalog.len())
            .map(|i| Dynamic::from(CatalogRef(f.0.clone(), i)))
            .collect()
    });
    get(engine, "runs", |f: &mut FactsRef| Runs(f.0.clone()));
}

/// One handle by its key, or `()` when there is none.
fn lookups(engine: &mut Engine) {
    engine.register_fn("variant", |f: &mut FactsRef, key: &str| {
        f.0.variant_index.get(key).map_or(Dynamic::UNIT, |&i| {
            Dynamic::from(VariantRef(f.0.clone(), i))
        })
    });
    engine.register_fn("squad", |f: &mut FactsRef, id: &str| {
        f.0.squad_index
            .get(id)
            .map_or(Dynamic::UNIT, |&i| Dynamic::from(SquadRef(f.0.clone(), i)))
    });
    engine.register_fn("family", |f: &mut FactsRef, name: &str| {
        f.0.families
            .keys()
            .position(|k| k == name)
            .map_or(Dynamic::UNIT, |i| Dynamic::from(FamilyRef(f.0.clone(), i)))
    });
}

/// The counters over all runs, the untagged runs' and exploration by family and squad.
fn totals(engine: &mut Engine) {
    stats_getters!(engine, FactsRef, |f| f.0.all);
    get(engine, "untagged", |f: &mut FactsRef| {
        let u = &f.0.untagged;
        let mut m = Map::new();
        m.insert("uses".into(), int(u.uses).into());
        m.insert("tokens".into(), int(u.tokens()).into());
        m.insert(
            "exploration_tokens".into(),
            int(u.exploration_tokens).into(),
        );
        m.insert("central_tokens".into(), int(u.central_tokens).into());
        m.insert("cost_micros".into(), u.cost_micros.into());
        m
    });
    get(
        engine,
        "exploration_tokens_by_family",
        |f: &mut FactsRef| {
            let mut m: Map =
                f.0.families
                    .iter()
                    .map(|(name, fam)| {
                        (
                            name.as_str().into(),
                            int(fam.stats.exploration_tokens).into(),
                        )
                    })
                    .collect();
            m.insert(UNTAGGED.into(), int(f.0.untagged.exploration_tokens).into());
            m
        },
    );
    get(
        engine,
        "exploration_tokens_by_squad",
        |f: &mut FactsRef| -> Map {
            f.0.squads
                .iter()
                .map(|s| (s.id.as_str().into(), int(s.stats.exploration_tokens).into()))
                .collect()
        },
    );
}
