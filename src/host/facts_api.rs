//! The read-only view of the facts that scripts get as `facts`: aggregates as opaque
//! handles (cheap to copy, invisible to Rhai's container-size checks), raw records on demand.

use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, Map};

use super::fields::{registered, Scripted};
use crate::facts::{Facts, FamilyFacts, SquadFacts, Stats, VariantFacts};
use crate::snapshot::runs::RunView;
use crate::snapshot::{CatalogEntry, Topup};

/// Untagged runs' row in by-family tables.
pub const UNTAGGED: &str = "(untagged)";

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

#[derive(Clone)]
pub struct FactsRef(pub Arc<Facts>);

/// Registers a getter named in the fields table (`host/fields.rs`), so the table, `check`
/// and the guide cannot drift from what scripts read.
macro_rules! field {
    ($engine:ident, $name:literal, |$x:ident: &mut $ty:ty| $($body:tt)*) => {{
        registered::<$ty>($name);
        $engine.register_get($name, |$x: &mut $ty| $($body)*);
    }};
}

macro_rules! scripted {
    ($($ty:ty => $name:literal),*) => {
        $(impl Scripted for $ty {
            const TYPE: &'static str = $name;
        })*
    };
}

scripted!(FactsRef => "Facts", VariantRef => "Variant", SquadRef => "Squad",
    FamilyRef => "Family", TopupRef => "Topup", CatalogRef => "CatalogEntry",
    RunRef => "Run", Runs => "Runs");

macro_rules! handle {
    ($name:ident, $target:ty, |$f:ident, $i:ident| $get:expr) => {
        #[derive(Clone)]
        pub struct $name(Arc<Facts>, usize);
        impl $name {
            fn get(&self) -> &$target {
                let ($f, $i) = (&*self.0, self.1);
                $get
            }
        }
    };
}

handle!(VariantRef, VariantFacts, |f, i| &f.variants[i]);
handle!(SquadRef, SquadFacts, |f, i| &f.squads[i]);
handle!(FamilyRef, FamilyFacts, |f, i| f
    .families
    .values()
    .nth(i)
    .expect("index in range"));
handle!(TopupRef, Topup, |f, i| &f.snapshot.topups[i]);
handle!(CatalogRef, CatalogEntry, |f, i| &f.snapshot.catalog[i]);

/// One raw run, read from the columns on demand.
#[derive(Clone)]
pub struct RunRef(Arc<Facts>, usize);

impl RunRef {
    fn get(&self) -> RunView<'_> {
        self.0.snapshot.runs.get(self.1)
    }
}

/// The raw runs, indexable and iterable without copying them into the script.
#[derive(Clone)]
pub struct Runs(Arc<Facts>);

