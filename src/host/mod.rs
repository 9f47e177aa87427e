//! The Rhai host: a sandboxed engine, the API policies see, and running a policy pack.

mod facts_api;
mod policy;
mod record;
mod resolver;
mod value;

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rhai::packages::{
    BasicArrayPackage, BasicMapPackage, BasicMathPackage, CorePackage, LogicPackage,
    MoreStringPackage, Package,
};
use rhai::{Dynamic, Engine, EvalAltResult, ParseError, Position, Scope};
use serde::{Deserialize, Serialize};

pub use facts_api::UNTAGGED;
pub use policy::{Pack, Policy};
pub use record::display;

use crate::decision::Decision;
use crate::facts::Facts;

/// Sandbox limits, recorded in every decisions document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub max_operations: u64,
    pub max_call_levels: usize,
    pub max_expr_depth: usize,
    pub max_string_size: usize,
    pub max_array_size: usize,
    pub max_map_size: usize,
    pub timeout_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_operations: 20_000_000,
            max_call_levels: 48,
            max_expr_depth: 64,
            max_string_size: 1 << 20,
            max_array_size: 1 << 20,
            max_map_size: 1 << 16,
            timeout_ms: 10_000,
        }
    }
}

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
        })
    }

    fn at(mut self: Box<Self>, pos: Position, source: Option<&Arc<str>>) -> Box<Self> {
        self.line = pos.line();
        self.column = pos.position();
        self.source_text = source.cloned();
        self
    }
}

