//! Closing a decision: `d.record(outcome, severity)`, refused when the subject was
//! decided already or the limit is reached, and `d.discard()`.

use std::cell::RefMut;

use rhai::{Dynamic, Engine, EvalAltResult, NativeCallContext, Position};

use super::draft::{
    DecisionLimit, Draft, DraftInner, LinkSite, RhaiResult, Shared, State, at, blank, call_site,
    fail, undeclared,
};
use crate::decision::{Decision, Explanation, Link, Severity};
use crate::host::summary::render_check;

pub(super) fn register(engine: &mut Engine, state: &Shared) {
    let s = state.clone();
    engine.register_fn(
        "record",
        move |ctx: NativeCallContext,
              d: &mut Draft,
              outcome: &str,
              severity: &str|
              -> RhaiResult<()> { record(&ctx, &s, d, outcome, severity) },
    );

    // Dropping a subject is said out loud, so that forgetting one is an error.
    engine.register_fn("discard", |d: &mut Draft| -> RhaiResult<()> {
        let mut draft = d.0.borrow_mut();
        if draft.recorded {
            return fail(format!(
                "the decision for `{}` was already recorded, so it cannot be discarded",
                draft.subject
            ));
        }
        draft.discarded = true;
        Ok(())
    });
}

/// `d.record(outcome, severity)`: checked, then the draft becomes a decision of the
/// running policy, with the call that recorded it.
fn record(
    ctx: &NativeCallContext,
    s: &Shared,
    d: &mut Draft,
    outcome: &str,
    severity: &str,
) -> RhaiResult<()> {
    let Some(severity) = Severity::parse(severity) else {
        return fail(format!(
            "unknown severity `{severity}` (use info, warn or deny)"
        ));
    };
    if blank(outcome) {
        return fail(format!(
            "a decision needs an outcome that is not blank, got `{}`",
            outcome.escape_debug()
        ));
    }
    undeclared(&s.borrow(), outcome)?;
    let mut draft = d.0.borrow_mut();
    let mut state = s.borrow_mut();
    refused(&draft, &state)?;
    let site = call_site(ctx, &state);
    let decided_at = match (site.1.line(), site.1.position()) {
        (Some(line), Some(column)) => Some(crate::decision::Site {
            file: site.0.clone(),
            line,
            column,
        }),
        _ => None,
    };
    state.subjects.insert(draft.subject.clone(), site);
    draft.recorded = true;
    let mut decision = decision(&mut draft, &mut state, outcome, severity);
    decision.site = decided_at;
    state.decisions.push(decision);
    Ok(())
}

/// Why the draft cannot be recorded: closed already, its subject decided already by the
/// running policy, or the policy's decision limit reached.
fn refused(draft: &RefMut<DraftInner>, state: &State) -> RhaiResult<()> {
    if draft.recorded {
        return fail(format!(
            "the decision for `{}` was already recorded",
            draft.subject
        ));
    }
    if draft.discarded {
        return fail(format!(
            "the decision for `{}` was discarded, so it cannot be recorded",
            draft.subject
        ));
    }
    if let Some((file, pos)) = state.subjects.get(&draft.subject) {
        return fail(format!(
            "policy `{}` already recorded a decision for `{}` (first recorded at `{}`)",
            state.policy,
            draft.subject,
            at(file, *pos)
        ));
    }
    if state.decisions.len() >= state.max_decisions {
        return Err(Box::new(EvalAltResult::ErrorRuntime(
            Dynamic::from(DecisionLimit(format!(
                "policy `{}` recorded more than the limit of {} decisions",
                state.policy, state.max_decisions
            ))),
            Position::NONE,
        )));
    }
    Ok(())
}

/// The decision the draft becomes (its site set by the caller); its `because` links are
/// kept in the state, to be checked at the end of the run.
fn decision(
    draft: &mut RefMut<DraftInner>,
    state: &mut RefMut<State>,
    outcome: &str,
    severity: Severity,
) -> Decision {
    let summary = draft.summary.clone().unwrap_or_else(|| {
        let checks: Vec<String> = draft.checks.iter().map(render_check).collect();
        if checks.is_empty() {
            format!("{} → {outcome}", draft.subject)
        } else {
            format!("{} → {outcome}: {}", draft.subject, checks.join(", "))
        }
    });
    let because = std::mem::take(&mut draft.because);
    for (to, (file, pos)) in &because {
        let from = Link {
            policy: state.policy.clone(),
            subject: draft.subject.clone(),
        };
        state.links.push(LinkSite {
            from,
            to: to.clone(),
            file: file.clone(),
            pos: *pos,
        });
    }
    Decision {
        policy: state.policy.clone(),
        subject: draft.subject.clone(),
        outcome: outcome.to_owned(),
        severity,
        values: std::mem::take(&mut draft.values),
        explanation: Explanation {
            summary,
            checks: std::mem::take(&mut draft.checks),
            evidence: draft.evidence.take(),
        },
        because: because.into_keys().collect(),
        exception: None,
        site: None,
    }
}
