//! Module resolution confined to the policy folder: no absolute paths, no `..`, and no
//! symlink that leads out of it.

use std::path::{Component, Path, PathBuf};

use rhai::module_resolvers::FileModuleResolver;
use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Shared};

type SharedModule = Shared<Module>;

pub struct PackResolver {
    root: PathBuf,
    inner: FileModuleResolver,
}

impl PackResolver {
    /// `root` must already be canonical.
    pub fn new(root: PathBuf) -> Self {
        let mut inner = FileModuleResolver::new_with_path(&root);
        inner.enable_cache(true);
        Self { root, inner }
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
        // Resolve by the checked relative path, never by the user's spelling.
        let checked = real
            .strip_prefix(&self.root)
            .expect("checked above")
            .with_extension("");
        self.inner
            .resolve(engine, source, &checked.to_string_lossy(), pos)
    }
}