/// A sandboxed engine with the bursar API registered.
pub struct Host {
    engine: Engine,
    state: record::Shared,
    deadline: Rc<Cell<Option<Instant>>>,
    limits: Limits,
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
        // `sleep` comes with the core package; it would block past any deadline.
        engine.register_fn("sleep", |_: i64| -> Result<(), Box<EvalAltResult>> {
            Err("`sleep` is not allowed in a policy".into())
        });
        engine.register_fn("sleep", |_: f64| -> Result<(), Box<EvalAltResult>> {
            Err("`sleep` is not allowed in a policy".into())
        });
        engine.disable_symbol("eval");
        engine.set_strict_variables(true);
        engine.set_fail_on_invalid_map_property(true);
        engine.set_max_operations(limits.max_operations);
        engine.set_max_call_levels(limits.max_call_levels);
        engine.set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth);
        engine.set_max_string_size(limits.max_string_size);
        engine.set_max_array_size(limits.max_array_size);
        engine.set_max_map_size(limits.max_map_size);
        engine.set_max_modules(64);
        engine.set_module_resolver(resolver::PackResolver::new(root.clone()));

        let state: record::Shared = Rc::new(RefCell::new(record::State::default()));
        let log = |prefix: &'static str, state: record::Shared| {
            move |text: &str| {
                let mut s = state.borrow_mut();
                if s.log.len() < record::MAX_LOG_LINES {
                    let line = format!("{}: {prefix}{text}", s.file);
                    s.log.push(line);
                } else {
                    s.log_dropped += 1;
                }
            }
        };
        engine.on_print(log("", state.clone()));
        let debug = log("debug: ", state.clone());
        engine.on_debug(move |text, _, _| debug(text));

        let deadline: Rc<Cell<Option<Instant>>> = Rc::new(Cell::new(None));
        let d = deadline.clone();
        engine.on_progress(move |ops| {
            // Reading the clock every operation would cost more than the script.
            if ops % 4096 == 0 && d.get().is_some_and(|t| Instant::now() > t) {
                Some(Dynamic::UNIT)
            } else {
                None
            }
        });

        facts_api::register(&mut engine);
        record::register(&mut engine, &state);
        Ok(Self {
            engine,
            state,
            deadline,
            limits,
            root,
        })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Loads every `*.rhai` file in the pack folder and orders them by what they read.
    pub fn load_pack(&self, dir: &Path) -> crate::Result<Pack> {
        policy::load(&self.engine, dir).map_err(crate::Error::Policy)
    }

    /// Runs every policy of the pack in order; returns all decisions and the lines
    /// scripts printed.
    pub fn evaluate(
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
            }
            let mut scope = Scope::new();
            scope.push_constant("facts", facts_api::FactsRef(facts.clone()));
            self.deadline.set(Some(
                Instant::now() + Duration::from_millis(self.limits.timeout_ms),
            ));
            let result = self.engine.run_ast_with_scope(&mut scope, &policy.ast);
            self.deadline.set(None);
            let mut s = self.state.borrow_mut();
            log.append(&mut s.log);
            if s.log_dropped > 0 {
                log.push(format!(
                    "{}: {} more printed lines were dropped",
                    policy.file, s.log_dropped
                ));
                s.log_dropped = 0;
            }
            if let Err(err) = result {
                return Err(self.runtime_error(policy, &err));
            }
            let mut decisions = std::mem::take(&mut s.decisions);
            decisions.sort_by(|a, b| a.subject.cmp(&b.subject));
            s.done
                .insert(policy.name.clone(), Rc::new(decisions.clone()));
            all.extend(decisions);
        }
        self.state.borrow_mut().done.clear();
        all.sort_by(|a, b| (&a.policy, &a.subject).cmp(&(&b.policy, &b.subject)));
        Ok((all, log))
    }

    fn runtime_error(&self, policy: &Policy, err: &EvalAltResult) -> Box<PolicyError> {
        let inner = err.unwrap_inner();
        let limits = &self.limits;
        let message = match inner {
            EvalAltResult::ErrorTooManyOperations(_) => format!(
                "policy `{}` exceeded the limit of {} operations (raise it with --max-operations)",
                policy.name, limits.max_operations
            ),
            EvalAltResult::ErrorStackOverflow(_) => format!(
                "policy `{}` exceeded the limit of {} nested function calls (raise it with --max-call-levels)",
                policy.name, limits.max_call_levels
            ),
            EvalAltResult::ErrorTerminated(..) => format!(
                "policy `{}` ran longer than the limit of {} ms (raise it with --timeout-ms)",
                policy.name, limits.timeout_ms
            ),
            EvalAltResult::ErrorDataTooLarge(what, _) => {
                let (limit, flag) = if what.contains("string") || what.contains("String") {
                    (limits.max_string_size, "--max-string-size")
                } else if what.contains("rray") {
                    (limits.max_array_size, "--max-array-size")
                } else {
                    (limits.max_map_size, "--max-map-size")
                };
                format!(
                    "policy `{}`: {} exceeds the limit of {limit} (raise it with {flag})",
                    policy.name,
                    what.to_lowercase()
                )
            }
            EvalAltResult::ErrorRuntime(value, _) => match value.clone().into_string() {
                Ok(text) => text,
                Err(_) => format!("script threw `{value}`"),
            },
            other => {
                let text = other.to_string();
                // Display appends " (line L, position C)"; the location is shown apart.
                let text = match text.rfind(" (line ") {
                    Some(i) if text.ends_with(')') => &text[..i],
                    _ => &text,
                };
                lowercase_first(text)
            }
        };
        let source = if inner.position().is_none() {
            None
        } else {
            Some(&policy.source)
        };
        let path = match err_source(err) {
            Some(module) if module != policy.file => self.root.join(module),
            _ => policy.path.clone(),
        };
        PolicyError::new(&path, message).at(inner.position(), source)
    }
}

/// The source (module file) of the innermost error, when it came from an import.
fn err_source(err: &EvalAltResult) -> Option<String> {
    match err {
        EvalAltResult::ErrorInFunctionCall(_, src, inner, _) => {
            err_source(inner).or_else(|| (!src.is_empty()).then(|| src.clone()))
        }
        EvalAltResult::ErrorInModule(name, inner, _) => {
            err_source(inner).or_else(|| (!name.is_empty()).then(|| name.clone()))
        }
        _ => None,
    }
}

pub(crate) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) fn parse_error(path: &Path, source: &Arc<str>, err: &ParseError) -> Box<PolicyError> {
    let message = match err.err_type() {
        rhai::ParseErrorType::ExprTooDeep => {
            "expression nested too deeply (raise the limit with --max-expr-depth)".to_owned()
        }
        other if other.to_string().contains("'eval'") => {
            "`eval` is not allowed in a policy".to_owned()
        }
        other => lowercase_first(&other.to_string()),
    };
    PolicyError::new(path, message).at(err.position(), Some(source))
}
