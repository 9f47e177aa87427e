//! The Rhai host: a sandboxed engine, the API policies see, and running a policy pack.

mod domain;
mod facts_api;
pub mod memory;
mod policy;
mod record;
mod resolver;
mod sandbox;
mod value;

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use rhai::packages::{
    BasicArrayPackage, BasicMapPackage, BasicMathPackage, CorePackage, LogicPackage,
    MoreStringPackage, Package,
};
use rhai::{Dynamic, Engine, EvalAltResult, ParseError, ParseErrorType, Position, Scope};

pub use domain::Domain;
pub use facts_api::UNTAGGED;
pub use policy::{Decides, Pack, Policy};
pub use record::display;

use crate::decision::Decision;
pub use crate::limits::Limits;
use crate::text::lowercase_first;
use crate::facts::Facts;

/// Something wrong with a policy: at compile time or while it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The policy file as the user named it.
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The file's text, for rendering the offending line.
    pub source_text: Option<Arc<str>>,
    /// The last lines the policy printed before it failed (its `print`/`debug` output is
    /// otherwise lost with the run), and how many it printed in all.
    pub printed: Vec<String>,
    pub printed_total: usize,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for PolicyError {}

impl PolicyError {
    pub fn new(path: &Path, message: impl Into<String>) -> Box<Self> {
        Box::new(Self {
            path: path.to_owned(),
            line: None,
            column: None,
            message: message.into(),
            source_text: None,
            printed: Vec::new(),
            printed_total: 0,
        })
    }

    fn at(mut self: Box<Self>, pos: Position, source: Option<&Arc<str>>) -> Box<Self> {
        self.line = pos.line();
        self.column = pos.position();
        self.source_text = source.cloned();
        self
    }
}

/// Longest `print`/`debug` line kept, in characters; the rest is cut.
const MAX_LOG_LINE_CHARS: usize = 500;

/// Why the host stopped a policy from outside the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Time,
    Memory,
}

/// What the progress callback watches while a policy runs.
#[derive(Default)]
struct Watch {
    /// Set by the timer thread when the policy's time is up.
    expired: Arc<AtomicBool>,
    /// Bytes the policy's thread may hold before the policy is stopped.
    memory_ceiling: Cell<isize>,
    stop: Cell<Option<Stop>>,
}

/// An engine with only the pure packages and the sandbox's replacements: the language a
/// policy is written in, before any bursar API or limit.
fn sandboxed_engine() -> Engine {
    let mut engine = Engine::new_raw();
    for module in [
        CorePackage::new().as_shared_module(),
        LogicPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
    ] {
        engine.register_global_module(module);
    }
    sandbox::register(&mut engine);
    engine
}

/// A sandboxed engine with the bursar API registered.
pub struct Host {
    engine: Engine,
    state: record::Shared,
    watch: Rc<Watch>,
    limits: Limits,
    /// Bytes a policy may allocate (`limits.max_memory_mb` in bytes).
    memory_budget: usize,
    root: PathBuf,
}

