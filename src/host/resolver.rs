//! Module resolution from the pack in memory, confined to it: no absolute paths, no `..`,
//! no link that leads out of the folder, no policy imported as a module, and no import
//! cycle. Nothing is read from disk here: the pack was read once, before compiling.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Component, Path};

use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Scope, Shared};

use super::source::{Entry, LEADS_OUTSIDE, PackSource, slashed};

type SharedModule = Shared<Module>;

pub struct PackResolver {
    source: PackSource,
    /// Modules already evaluated, by their real path within the pack.
    cache: RefCell<HashMap<String, SharedModule>>,
    /// Modules being loaded, outermost first: a module that imports one of these would
    /// recurse until the stack overflows.
    loading: RefCell<Vec<String>>,
}

/// Takes a module off the loading stack however its loading ends.
struct Loading<'a>(&'a RefCell<Vec<String>>);

impl Drop for Loading<'_> {
    fn drop(&mut self) {
        self.0.borrow_mut().pop();
    }
}

fn refuse(path: &str, why: &str, pos: Position) -> Box<EvalAltResult> {
    // Not `ErrorModuleNotFound`: Rhai replaces that one's message with the bare path.
    EvalAltResult::ErrorRuntime(
        format!("import of `{path}` is not allowed: {why}").into(),
        pos,
    )
    .into()
}

impl PackResolver {
    pub fn new(source: PackSource) -> Self {
        Self {
            source,
            cache: RefCell::new(HashMap::new()),
            loading: RefCell::new(Vec::new()),
        }
    }

    /// The file an import names, within the pack (`lib/limits` → `lib/limits.rhai`), or
    /// why it may not name one.
    fn file_for(path: &str, pos: Position) -> Result<String, Box<EvalAltResult>> {
        let relative = Path::new(path);
        if relative.is_absolute() || path.starts_with('/') || path.starts_with('\\') {
            return Err(refuse(
                path,
                "imports must be relative to the policy folder",
                pos,
            ));
        }
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(refuse(path, "imports may not use `..` or `.`", pos));
        }
        Ok(slashed(&relative.with_extension("rhai")))
    }
}

impl ModuleResolver for PackResolver {
    fn resolve(
        &self,
        engine: &Engine,
        _source: Option<&str>,
        path: &str,
        pos: Position,
    ) -> Result<SharedModule, Box<EvalAltResult>> {
        let file = Self::file_for(path, pos)?;
        let not_found = || {
            Box::new(EvalAltResult::ErrorModuleNotFound(
                format!("`{path}` (no file `{file}` in the policy folder)"),
                pos,
            ))
        };
        let (real, module) = match self.source.entry(&file) {
            Some(Entry::Module { real, source }) => (real, source),
            Some(Entry::Refused(why)) => return Err(refuse(path, why, pos)),
            None if self.source.leads_outside(&file) => {
                return Err(refuse(path, LEADS_OUTSIDE, pos));
            }
            None => return Err(not_found()),
        };
        if let Some(first) = self.loading.borrow().iter().position(|p| p == real) {
            let cycle: Vec<String> = self.loading.borrow()[first..]
                .iter()
                .chain([real])
                .map(|p| format!("`{p}`"))
                .collect();
            return Err(refuse(
                path,
                &format!(
                    "modules import each other in a cycle: {}",
                    cycle.join(" → ")
                ),
                pos,
            ));
        }
        if let Some(done) = self.cache.borrow().get(real) {
            return Ok(done.clone());
        }
        self.loading.borrow_mut().push(real.clone());
        let _loading = Loading(&self.loading);
        // Errors are wrapped as Rhai's own file resolver wraps them, named by the module's
        // real path, so they are located in the module's own text.
        let in_module = |err: Box<EvalAltResult>| {
            Box::new(EvalAltResult::ErrorInModule(real.clone(), err, pos))
        };
        let mut ast = engine
            .compile(&*module.text)
            .map_err(|e| in_module(e.into()))?;
        ast.set_source(real.as_str());
        let evaluated: SharedModule = Module::eval_ast_as_new(Scope::new(), &ast, engine)
            .map_err(in_module)?
            .into();
        self.cache
            .borrow_mut()
            .insert(real.clone(), evaluated.clone());
        Ok(evaluated)
    }
}
