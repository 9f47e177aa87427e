//! Every file of a pack compiled on its own, for `check`: each broken module and policy is
//! reported, not only the first, and each file is also parsed as written (constants not
//! folded into their uses) so the static checks see the code the author wrote.

use std::cell::RefCell;
use std::rc::Rc;

use rhai::{AST, Engine, OptimizationLevel};

use super::policy::{Policy, compile};
use super::source::PackSource;
use super::syntax::parse_error;
use super::{Pack, PolicyError, engine, pack, record};
use crate::error::Code;
use crate::limits::Limits;

/// The files of a pack, each compiled on its own.
pub struct Survey {
    engine: Engine,
    source: PackSource,
    limits: Limits,
    /// Every module or policy that does not compile, or whose declarations are wrong.
    // Boxed as every compile path builds them (`Error::Policy` carries a box): moved here
    // as they are, not unboxed and copied. (Clippy let it pass while the type was public.)
    #[allow(clippy::vec_box)]
    pub errors: Vec<Box<PolicyError>>,
    /// The policies that compiled, by file name.
    pub policies: Vec<Policy>,
}

impl Survey {
    /// Compiles every module and policy of `source` with the engine `eval` uses.
    pub fn new(source: &PackSource, limits: Limits) -> Self {
        let state: record::Shared = Rc::new(RefCell::new(record::State::default()));
        let engine = engine::build(&limits, source, &state, &Rc::default());
        let mut errors = Vec::new();
        for module in source.modules() {
            if let Err(e) = engine.compile(&*module.text) {
                errors.push(coded(
                    parse_error(&module.path, &module.text, &e, &limits),
                    Code::Syntax,
                ));
            }
        }
        let mut policies = Vec::new();
        for read in source.policies() {
            match compile(&engine, read, &limits) {
                Ok(policy) => policies.push(policy),
                Err(e) => {
                    // The same compile with the declarations left unread tells the two apart.
                    let mut names = rhai::Scope::new();
                    names.push("facts", ());
                    let parses = engine.compile_with_scope(&names, &*read.text).is_ok();
                    errors.push(coded(
                        e,
                        if parses {
                            Code::Declaration
                        } else {
                            Code::Syntax
                        },
                    ));
                }
            }
        }
        Self {
            engine,
            source: source.clone(),
            limits,
            errors,
            policies,
        }
    }

    /// The pack in evaluation order, as `eval` would load it.
    pub fn load(&self) -> Result<Pack, Box<PolicyError>> {
        pack::load(&self.engine, &self.source, &self.limits)
    }

    /// `text` parsed as written, for static checks: `None` when it does not parse (the
    /// compile error is already in `errors`).
    pub fn as_written(&self, text: &str) -> Option<AST> {
        let mut engine = Engine::new_raw();
        engine.set_optimization_level(OptimizationLevel::None);
        let depth = self.limits.max_expr_depth.max(1);
        engine.set_max_expr_depths(depth, depth);
        engine.compile(text).ok()
    }
}

/// A compile error with the code an editor groups it by, unless it carries its own.
fn coded(mut e: Box<PolicyError>, code: Code) -> Box<PolicyError> {
    e.code.get_or_insert(code);
    e
}