impl Host {
    /// Builds an engine for the pack in `dir`: only pure packages, no `eval`, no clock,
    /// no files beyond the pack, and every size and time limit in force.
    pub fn new(dir: &Path, limits: Limits) -> crate::Result<Self> {
        let root = dir.canonicalize().map_err(|source| crate::Error::Read {
            path: dir.to_owned(),
            source,
        })?;
        let mut engine = sandboxed_engine();
        engine.set_strict_variables(true);
        engine.set_fail_on_invalid_map_property(true);
        // Rhai reads 0 as "no limit at all"; the smallest limit is the closest honest reading.
        engine.set_max_operations(limits.max_operations.max(1));
        engine.set_max_call_levels(limits.max_call_levels);
        engine.set_max_expr_depths(limits.max_expr_depth.max(1), limits.max_expr_depth.max(1));
        engine.set_max_string_size(limits.max_string_size.max(1));
        engine.set_max_array_size(limits.max_array_size.max(1));
        engine.set_max_map_size(limits.max_map_size.max(1));
        engine.set_max_modules(MAX_MODULES);
        engine.set_module_resolver(resolver::PackResolver::new(root.clone()));

        let state: record::Shared = Rc::new(RefCell::new(record::State::default()));
        let log = |prefix: &'static str, state: record::Shared| {
            move |text: &str| {
                let mut s = state.borrow_mut();
                let mut line = format!("{}: {prefix}", s.file);
                let mut chars = text.chars();
                line.extend(chars.by_ref().take(MAX_LOG_LINE_CHARS));
                let cut = chars.count();
                if cut > 0 {
                    line.push_str(&format!(" [{cut} more characters]"));
                }
                s.printed += 1;
                if s.recent.len() == record::RECENT_LOG_LINES {
                    s.recent.pop_front();
                }
                s.recent.push_back(line.clone());
                if s.log.len() < record::MAX_LOG_LINES {
                    s.log.push(line);
                } else {
                    s.log_dropped += 1;
                }
            }
        };
        engine.on_print(log("", state.clone()));
        let debug = log("debug: ", state.clone());
        engine.on_debug(move |text, _, _| debug(text));

        let watch = Rc::new(Watch::default());
        let w = watch.clone();
        // Called before every operation: two loads, so limits bind at the operation that
        // crosses them even when single operations are slow.
        engine.on_progress(move |_| {
            let stop = if w.expired.load(Relaxed) {
                Stop::Time
            } else if memory::held().is_some_and(|held| held > w.memory_ceiling.get()) {
                Stop::Memory
            } else {
                return None;
            };
            w.stop.set(Some(stop));
            Some(Dynamic::UNIT)
        });

        facts_api::register(&mut engine);
        record::register(&mut engine, &state);
        Ok(Self {
            engine,
            state,
            watch,
            limits,
            memory_budget: usize::try_from(limits.max_memory_mb)
                .unwrap_or(usize::MAX)
                .saturating_mul(1 << 20),
            root,
        })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Loads every `*.rhai` file in the pack folder and orders them by what they read.
    pub fn load_pack(&self, dir: &Path) -> crate::Result<Pack> {
        policy::load(&self.engine, dir, &self.limits).map_err(crate::Error::Policy)
    }

    /// Runs every policy of the pack in order; returns all decisions and the lines
    /// scripts printed.
    pub fn evaluate(
        &self,
        pack: &Pack,
        facts: &Arc<Facts>,
    ) -> Result<(Vec<Decision>, Vec<String>), Box<PolicyError>> {
        let result = self.evaluate_all(pack, facts);
        let mut s = self.state.borrow_mut();
        s.done.clear();
        s.decisions.clear();
        s.subjects.clear();
        result
    }

    fn evaluate_all(
        &self,
        pack: &Pack,
        facts: &Arc<Facts>,
    ) -> Result<(Vec<Decision>, Vec<String>), Box<PolicyError>> {
        let mut all = Vec::new();
        let mut log = Vec::new();
        for policy in &pack.policies {
            {
                let mut s = self.state.borrow_mut();
                s.policy = policy.name.clone();
                s.file = policy.file.clone();
                s.reads = policy.reads.clone();
                s.subjects.clear();
                s.decisions.clear();
                s.recent.clear();
                s.printed = 0;
            }
            let result = self.run(policy, facts).map_err(|mut e| {
                let mut s = self.state.borrow_mut();
                e.printed = s.recent.drain(..).collect();
                e.printed_total = s.printed;
                e
            });
            let mut s = self.state.borrow_mut();
            log.append(&mut s.log);
            if s.log_dropped > 0 {
                log.push(format!(
                    "{}: {} more printed lines were dropped",
                    policy.file, s.log_dropped
                ));
                s.log_dropped = 0;
            }
            drop(s);
            result?;
            self.check_domain(policy, facts)?;
            let mut s = self.state.borrow_mut();
            let mut decisions = std::mem::take(&mut s.decisions);
            decisions.sort_by(|a, b| a.subject.cmp(&b.subject));
            s.done
                .insert(policy.name.clone(), Rc::new(decisions.clone()));
            all.extend(decisions);
        }
        all.sort_by(|a, b| (&a.policy, &a.subject).cmp(&(&b.policy, &b.subject)));
        Ok((all, log))
    }

