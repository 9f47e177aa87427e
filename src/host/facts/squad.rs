//! `Squad`: a squad in snapshot order, with its budget, top-ups and counters.

use rhai::Engine;

use super::getters::{get, int, opt_str, strings};
use crate::host::handles::SquadRef;

pub(super) fn register(engine: &mut Engine) {
    engine.register_type_with_name::<SquadRef>("Squad");
    show!(engine, SquadRef, |s| format!("Squad({})", s.get().id));

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
}
