//! The read-only view of the facts that scripts get as `facts`: aggregates as opaque
//! handles (cheap to copy, invisible to Rhai's container-size checks), raw records on demand.

use rhai::{Array, Dynamic, Engine, Map, Variant};

use super::fields::{registered, Scripted};
pub use super::handles::FactsRef;
use super::handles::{CatalogRef, FamilyRef, RunRef, Runs, SquadRef, TopupRef, VariantRef};
use crate::facts::Stats;

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

/// Registers the counters every aggregate shares, read through `stats_of`.
macro_rules! stats_getters {
    ($engine:ident, $ty:ty, |$x:ident| $stats:expr) => {{
        get($engine, "uses", |$x: &mut $ty| int($stats.uses));
        get($engine, "successes", |$x: &mut $ty| int($stats.successes));
        get($engine, "failures", |$x: &mut $ty| int($stats.failures));
        get($engine, "abandoned", |$x: &mut $ty| int($stats.abandoned));
        get($engine, "tokens", |$x: &mut $ty| int($stats.tokens()));
        get($engine, "input_tokens", |$x: &mut $ty| {
            int($stats.input_tokens)
        });
        get($engine, "output_tokens", |$x: &mut $ty| {
            int($stats.output_tokens)
        });
        get($engine, "exploration_tokens", |$x: &mut $ty| {
            int($stats.exploration_tokens)
        });
        get($engine, "central_tokens", |$x: &mut $ty| {
            int($stats.central_tokens)
        });
        get($engine, "cost_micros", |$x: &mut $ty| $stats.cost_micros);
        get($engine, "success_rate", |$x: &mut $ty| {
            opt_float($stats.success_rate())
        });
        get($engine, "cost_per_success", |$x: &mut $ty| {
            opt_float($stats.cost_per_success())
        });
    }};
}

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

pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<FactsRef>("Facts")
        .register_type_with_name::<VariantRef>("Variant")
        .register_type_with_name::<SquadRef>("Squad")
        .register_type_with_name::<FamilyRef>("Family")
        .register_type_with_name::<TopupRef>("Topup")
        .register_type_with_name::<CatalogRef>("CatalogEntry")
        .register_type_with_name::<RunRef>("Run")
        .register_type_with_name::<Runs>("Runs");

    // `print(v)` and string interpolation show what a handle is, not a Rust type path.
    macro_rules! show {
        ($ty:ty, |$x:ident| $text:expr) => {{
            engine.register_fn("to_string", |$x: &mut $ty| -> String { $text });
            engine.register_fn("to_debug", |$x: &mut $ty| -> String { $text });
        }};
    }
    show!(FactsRef, |f| format!(
        "Facts(sprint {})",
        f.0.snapshot.sprint.id
    ));
    show!(VariantRef, |v| format!("Variant({})", v.get().key));
    show!(SquadRef, |s| format!("Squad({})", s.get().id));
    show!(FamilyRef, |f| format!("Family({})", f.get().name));
    show!(TopupRef, |t| format!("Topup({})", t.get().id));
    show!(CatalogRef, |c| format!("CatalogEntry({})", c.get().key()));
    show!(RunRef, |r| format!("Run({})", r.get().id()));
    show!(Runs, |r| format!(
        "Runs({})",
        crate::text::count(r.0.snapshot.runs.len(), "run")
    ));

    // The snapshot as a whole.
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

    // Variant keys seen in tagged runs.
    get(engine, "key", |v: &mut VariantRef| v.get().key.clone());
    get(engine, "workflow", |v: &mut VariantRef| {
        v.get().workflow.clone()
    });
    get(engine, "variant", |v: &mut VariantRef| {
        v.get().variant.clone()
    });
    get(engine, "in_catalog", |v: &mut VariantRef| {
        v.get().catalog_status.is_some()
    });
    get(engine, "catalog_status", |v: &mut VariantRef| {
        v.get()
            .catalog_status
            .map_or(Dynamic::UNIT, |s| s.as_str().into())
    });
    get(engine, "origin_squad", |v: &mut VariantRef| {
        v.get()
            .first
            .as_ref()
            .map_or(Dynamic::UNIT, |r| r.squad.clone().into())
    });
    get(engine, "squad_uses", |v: &mut VariantRef| -> Map {
        v.get()
            .squad_uses
            .iter()
            .map(|(s, n)| (s.as_str().into(), int(*n).into()))
            .collect()
    });
    get(engine, "evidence", |v: &mut VariantRef| {
        let v = v.get();
        let mut m = Map::new();
        m.insert("runs".into(), int(v.stats.uses).into());
        let id = |r: &Option<crate::facts::RunRef>| {
            r.as_ref().map_or(Dynamic::UNIT, |r| r.id.clone().into())
        };
        m.insert("first_run_id".into(), id(&v.first));
        m.insert("last_run_id".into(), id(&v.last));
        if v.grouped_runs > 0 {
            m.insert("grouped_runs".into(), int(v.grouped_runs).into());
        }
        m
    });
    stats_getters!(engine, VariantRef, |v| v.get().stats);

    // Squads, in snapshot order.
    get(engine, "id", |s: &mut SquadRef| s.get().id.clone());
    get(engine, "name", |s: &mut SquadRef| {
        opt_str(s.get().name.as_ref())
    });
    get(engine, "headcount", |s: &mut SquadRef| {
        int(s.get().headcount)
    });
    get(engine, "tags", |s: &mut SquadRef| {
        strings(s.get().tags.iter())
    });
    get(engine, "has_budget", |s: &mut SquadRef| {
        s.get().baseline_tokens.is_some()
    });
    get(engine, "baseline_tokens", |s: &mut SquadRef| {
        int(s.get().baseline_tokens.unwrap_or(0))
    });
    get(engine, "granted_topup_tokens", |s: &mut SquadRef| {
        int(s.get().granted_topup_tokens)
    });
    get(engine, "requested_topup_tokens", |s: &mut SquadRef| {
        int(s.get().requested_topup_tokens)
    });
    get(engine, "untagged_exploration_tokens", |s: &mut SquadRef| {
        int(s.get().untagged.exploration_tokens)
    });
    stats_getters!(engine, SquadRef, |s| s.get().stats);

    // Workflow families.
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

    // Top-ups, in snapshot order.
    get(engine, "id", |t: &mut TopupRef| t.get().id.clone());
    get(engine, "squad", |t: &mut TopupRef| t.get().squad.clone());
    get(engine, "tokens", |t: &mut TopupRef| int(t.get().tokens));
    get(engine, "status", |t: &mut TopupRef| {
        t.get().status.as_str().to_owned()
    });
    get(engine, "reason", |t: &mut TopupRef| {
        opt_str(t.get().reason.as_ref())
    });
    get(engine, "justification", |t: &mut TopupRef| {
        opt_str(t.get().justification.as_ref())
    });
    get(engine, "approved_by", |t: &mut TopupRef| {
        opt_str(t.get().approved_by.as_ref())
    });

    // Catalog entries, with the stats of their runs in this snapshot.
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

    // Raw runs, for custom policies.
    get(engine, "len", |r: &mut Runs| {
        int(r.0.snapshot.runs.len() as u64)
    });
    engine.register_fn("len", |r: &mut Runs| int(r.0.snapshot.runs.len() as u64));
    engine.register_indexer_get(|r: &mut Runs, i: i64| {
        usize::try_from(i)
            .ok()
            .filter(|&i| i < r.0.snapshot.runs.len())
            .map_or(Dynamic::UNIT, |i| Dynamic::from(RunRef(r.0.clone(), i)))
    });
    engine.register_iterator::<Runs>();
    get(engine, "id", |r: &mut RunRef| r.get().id().to_owned());
    get(engine, "squad", |r: &mut RunRef| r.get().squad().to_owned());
    get(engine, "workflow", |r: &mut RunRef| {
        r.get().tag().map_or(Dynamic::UNIT, |(w, _)| w.into())
    });
    get(engine, "variant", |r: &mut RunRef| {
        r.get().tag().map_or(Dynamic::UNIT, |(_, v)| v.into())
    });
    get(engine, "key", |r: &mut RunRef| {
        r.get().key().map_or(Dynamic::UNIT, Dynamic::from)
    });
    get(engine, "pool", |r: &mut RunRef| {
        r.get().pool().as_str().to_owned()
    });
    get(engine, "outcome", |r: &mut RunRef| {
        r.get().outcome().as_str().to_owned()
    });
    get(engine, "input_tokens", |r: &mut RunRef| {
        int(r.get().input_tokens())
    });
    get(engine, "output_tokens", |r: &mut RunRef| {
        int(r.get().output_tokens())
    });
    get(engine, "tokens", |r: &mut RunRef| int(r.get().tokens()));
    get(engine, "cost_micros", |r: &mut RunRef| {
        r.get().cost_micros()
    });
    // Kept as an instant: shown in UTC whatever offset the snapshot wrote.
    get(engine, "started_at", |r: &mut RunRef| {
        crate::instant::format_utc(r.get().started())
    });

    // Exact integer helpers the default pack needs.
    engine.register_fn(
        "gini",
        |values: Array| -> Result<f64, Box<rhai::EvalAltResult>> {
            let ints: Option<Vec<u64>> = values
                .iter()
                .map(|v| v.as_int().ok().and_then(|i| u64::try_from(i).ok()))
                .collect();
            ints.map(|xs| crate::facts::gini(&xs))
                .ok_or_else(|| "`gini` takes an array of non-negative integers".into())
        },
    );
}