    /// Runs one policy under its wall-clock and memory limits, with a timer thread that
    /// flags the deadline for the progress callback.
    fn run(&self, policy: &Policy, facts: &Arc<Facts>) -> Result<(), Box<PolicyError>> {
        let mut scope = Scope::new();
        scope.push_constant("facts", facts_api::FactsRef(facts.clone()));
        self.watch.stop.set(None);
        self.watch.expired.store(false, Relaxed);
        self.watch
            .memory_ceiling
            .set(memory::held().map_or(isize::MAX, |held| {
                held.saturating_add(isize::try_from(self.memory_budget).unwrap_or(isize::MAX))
            }));
        let timeout = Duration::from_millis(self.limits.timeout_ms);
        let expired = self.watch.expired.clone();
        let (done, finished) = mpsc::channel::<()>();
        let outcome = std::thread::scope(|threads| {
            let timer = std::thread::Builder::new()
                .name("bursar-timer".into())
                .spawn_scoped(threads, move || {
                    if finished.recv_timeout(timeout) == Err(mpsc::RecvTimeoutError::Timeout) {
                        expired.store(true, Relaxed);
                    }
                });
            if let Err(e) = timer {
                return Err(PolicyError::new(
                    &policy.path,
                    format!("cannot start the timer for policy `{}`: {e}", policy.name),
                ));
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                self.engine.run_ast_with_scope(&mut scope, &policy.ast)
            }));
            drop(done);
            Ok(outcome)
        })?;
        match outcome {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => Err(self.runtime_error(policy, &err)),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(PolicyError::new(
                    &policy.path,
                    format!(
                        "policy `{}` crashed the script engine ({what}); this is a bug in \
                         bursar, please report it with the policy",
                        policy.name
                    ),
                ))
            }
        }
    }

    /// Refuses a policy that missed a subject of its declared domain or decided one
    /// outside it.
    fn check_domain(&self, policy: &Policy, facts: &Facts) -> Result<(), Box<PolicyError>> {
        let Some(decides) = &policy.decides else {
            return Ok(());
        };
        let expected = decides.domain.subjects(facts);
        let s = self.state.borrow();
        let promise = format!(
            "`DECIDES = \"{}\"`: {}",
            decides.domain.name(),
            decides.domain.promise()
        );
        let mut extra: Vec<(&String, &Position)> = s
            .subjects
            .iter()
            .filter(|(subject, _)| !expected.contains(*subject))
            .collect();
        extra.sort_by(|a, b| a.0.cmp(b.0));
        if let Some((subject, pos)) = extra.first() {
            return Err(PolicyError::new(
                &policy.path,
                format!(
                    "policy `{}` decided `{subject}`, which is not one of its subjects ({promise})",
                    policy.name
                ),
            )
            .at(**pos, Some(&policy.source)));
        }
        let missing: Vec<&String> = expected
            .iter()
            .filter(|subject| !s.subjects.contains_key(*subject))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        const SHOWN: usize = 3;
        let list: Vec<String> = missing
            .iter()
            .take(SHOWN)
            .map(|m| format!("`{m}`"))
            .collect();
        let mut list = list.join(", ");
        if missing.len() > SHOWN {
            list.push_str(&format!(" and {} more", missing.len() - SHOWN));
        }
        let of = if missing.len() == 1 {
            "1 of its subjects".to_owned()
        } else {
            format!("{} of its subjects", missing.len())
        };
        let error = PolicyError::new(
            &policy.path,
            format!(
                "policy `{}` made no decision for {of}: {list} ({promise})",
                policy.name
            ),
        );
        Err(match decides.line {
            Some(line) => error.at(
                Position::new(line as u16, decides.column as u16),
                Some(&policy.source),
            ),
            None => error,
        })
    }

    fn runtime_error(&self, policy: &Policy, err: &EvalAltResult) -> Box<PolicyError> {
        let inner = err.unwrap_inner();
        let (pos, module) = locate(err, None);
        // The file the error is in: the policy, or a module it imported.
        let (path, source): (PathBuf, Option<Arc<str>>) = match module {
            Some(module) if module != policy.file => {
                let relative = Path::new(&module).with_extension("rhai");
                let text = std::fs::read_to_string(self.root.join(&relative)).ok();
                let dir = policy.path.parent().unwrap_or(Path::new(""));
                (dir.join(relative), text.map(Arc::from))
            }
            _ => (policy.path.clone(), Some(policy.source.clone())),
        };
        let limits = &self.limits;
        let name = &policy.name;
        let message = match inner {
            EvalAltResult::ErrorTooManyOperations(_) => format!(
                "policy `{name}` exceeded the limit of {} operations (raise it with --max-operations)",
                limits.max_operations
            ),
            // Rhai reports this one at the outermost call of the chain.
            EvalAltResult::ErrorStackOverflow(_) => format!(
                "policy `{name}` exceeded the limit of {} nested function calls in this call (raise it with --max-call-levels)",
                limits.max_call_levels
            ),
            EvalAltResult::ErrorTerminated(..) => match self.watch.stop.get() {
                Some(Stop::Memory) => format!(
                    "policy `{name}` used more than the {} MiB of memory a policy may use \
                     (raise it with --max-memory-mb, or keep fewer copies of large arrays, maps and strings)",
                    self.memory_budget >> 20
                ),
                _ => format!(
                    "policy `{name}` ran longer than the limit of {} ms (raise it with --timeout-ms)",
                    limits.timeout_ms
                ),
            },
            EvalAltResult::ErrorDataTooLarge(what, _) => {
                let what = what.to_lowercase();
                if what.contains("string") {
                    format!(
                        "policy `{name}` built a string longer than the limit of {} bytes (raise it with --max-string-size)",
                        limits.max_string_size
                    )
                } else if what.contains("array") {
                    format!(
                        "policy `{name}` built an array larger than the limit of {} elements, nested arrays included (raise it with --max-array-size)",
                        limits.max_array_size
                    )
                } else {
                    format!(
                        "policy `{name}` built a map larger than the limit of {} entries, nested maps included (raise it with --max-map-size)",
                        limits.max_map_size
                    )
                }
            }
            EvalAltResult::ErrorTooManyModules(_) => format!(
                "policy `{name}` imported more than {MAX_MODULES} modules"
            ),
            EvalAltResult::ErrorRuntime(value, _) => {
                let thrown = source
                    .as_deref()
                    .and_then(|text| word_at(text, pos))
                    .is_some_and(|word| word == "throw");
                match (thrown, value.clone().into_string()) {
                    (true, Ok(text)) => format!("policy `{name}` threw an error: {text}"),
                    (true, Err(_)) if value.is_unit() => {
                        format!("policy `{name}` threw an error")
                    }
                    (true, Err(_)) => format!("policy `{name}` threw `{value}`"),
                    (false, Ok(text)) => text,
                    (false, Err(_)) => format!("policy `{name}` failed with `{value}`"),
                }
            }
            EvalAltResult::ErrorFunctionNotFound(signature, _) => {
                let called = signature
                    .split([' ', '('])
                    .next()
                    .unwrap_or_default()
                    .rsplit("::")
                    .next()
                    .unwrap_or_default();
                match sandbox::denied(called) {
                    Some(why) => sandbox::denied_message(called, why),
                    None => default_message(inner),
                }
            }
            EvalAltResult::ErrorParsing(kind, _) => {
                let word = source.as_deref().and_then(|text| word_at(text, pos));
                parse_message(kind, limits, word.as_deref())
            }
            other => default_message(other),
        };
        let located = !pos.is_none() && source.is_some();
        let mut error = PolicyError::new(&path, message);
        if located {
            error = error.at(pos, source.as_ref());
        }
        error
    }
}

