//! Opening a decision and adding to it: `decision(subject)`, `d.subject`, `d.value(..)`,
//! `d.evidence(..)`, `d.summary(..)`.

use std::cell::RefCell;
use std::rc::Rc;

use rhai::{Dynamic, Engine, NativeCallContext};

use super::draft::{Draft, DraftInner, RhaiResult, Shared, blank, call_site, fail, still_open};
use crate::host::value::to_json;

pub(super) fn register(engine: &mut Engine, state: &Shared) {
    let s = state.clone();
    engine.register_fn(
        "decision",
        move |ctx: NativeCallContext, subject: &str| -> RhaiResult<Draft> {
            if blank(subject) {
                return fail(format!(
                    "a decision needs a subject that is not blank, got `{}`",
                    subject.escape_debug()
                ));
            }
            let mut state = s.borrow_mut();
            let (opened_in, opened_at) = call_site(&ctx, &state);
            let draft = Draft(Rc::new(RefCell::new(DraftInner {
                subject: subject.to_owned(),
                opened_in,
                opened_at,
                ..DraftInner::default()
            })));
            state.opened.push(draft.clone());
            Ok(draft)
        },
    );
    engine.register_get("subject", |d: &mut Draft| d.0.borrow().subject.clone());

    engine.register_fn(
        "value",
        |ctx: NativeCallContext, d: &mut Draft, name: &str, value: Dynamic| -> RhaiResult<()> {
            still_open(d, "value")?;
            let json = to_json(&value, ctx.engine()).or_else(fail)?;
            d.0.borrow_mut().values.insert(name.to_owned(), json);
            Ok(())
        },
    );

    engine.register_fn(
        "evidence",
        |ctx: NativeCallContext, d: &mut Draft, evidence: Dynamic| -> RhaiResult<()> {
            still_open(d, "evidence")?;
            d.0.borrow_mut().evidence = Some(to_json(&evidence, ctx.engine()).or_else(fail)?);
            Ok(())
        },
    );
    engine.register_fn("summary", |d: &mut Draft, text: &str| -> RhaiResult<()> {
        still_open(d, "summary")?;
        d.0.borrow_mut().summary = Some(text.to_owned());
        Ok(())
    });
}
