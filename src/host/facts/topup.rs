//! `Topup`: a top-up request in snapshot order, with its status and who approved it.

use rhai::Engine;

use super::getters::{get, int, opt_str};
use crate::host::handles::TopupRef;

pub(super) fn register(engine: &mut Engine) {
    engine.register_type_with_name::<TopupRef>("Topup");
    show!(engine, TopupRef, |t| format!("Topup({})", t.get().id));

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
}