/// Most modules one policy may import, counting imports of imports.
const MAX_MODULES: usize = 64;

/// Rhai's own message, without the location it appends (it is shown apart).
fn default_message(err: &EvalAltResult) -> String {
    let text = err.to_string();
    let text = match text.rfind(" (line ") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => &text,
    };
    lowercase_first(text)
}

/// Where evaluation stopped: the innermost position an error has, and the module it is
/// in (`None` for the policy itself). An error without a position is placed at the call
/// that led to it.
fn locate(err: &EvalAltResult, source: Option<&str>) -> (Position, Option<String>) {
    let (inner, callee, at) = match err {
        EvalAltResult::ErrorInFunctionCall(_, callee, inner, at)
        | EvalAltResult::ErrorInModule(callee, inner, at) => (inner, callee, *at),
        other => return (other.position(), source.map(str::to_owned)),
    };
    let callee = if callee.is_empty() {
        source
    } else {
        Some(callee.as_str())
    };
    match locate(inner, callee) {
        (pos, module) if !pos.is_none() => (pos, module),
        _ => (at, source.map(str::to_owned)),
    }
}

/// The identifier that starts at `pos` in `text`, if one does (to tell a script's `throw`
/// from an error raised by a function it called, or to spot a disabled keyword).
fn word_at(text: &str, pos: Position) -> Option<String> {
    let (line, column) = (pos.line()?, pos.position()?);
    let code = text.lines().nth(line.checked_sub(1)?)?;
    let word: String = code
        .chars()
        .skip(column.checked_sub(1)?)
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}


