//! The small API scripts record decisions through: `decision(subject)`, `d.value(..)`,
//! `d.check(..)`, `d.evidence(..)`, `d.summary(..)`, `d.record(outcome, severity)` or
//! `d.discard()`, and `decisions(policy)` to read what an earlier policy decided.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, Map, NativeCallContext, Position};
use serde_json::Value;

use super::operators::{self, compare};
use super::summary::render_check;
use super::value::{from_json, to_json};
use crate::decision::{Check, Decision, Explanation, Link, Severity};
use crate::money;
use crate::operator::Unit;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

pub(super) fn fail<T>(message: impl Into<String>) -> RhaiResult<T> {
    Err(Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.into()),
        Position::NONE,
    )))
}

/// The decision limit reached: thrown as its own type so the error's translation can
/// hint at the flag, as it does for the engine's own limits.
#[derive(Debug, Clone)]
pub(super) struct DecisionLimit(pub String);

/// What the host tracks while one policy runs.
#[derive(Default)]
pub struct State {
    pub policy: String,
    pub file: String,
    pub reads: Vec<String>,
    /// The outcome labels the running policy declares (`const OUTCOMES`), if it does.
    pub outcomes: Option<Vec<String>>,
    /// Subject → the call that recorded it, to refuse a second decision.
    pub subjects: HashMap<String, (String, Position)>,
    pub decisions: Vec<Decision>,
    /// Every decision the running policy opened, in order: each must end recorded or
    /// discarded, or the subject would vanish from the document unnoticed.
    pub opened: Vec<Draft>,
    /// Decisions of the policies evaluated so far, by policy name.
    pub done: BTreeMap<String, Rc<Vec<Decision>>>,
    pub log: Vec<String>,
    pub log_dropped: usize,
    /// The last lines the running policy printed, shown if it fails.
    pub recent: VecDeque<String>,
    /// Lines the running policy printed so far.
    pub printed: usize,
    /// Most decisions one policy may record (`Limits::max_decisions`).
    pub max_decisions: usize,
    /// Checks passed and failed by call site, kept only by a coverage host.
    pub check_counts: Option<super::coverage::CheckCounts>,
    /// Every `d.because(..)` of the recorded decisions, across the run: checked at its end.
    pub links: Vec<LinkSite>,
}

/// One `d.because(..)` of a recorded decision, with the call that made it.
#[derive(Debug, Clone)]
pub struct LinkSite {
    pub from: Link,
    pub to: Link,
    pub file: String,
    pub pos: Position,
}

/// Most `print`/`debug` lines kept per policy; the rest are counted.
pub const MAX_LOG_LINES: usize = 200;

/// `print`/`debug` lines shown with the error when a policy fails.
pub const RECENT_LOG_LINES: usize = 10;

pub type Shared = Rc<RefCell<State>>;

#[derive(Debug, Default)]
struct DraftInner {
    subject: String,
    values: BTreeMap<String, Value>,
    checks: Vec<Check>,
    evidence: Option<Value>,
    summary: Option<String>,
    /// `d.because(..)` links, each with the first call that made it.
    because: BTreeMap<Link, (String, Position)>,
    recorded: bool,
    discarded: bool,
    /// Where `decision(subject)` was called: file within the pack, and position.
    opened_in: String,
    opened_at: Position,
}

/// A decision being built; copies share it, so helper functions can add checks.
#[derive(Debug, Clone)]
pub struct Draft(Rc<RefCell<DraftInner>>);

impl Draft {
    /// Neither recorded nor discarded: the subject it opened would vanish.
    pub fn is_open(&self) -> bool {
        let d = self.0.borrow();
        !d.recorded && !d.discarded
    }

    pub fn subject(&self) -> String {
        self.0.borrow().subject.clone()
    }

    /// Where the decision was opened: file within the pack, and position.
    pub fn opened(&self) -> (String, Position) {
        let d = self.0.borrow();
        (d.opened_in.clone(), d.opened_at)
    }

    /// Records that the decision drew on `to`, called at `site`; refused once it is closed.
    pub fn link(&self, to: Link, site: (String, Position)) -> RhaiResult<()> {
        still_open(self, "because")?;
        self.0.borrow_mut().because.entry(to).or_insert(site);
        Ok(())
    }
}

