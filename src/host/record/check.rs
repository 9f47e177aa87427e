//! `d.check(label, actual, op, threshold[, unit])`: a comparison recorded on the decision
//! with the call that made it, and counted by call site for coverage.

use rhai::{Dynamic, Engine, NativeCallContext};

use super::draft::{Draft, RhaiResult, Shared, at, call_site, fail, still_open};
use crate::decision::Check;
use crate::host::operators::{self, compare};
use crate::host::value::to_json;
use crate::operator::Unit;

pub(super) fn register(engine: &mut Engine, state: &Shared) {
    let s = state.clone();
    let check = move |ctx: NativeCallContext,
                      d: &mut Draft,
                      label: &str,
                      actual: Dynamic,
                      op: &str,
                      threshold: Dynamic,
                      unit: Option<&str>|
          -> RhaiResult<bool> {
        still_open(d, "check")?;
        if threshold.is_unit() {
            return fail(format!("check `{label}` has no threshold"));
        }
        // The operator is checked first: a typo must not hide behind an absent value.
        let op = operators::parse(op).or_else(fail)?;
        let pass = compare(ctx.engine(), &actual, op, &threshold).or_else(fail)?;
        let (file, pos) = call_site(&ctx, &s.borrow());
        if let Some(counts) = s.borrow_mut().check_counts.as_mut() {
            let site = (
                file.clone(),
                pos.line().unwrap_or(0),
                pos.position().unwrap_or(0),
            );
            counts.entry(site).or_default()[usize::from(!pass)] += 1;
        }
        d.0.borrow_mut().checks.push(Check {
            label: label.to_owned(),
            actual: to_json(&actual, ctx.engine()).or_else(fail)?,
            op,
            threshold: to_json(&threshold, ctx.engine()).or_else(fail)?,
            pass,
            at: at(&file, pos),
            file,
            line: pos.line(),
            column: pos.position(),
            unit: unit.map(Unit::parse),
        });
        Ok(pass)
    };
    let check4 = check.clone();
    engine.register_fn(
        "check",
        move |ctx: NativeCallContext,
              d: &mut Draft,
              label: &str,
              actual: Dynamic,
              op: &str,
              threshold: Dynamic| { check4(ctx, d, label, actual, op, threshold, None) },
    );
    engine.register_fn(
        "check",
        move |ctx: NativeCallContext,
              d: &mut Draft,
              label: &str,
              actual: Dynamic,
              op: &str,
              threshold: Dynamic,
              unit: &str| { check(ctx, d, label, actual, op, threshold, Some(unit)) },
    );
}