/// Registers the counters every aggregate shares, read through `stats_of`.
macro_rules! stats_getters {
    ($engine:ident, $ty:ty, |$x:ident| $stats:expr) => {{
        field!($engine, "uses", |$x: &mut $ty| int($stats.uses));
        field!($engine, "successes", |$x: &mut $ty| int($stats.successes));
        field!($engine, "failures", |$x: &mut $ty| int($stats.failures));
        field!($engine, "abandoned", |$x: &mut $ty| int($stats.abandoned));
        field!($engine, "tokens", |$x: &mut $ty| int($stats.tokens()));
        field!($engine, "input_tokens", |$x: &mut $ty| int(
            $stats.input_tokens
        ));
        field!($engine, "output_tokens", |$x: &mut $ty| int(
            $stats.output_tokens
        ));
        field!($engine, "exploration_tokens", |$x: &mut $ty| {
            int($stats.exploration_tokens)
        });
        field!($engine, "central_tokens", |$x: &mut $ty| int(
            $stats.central_tokens
        ));
        field!($engine, "cost_micros", |$x: &mut $ty| $stats.cost_micros);
        field!($engine, "success_rate", |$x: &mut $ty| {
            opt_float($stats.success_rate())
        });
        field!($engine, "cost_per_success", |$x: &mut $ty| {
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
    field!(engine, "sprint", |f: &mut FactsRef| {
        let s = &f.0.snapshot.sprint;
        let mut m = Map::new();
        m.insert("id".into(), s.id.clone().into());
        m.insert("start".into(), s.start.clone().into());
        m.insert("end".into(), s.end.clone().into());
        m
    });
    field!(engine, "org", |f: &mut FactsRef| opt_str(
        f.0.snapshot.org.as_ref()
    ));
    field!(engine, "currency", |f: &mut FactsRef| f
        .0
        .snapshot
        .currency
        .clone());
    field!(engine, "central_tokens", |f: &mut FactsRef| {
        int(f.0.snapshot.budgets.central_tokens)
    });
    field!(engine, "variants", |f: &mut FactsRef| -> Array {
        (0..f.0.variants.len())
            .map(|i| Dynamic::from(VariantRef(f.0.clone(), i)))
            .collect()
    });
    field!(engine, "squads", |f: &mut FactsRef| -> Array {
        (0..f.0.squads.len())
            .map(|i| Dynamic::from(SquadRef(f.0.clone(), i)))
            .collect()
    });
    field!(engine, "families", |f: &mut FactsRef| -> Array {
        (0..f.0.families.len())
            .map(|i| Dynamic::from(FamilyRef(f.0.clone(), i)))
            .collect()
    });
    field!(engine, "topups", |f: &mut FactsRef| -> Array {
        (0..f.0.snapshot.topups.len())
            .map(|i| Dynamic::from(TopupRef(f.0.clone(), i)))
            .collect()
    });
    field!(engine, "catalog", |f: &mut FactsRef| -> Array {
        (0..f.0.snapshot.catalog.len())
            .map(|i| Dynamic::from(CatalogRef(f.0.clone(), i)))
            .collect()
    });
    field!(engine, "runs", |f: &mut FactsRef| Runs(f.0.clone()));
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
    field!(engine, "untagged", |f: &mut FactsRef| {
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
    field!(
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
        }
    );
    field!(
        engine,
        "exploration_tokens_by_squad",
        |f: &mut FactsRef| -> Map {
            f.0.squads
                .iter()
                .map(|s| (s.id.as_str().into(), int(s.stats.exploration_tokens).into()))
                .collect()
        }
    );

    // Variant keys seen in tagged runs.
    field!(engine, "key", |v: &mut VariantRef| v.get().key.clone());
    field!(engine, "workflow", |v: &mut VariantRef| v
        .get()
        .workflow
        .clone());
    field!(engine, "variant", |v: &mut VariantRef| v
        .get()
        .variant
        .clone());
    field!(engine, "in_catalog", |v: &mut VariantRef| {
        v.get().catalog_status.is_some()
    });
    field!(engine, "catalog_status", |v: &mut VariantRef| {
        v.get()
            .catalog_status
            .map_or(Dynamic::UNIT, |s| s.as_str().into())
    });
    field!(engine, "origin_squad", |v: &mut VariantRef| {
        v.get()
            .first
            .as_ref()
            .map_or(Dynamic::UNIT, |r| r.squad.clone().into())
    });
    field!(engine, "squad_uses", |v: &mut VariantRef| -> Map {
        v.get()
            .squad_uses
            .iter()
            .map(|(s, n)| (s.as_str().into(), int(*n).into()))
            .collect()
    });
    field!(engine, "evidence", |v: &mut VariantRef| {
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
    field!(engine, "id", |s: &mut SquadRef| s.get().id.clone());
    field!(engine, "name", |s: &mut SquadRef| opt_str(
        s.get().name.as_ref()
    ));
    field!(engine, "headcount", |s: &mut SquadRef| int(s
        .get()
        .headcount));
    field!(engine, "tags", |s: &mut SquadRef| strings(
        s.get().tags.iter()
    ));
    field!(engine, "has_budget", |s: &mut SquadRef| {
        s.get().baseline_tokens.is_some()
    });
    field!(engine, "baseline_tokens", |s: &mut SquadRef| {
        int(s.get().baseline_tokens.unwrap_or(0))
    });
    field!(engine, "granted_topup_tokens", |s: &mut SquadRef| {
        int(s.get().granted_topup_tokens)
    });
    field!(engine, "requested_topup_tokens", |s: &mut SquadRef| {
        int(s.get().requested_topup_tokens)
    });
    field!(engine, "untagged_exploration_tokens", |s: &mut SquadRef| {
        int(s.get().untagged.exploration_tokens)
    });
    stats_getters!(engine, SquadRef, |s| s.get().stats);

    // Workflow families.
    field!(engine, "name", |f: &mut FamilyRef| f.get().name.clone());
    field!(engine, "variants", |f: &mut FamilyRef| {
        strings(f.get().variants.iter())
    });
    field!(engine, "standard_uses", |f: &mut FamilyRef| {
        int(f.get().standard.uses)
    });
    field!(engine, "standard_successes", |f: &mut FamilyRef| {
        int(f.get().standard.successes)
    });
    field!(engine, "standard_cost_micros", |f: &mut FamilyRef| {
        f.get().standard.cost_micros
    });
    field!(engine, "standard_cost_per_success", |f: &mut FamilyRef| {
        opt_float(f.get().standard.cost_per_success())
    });
    stats_getters!(engine, FamilyRef, |f| f.get().stats);

    // Top-ups, in snapshot order.
    field!(engine, "id", |t: &mut TopupRef| t.get().id.clone());
    field!(engine, "squad", |t: &mut TopupRef| t.get().squad.clone());
    field!(engine, "tokens", |t: &mut TopupRef| int(t.get().tokens));
    field!(engine, "status", |t: &mut TopupRef| {
        t.get().status.as_str().to_owned()
    });
    field!(engine, "reason", |t: &mut TopupRef| {
        opt_str(t.get().reason.as_ref())
    });
    field!(engine, "justification", |t: &mut TopupRef| {
        opt_str(t.get().justification.as_ref())
    });
    field!(engine, "approved_by", |t: &mut TopupRef| {
        opt_str(t.get().approved_by.as_ref())
    });

    // Catalog entries, with the stats of their runs in this snapshot.
    field!(engine, "workflow", |c: &mut CatalogRef| c
        .get()
        .workflow
        .clone());
    field!(engine, "variant", |c: &mut CatalogRef| c
        .get()
        .variant
        .clone());
    field!(engine, "key", |c: &mut CatalogRef| c.get().key());
    field!(engine, "status", |c: &mut CatalogRef| {
        c.get().status.as_str().to_owned()
    });
    field!(engine, "origin_squad", |c: &mut CatalogRef| {
        opt_str(c.get().origin_squad.as_ref())
    });
    field!(engine, "promoted_in", |c: &mut CatalogRef| {
        opt_str(c.get().promoted_in.as_ref())
    });
    stats_getters!(engine, CatalogRef, |c| catalog_stats(c));

    // Raw runs, for custom policies.
    field!(engine, "len", |r: &mut Runs| int(
        r.0.snapshot.runs.len() as u64
    ));
    engine.register_fn("len", |r: &mut Runs| int(r.0.snapshot.runs.len() as u64));
    engine.register_indexer_get(|r: &mut Runs, i: i64| {
        usize::try_from(i)
            .ok()
            .filter(|&i| i < r.0.snapshot.runs.len())
            .map_or(Dynamic::UNIT, |i| Dynamic::from(RunRef(r.0.clone(), i)))
    });
    engine.register_iterator::<Runs>();
    field!(engine, "id", |r: &mut RunRef| r.get().id().to_owned());
    field!(engine, "squad", |r: &mut RunRef| r.get().squad().to_owned());
    field!(engine, "workflow", |r: &mut RunRef| {
        r.get().tag().map_or(Dynamic::UNIT, |(w, _)| w.into())
    });
    field!(engine, "variant", |r: &mut RunRef| {
        r.get().tag().map_or(Dynamic::UNIT, |(_, v)| v.into())
    });
    field!(engine, "key", |r: &mut RunRef| {
        r.get().key().map_or(Dynamic::UNIT, Dynamic::from)
    });
    field!(engine, "pool", |r: &mut RunRef| r
        .get()
        .pool()
        .as_str()
        .to_owned());
    field!(engine, "outcome", |r: &mut RunRef| {
        r.get().outcome().as_str().to_owned()
    });
    field!(engine, "input_tokens", |r: &mut RunRef| int(r
        .get()
        .input_tokens()));
    field!(engine, "output_tokens", |r: &mut RunRef| {
        int(r.get().output_tokens())
    });
    field!(engine, "tokens", |r: &mut RunRef| int(r.get().tokens()));
    field!(engine, "cost_micros", |r: &mut RunRef| r
        .get()
        .cost_micros());
    // Kept as an instant: shown in UTC whatever offset the snapshot wrote.
    field!(engine, "started_at", |r: &mut RunRef| {
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

/// An iterator over all runs, yielding handles.
impl IntoIterator for Runs {
    type Item = RunRef;
    type IntoIter = Box<dyn Iterator<Item = RunRef>>;

    fn into_iter(self) -> Self::IntoIter {
        let n = self.0.snapshot.runs.len();
        let facts = self.0;
        Box::new((0..n).map(move |i| RunRef(facts.clone(), i)))
    }
}
