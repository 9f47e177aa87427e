//! `Variant`: a workflow variant seen in tagged runs, with its catalog status, where it
//! came from, who used it and its counters.

use rhai::{Dynamic, Engine, Map};

use super::getters::{get, int};
use crate::host::handles::VariantRef;

pub(super) fn register(engine: &mut Engine) {
    engine.register_type_with_name::<VariantRef>("Variant");
    show!(engine, VariantRef, |v| format!("Variant({})", v.get().key));

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
}
