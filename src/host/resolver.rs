//! Module resolution confined to the policy folder: no absolute paths, no `..`, no
//! symlink that leads out of it, no policy imported as a module, and no import cycle.

use std::cell::RefCell;
use std::path::{Component, Path, PathBuf};

use rhai::module_resolvers::FileModuleResolver;
use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Shared};

type SharedModule = Shared<Module>;

pub struct PackResolver {
    root: PathBuf,
    inner: FileModuleResolver,
    /// Modules being loaded, outermost first: a module that imports one of these would
    /// recurse until the stack overflows.
    loading: RefCell<Vec<PathBuf>>,
}

/// Takes a module off the loading stack however its loading ends.
struct Loading<'a>(&'a RefCell<Vec<PathBuf>>);

impl Drop for Loading<'_> {
    fn drop(&mut self) {
        self.0.borrow_mut().pop();
    }
}

impl PackResolver {
    /// `root` must already be canonical.
    pub fn new(root: PathBuf) -> Self {
        let mut inner = FileModuleResolver::new_with_path(&root);
        inner.enable_cache(true);
        Self {
            root,
            inner,
            loading: RefCell::new(Vec::new()),
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
}

impl ModuleResolver for PackResolver {
    fn resolve(
        &self,
        engine: &Engine,
        source: Option<&str>,
        path: &str,
        pos: Position,
    ) -> Result<SharedModule, Box<EvalAltResult>> {
        let relative = Path::new(path);
        if relative.is_absolute() || path.starts_with('/') || path.starts_with('\\') {
            return Err(Self::refuse(
                path,
                "imports must be relative to the policy folder",
                pos,
            ));
        }
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(Self::refuse(path, "imports may not use `..` or `.`", pos));
        }
        let file = self.root.join(relative).with_extension("rhai");
        let real = file.canonicalize().map_err(|_| {
            Box::new(EvalAltResult::ErrorModuleNotFound(
                format!(
                    "`{path}` (no file `{}` in the policy folder)",
                    relative.with_extension("rhai").display()
                ),
                pos,
            ))
        })?;
        if !real.starts_with(&self.root) {
            return Err(Self::refuse(
                path,
                "it leads outside the policy folder",
                pos,
            ));
        }
        if !real.is_file() {
            // A named pipe or a device would block the read, or never end it.
            return Err(Self::refuse(path, "it is not a regular file", pos));
        }
        let inside = real.strip_prefix(&self.root).expect("checked above");
        if inside.parent().is_none_or(|p| p.as_os_str().is_empty()) {
            // Its top-level code would run again, recording decisions as the importer.
            return Err(Self::refuse(
                path,
                &format!(
                    "`{}` is a policy; modules to import live in sub-folders",
                    inside.display()
                ),
                pos,
            ));
        }
        if let Some(first) = self.loading.borrow().iter().position(|p| *p == real) {
            let cycle: Vec<String> = self.loading.borrow()[first..]
                .iter()
                .chain([&real])
                .map(|p| {
                    let relative = p.strip_prefix(&self.root).unwrap_or(p);
                    format!("`{}`", relative.display())
                })
                .collect();
            return Err(Self::refuse(
                path,
                &format!(
                    "modules import each other in a cycle: {}",
                    cycle.join(" → ")
                ),
                pos,
            ));
        }
        self.loading.borrow_mut().push(real.clone());
        let _loading = Loading(&self.loading);
        // Resolve by the checked relative path, never by the user's spelling.
        let checked = inside.with_extension("");
        self.inner
            .resolve(engine, source, &checked.to_string_lossy(), pos)
    }
}