/// Where a native function was called from: the file within the pack (the policy, or
/// the module the call is in), line and column.
pub(super) fn call_site(ctx: &NativeCallContext, state: &State) -> (String, Position) {
    let file = match ctx.call_source() {
        Some(source) if !source.is_empty() => source.to_owned(),
        _ => state.file.clone(),
    };
    (file, ctx.call_position())
}

/// Whether `text` says nothing: empty or only White_Space (Rust's `trim` is Unicode's
/// White_Space), so a subject or outcome never looks blank in a table or a report.
fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Refuses `d.<what>(..)` on a decision already recorded or discarded: what it adds
/// would reach no document, and the author believes it did.
fn still_open(d: &Draft, what: &str) -> RhaiResult<()> {
    let d = d.0.borrow();
    if d.recorded {
        return fail(format!(
            "the decision for `{}` was already recorded, so `{what}` would be lost (call it before `record`)",
            d.subject
        ));
    }
    if d.discarded {
        return fail(format!(
            "the decision for `{}` was discarded, so `{what}` would be lost",
            d.subject
        ));
    }
    Ok(())
}

/// `file:line:col`, as the `at` of a check shows it.
fn at(file: &str, pos: Position) -> String {
    match (pos.line(), pos.position()) {
        (Some(line), Some(col)) => format!("{file}:{line}:{col}"),
        (Some(line), None) => format!("{file}:{line}"),
        _ => file.to_owned(),
    }
}

/// Refuses an outcome the policy does not declare in `OUTCOMES`, when it declares them:
/// coverage counts the declared ones, so a stray label would go uncounted.
fn undeclared(state: &State, outcome: &str) -> RhaiResult<()> {
    match &state.outcomes {
        Some(declared) if !declared.iter().any(|d| d == outcome) => {
            let names: Vec<String> = declared.iter().map(|d| format!("`{d}`")).collect();
            fail(format!(
                "outcome `{outcome}` is not declared in `OUTCOMES` of policy `{}` (it declares {})",
                state.policy,
                names.join(", ")
            ))
        }
        _ => Ok(()),
    }
}

/// Registers the decision API on an engine, recording into `state`.
pub fn register(engine: &mut Engine, state: &Shared) {
    engine.register_type_with_name::<Draft>("Decision");

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

    let s = state.clone();
    engine.register_fn(
        "record",
        move |ctx: NativeCallContext,
              d: &mut Draft,
              outcome: &str,
              severity: &str|
              -> RhaiResult<()> {
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
            let mut state = s.borrow_mut();
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
            let site = call_site(&ctx, &state);
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
            let decision = Decision {
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
                site: decided_at,
            };
            state.decisions.push(decision);
            Ok(())
        },
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

    let s = state.clone();
    engine.register_fn("decisions", move |policy: &str| -> RhaiResult<Array> {
        let state = s.borrow();
        if !state.reads.iter().any(|r| r == policy) {
            return fail(format!(
                "policy `{}` reads the decisions of `{policy}` but does not list it in `READS`",
                state.policy
            ));
        }
        let Some(done) = state.done.get(policy) else {
            return fail(format!("no decisions of policy `{policy}` are available"));
        };
        Ok(done.iter().map(decision_to_dynamic).collect())
    });

    engine.register_fn("fmt", |x: f64, decimals: i64| {
        format!("{x:.*}", decimals.clamp(0, 12) as usize)
    });
    engine.register_fn("fmt", |x: i64, _decimals: i64| x.to_string());
    engine.register_fn("fmt_money", |micros: f64| money::format_micros(micros));
    engine.register_fn("fmt_money", |micros: i64| {
        money::format_micros(micros as f64)
    });
}

fn decision_to_dynamic(d: &Decision) -> Dynamic {
    let mut map = Map::new();
    map.insert("policy".into(), d.policy.clone().into());
    map.insert("subject".into(), d.subject.clone().into());
    map.insert("outcome".into(), d.outcome.clone().into());
    map.insert("severity".into(), d.severity.as_str().into());
    let values: Map = d
        .values
        .iter()
        .map(|(k, v)| (k.as_str().into(), from_json(v)))
        .collect();
    map.insert("values".into(), Dynamic::from_map(values));
    Dynamic::from_map(map)
}