/// A parse error in words a policy author can act on; `word` is the identifier at the
/// error's position, if any.
fn parse_message(kind: &ParseErrorType, limits: &Limits, word: Option<&str>) -> String {
    // Disabled keywords fail in several ways (`reserved`, `expecting name of a property`).
    let disabled = match kind {
        ParseErrorType::Reserved(word) => Some(word.as_str()),
        _ => word,
    };
    match disabled {
        Some("eval") => {
            return "`eval` is not allowed in a policy: a policy runs only the code in its files"
                .to_owned()
        }
        Some("curry") => {
            return "`curry` is not allowed in a policy: use a closure instead, e.g. `|x| f(x, y)`"
                .to_owned()
        }
        _ => {}
    }
    match kind {
        ParseErrorType::ExprTooDeep => format!(
            "expressions nest deeper than the limit of {} levels (raise it with --max-expr-depth)",
            limits.max_expr_depth
        ),
        ParseErrorType::LiteralTooLarge(what, _) => {
            let what = what.to_lowercase();
            let (limit, flag) = if what.contains("string") {
                (limits.max_string_size, "--max-string-size")
            } else if what.contains("array") {
                (limits.max_array_size, "--max-array-size")
            } else {
                (limits.max_map_size, "--max-map-size")
            };
            format!("{what} exceeds the limit of {limit} (raise it with {flag})")
        }
        ParseErrorType::Reserved(word) if word == "eval" => {
            "`eval` is not allowed in a policy: a policy runs only the code in its files".to_owned()
        }
        ParseErrorType::Reserved(word) if word == "curry" => {
            "`curry` is not allowed in a policy: use a closure instead, e.g. `|x| f(x, y)`"
                .to_owned()
        }
        other => lowercase_first(&other.to_string()),
    }
}

pub(crate) fn parse_error(
    path: &Path,
    source: &Arc<str>,
    err: &ParseError,
    limits: &Limits,
) -> Box<PolicyError> {
    let word = word_at(source, err.position());
    PolicyError::new(path, parse_message(err.err_type(), limits, word.as_deref()))
        .at(err.position(), Some(source))
}
