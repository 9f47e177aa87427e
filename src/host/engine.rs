//! The engine a policy runs in: only pure packages and the sandbox's replacements, every
//! size and time limit in force, imports served from the pack in memory, and what scripts
//! print kept for the report.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use rhai::packages::{
    BasicArrayPackage, BasicMapPackage, BasicMathPackage, CorePackage, LogicPackage,
    MoreStringPackage, Package,
};
use rhai::{Dynamic, Engine};

use super::resolver::PackResolver;
use super::source::PackSource;
use super::{facts, memory, provenance, record, sandbox};
use crate::limits::Limits;

/// Most modules one policy may import, counting imports of imports.
pub const MAX_MODULES: usize = 64;

/// Longest `print`/`debug` line kept, in characters; the rest is cut.
const MAX_LOG_LINE_CHARS: usize = 500;

/// Why the host stopped a policy from outside the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Time,
    Memory,
}

/// What the progress callback watches while a policy runs.
#[derive(Default)]
pub struct Watch {
    /// Set by the timer thread when the policy's time is up.
    pub expired: Arc<AtomicBool>,
    /// Bytes the policy's thread may hold before the policy is stopped.
    pub memory_ceiling: Cell<isize>,
    pub stop: Cell<Option<Stop>>,
}

/// An engine with only the pure packages and the sandbox's replacements: the language a
/// policy is written in, before any bursar API or limit.
pub fn sandboxed() -> Engine {
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

/// The engine for one pack: the sandbox, the limits, imports from `source` only, the
/// bursar API recording into `state`, and `watch` consulted before every operation.
pub fn build(
    limits: &Limits,
    source: &PackSource,
    state: &record::Shared,
    watch: &Rc<Watch>,
) -> Engine {
    let mut engine = sandboxed();
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
    engine.set_module_resolver(PackResolver::new(source.clone()));

    engine.on_print(log("", state.clone()));
    let debug = log("debug: ", state.clone());
    engine.on_debug(move |text, _, _| debug(text));

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

    facts::register(&mut engine);
    record::register(&mut engine, state);
    provenance::register(&mut engine, state);
    engine
}

/// Keeps a printed line: cut to a readable length, counted, among the last few shown if
/// the policy fails, and in the log up to a cap.
fn log(prefix: &'static str, state: record::Shared) -> impl Fn(&str) {
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
}
