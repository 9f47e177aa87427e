//! The small API scripts record decisions through: `decision(subject)`, `d.value(..)`,
//! `d.check(..)`, `d.evidence(..)`, `d.summary(..)`, `d.record(outcome, severity)` or
//! `d.discard()`, and `decisions(policy)` to read what an earlier policy decided.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, Map, NativeCallContext, Position};
use serde_json::Value;

use super::value::{from_json, to_json};
use crate::decision::{Check, Decision, Explanation, Severity};
use crate::money;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

fn fail<T>(message: impl Into<String>) -> RhaiResult<T> {
    Err(Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.into()),
        Position::NONE,
    )))
}

/// What the host tracks while one policy runs.
#[derive(Default)]
pub struct State {
    pub policy: String,
    pub file: String,
    pub reads: Vec<String>,
    /// Subject → the call that recorded it, to refuse a second decision.
    pub subjects: HashMap<String, Position>,
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
}

/// Where a native function was called from: the file within the pack (the policy, or
/// the module the call is in), line and column.
fn call_site(ctx: &NativeCallContext, state: &State) -> (String, Position) {
    let file = match ctx.call_source() {
        Some(source) if !source.is_empty() => source.to_owned(),
        _ => state.file.clone(),
    };
    (file, ctx.call_position())
}

/// `file:line:col`, as the `at` of a check shows it.
fn at(file: &str, pos: Position) -> String {
    match (pos.line(), pos.position()) {
        (Some(line), Some(col)) => format!("{file}:{line}:{col}"),
        (Some(line), None) => format!("{file}:{line}"),
        _ => file.to_owned(),
    }
}

fn as_number(v: &Dynamic) -> Option<f64> {
    v.as_int()
        .map(|i| i as f64)
        .ok()
        .or_else(|| v.as_float().ok())
}

/// Applies a check operator; `None` when the operator is unknown or the types do not compare.
fn compare(
    engine: &Engine,
    actual: &Dynamic,
    op: &str,
    threshold: &Dynamic,
) -> Result<bool, String> {
    if actual.is_unit() {
        // An absent value (e.g. a ratio with no denominator) never satisfies a check.
        return Ok(false);
    }
    match op {
        "in" | "not in" => {
            let Some(list) = threshold.read_lock::<Array>() else {
                return Err(format!("`{op}` needs an array threshold"));
            };
            let found = list.iter().any(|item| equal(engine, actual, item));
            return Ok(found == (op == "in"));
        }
        "==" => return Ok(equal(engine, actual, threshold)),
        "!=" => return Ok(!equal(engine, actual, threshold)),
        _ => {}
    }
    let ordering = if let (Ok(a), Ok(b)) = (actual.as_int(), threshold.as_int()) {
        a.cmp(&b)
    } else if let (Some(a), Some(b)) = (as_number(actual), as_number(threshold)) {
        a.partial_cmp(&b).ok_or("cannot compare NaN")?
    } else {
        return Err(format!(
            "`{op}` compares numbers, not `{}` and `{}`",
            actual.type_name(),
            threshold.type_name()
        ));
    };
    use std::cmp::Ordering::*;
    Ok(match op {
        ">=" => ordering != Less,
        ">" => ordering == Greater,
        "<=" => ordering != Greater,
        "<" => ordering == Less,
        _ => {
            return Err(format!(
                "unknown operator `{op}` (use >=, >, <=, <, ==, !=, in, not in)"
            ))
        }
    })
}

