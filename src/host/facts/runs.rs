//! `Runs` and `Run`: the raw runs on demand, for custom policies (indexed and iterated
//! without copying them into a script array).

use rhai::{Dynamic, Engine};

use super::getters::{get, int};
use crate::host::handles::{RunRef, Runs};

pub(super) fn register(engine: &mut Engine) {
    engine.register_type_with_name::<Runs>("Runs");
    show!(engine, Runs, |r| format!(
        "Runs({})",
        crate::text::count(r.0.snapshot.runs.len(), "run")
    ));
    engine.register_type_with_name::<RunRef>("Run");
    show!(engine, RunRef, |r| format!("Run({})", r.get().id()));

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
}
