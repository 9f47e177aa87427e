//! What the decision API keeps while a policy runs: the run's state, the decisions being
//! built (drafts), and the checks every step of the API shares.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::rc::Rc;

use rhai::{Dynamic, EvalAltResult, NativeCallContext, Position};
use serde_json::Value;

use crate::decision::{Check, Decision, Link};

pub(super) type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

pub(in crate::host) fn fail<T>(message: impl Into<String>) -> RhaiResult<T> {
    Err(Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.into()),
        Position::NONE,
    )))
}

/// The decision limit reached: thrown as its own type so the error's translation can
/// hint at the flag, as it does for the engine's own limits.
#[derive(Debug, Clone)]
pub(in crate::host) struct DecisionLimit(pub String);

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
    pub check_counts: Option<crate::host::coverage::CheckCounts>,
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
pub(super) struct DraftInner {
    pub(super) subject: String,
    pub(super) values: BTreeMap<String, Value>,
    pub(super) checks: Vec<Check>,
    pub(super) evidence: Option<Value>,
    pub(super) summary: Option<String>,
    /// `d.because(..)` links, each with the first call that made it.
    pub(super) because: BTreeMap<Link, (String, Position)>,
    pub(super) recorded: bool,
    pub(super) discarded: bool,
    /// Where `decision(subject)` was called: file within the pack, and position.
    pub(super) opened_in: String,
    pub(super) opened_at: Position,
}

/// A decision being built; copies share it, so helper functions can add checks.
#[derive(Debug, Clone)]
pub struct Draft(pub(super) Rc<RefCell<DraftInner>>);

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
pub(in crate::host) fn call_site(ctx: &NativeCallContext, state: &State) -> (String, Position) {
    let file = match ctx.call_source() {
        Some(source) if !source.is_empty() => source.to_owned(),
        _ => state.file.clone(),
    };
    (file, ctx.call_position())
}

/// Whether `text` says nothing: empty or only White_Space (Rust's `trim` is Unicode's
/// White_Space), so a subject or outcome never looks blank in a table or a report.
pub(super) fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Refuses `d.<what>(..)` on a decision already recorded or discarded: what it adds
/// would reach no document, and the author believes it did.
pub(super) fn still_open(d: &Draft, what: &str) -> RhaiResult<()> {
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
pub(super) fn at(file: &str, pos: Position) -> String {
    match (pos.line(), pos.position()) {
        (Some(line), Some(col)) => format!("{file}:{line}:{col}"),
        (Some(line), None) => format!("{file}:{line}"),
        _ => file.to_owned(),
    }
}

/// Refuses an outcome the policy does not declare in `OUTCOMES`, when it declares them:
/// coverage counts the declared ones, so a stray label would go uncounted.
pub(super) fn undeclared(state: &State, outcome: &str) -> RhaiResult<()> {
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