fn equal(engine: &Engine, a: &Dynamic, b: &Dynamic) -> bool {
    if let (Some(x), Some(y)) = (as_number(a), as_number(b)) {
        return x == y;
    }
    match (to_json(a, engine), to_json(b, engine)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The operator as a person reads it, negated when the check failed.
fn symbol(op: &str, pass: bool) -> &str {
    match (op, pass) {
        (">=", true) | ("<", false) => "≥",
        (">=", false) | ("<", true) => "<",
        (">", true) | ("<=", false) => ">",
        (">", false) | ("<=", true) => "≤",
        ("==", true) | ("!=", false) => "=",
        ("==", false) | ("!=", true) => "≠",
        ("in", true) | ("not in", false) => "in",
        ("in", false) | ("not in", true) => "not in",
        (other, _) => other,
    }
}

/// Renders a value for a summary: integers as they are, ratios with two decimals,
/// money in currency units.
pub fn display(value: &Value, unit: Option<&str>) -> String {
    match value {
        Value::Null => "none".to_owned(),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            match unit {
                Some("micros") => money::format_micros(f),
                _ if n.is_i64() || n.is_u64() => n.to_string(),
                // A token cap such as 0.5 × baseline: whole, or with its half.
                Some("tokens") => format!("{f}"),
                _ => format!("{f:.2}"),
            }
        }
        Value::String(s) if s.is_empty() => "\"\"".to_owned(),
        Value::String(s) => format!("`{s}`"),
        // Long lists (allowed reasons) are in the check itself; the sentence stays short.
        Value::Array(items) if items.len() > 3 => format!("the {} listed", items.len()),
        Value::Array(items) => {
            let shown: Vec<String> = items.iter().map(|v| display(v, unit)).collect();
            format!("[{}]", shown.join(", "))
        }
        other => other.to_string(),
    }
}

fn render_check(c: &Check) -> String {
    format!(
        "{} {} {} {}",
        c.label,
        display(&c.actual, c.unit.as_deref()),
        symbol(&c.op, c.pass),
        display(&c.threshold, c.unit.as_deref())
    )
}

/// Registers the decision API on an engine, recording into `state`.
pub fn register(engine: &mut Engine, state: &Shared) {
    engine.register_type_with_name::<Draft>("Decision");

    let s = state.clone();
    engine.register_fn(
        "decision",
        move |ctx: NativeCallContext, subject: &str| -> RhaiResult<Draft> {
            if subject.is_empty() {
                return fail("a decision needs a non-empty subject");
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
        if threshold.is_unit() {
            return fail(format!("check `{label}` has no threshold"));
        }
        let pass = compare(ctx.engine(), &actual, op, &threshold).or_else(fail)?;
        let (file, pos) = call_site(&ctx, &s.borrow());
        d.0.borrow_mut().checks.push(Check {
            label: label.to_owned(),
            actual: to_json(&actual, ctx.engine()).or_else(fail)?,
            op: op.to_owned(),
            threshold: to_json(&threshold, ctx.engine()).or_else(fail)?,
            pass,
            at: at(&file, pos),
            file,
            line: pos.line(),
            column: pos.position(),
            unit: unit.map(str::to_owned),
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
            d.0.borrow_mut().evidence = Some(to_json(&evidence, ctx.engine()).or_else(fail)?);
            Ok(())
        },
    );
    engine.register_fn("summary", |d: &mut Draft, text: &str| {
        d.0.borrow_mut().summary = Some(text.to_owned());
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
            if outcome.is_empty() {
                return fail("a decision needs a non-empty outcome");
            }
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
            if let Some(first) = state.subjects.get(&draft.subject) {
                return fail(format!(
                    "policy `{}` already recorded a decision for `{}` (at line {})",
                    state.policy,
                    draft.subject,
                    first.line().unwrap_or(0)
                ));
            }
            state
                .subjects
                .insert(draft.subject.clone(), ctx.call_position());
            draft.recorded = true;
            let summary = draft.summary.clone().unwrap_or_else(|| {
                let checks: Vec<String> = draft.checks.iter().map(render_check).collect();
                if checks.is_empty() {
                    format!("{} → {outcome}", draft.subject)
                } else {
                    format!("{} → {outcome}: {}", draft.subject, checks.join(", "))
                }
            });
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
