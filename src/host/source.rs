//! A policy pack read once into memory: every policy and every module an import may be
//! served, with their digests. Everything compiled afterwards, on any thread, compiles
//! from these bytes, so the digests recorded always describe the code that ran.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::PolicyError;
pub use super::source_file::{Entry, LEADS_OUTSIDE, SourceFile, slashed};
use super::source_file::{is_rhai, names, policy_refused, read, regular, source_file, within_size};
use super::source_walk;
use crate::digest::sha256_hex;

#[derive(Debug)]
struct Inner {
    dir: PathBuf,
    /// Top-level `*.rhai` files, by file name.
    policies: Vec<Arc<SourceFile>>,
    /// What an import of each `*.rhai` file finds, by its path within the pack: the
    /// modules in sub-folders, and the policies, which are refused.
    imports: BTreeMap<String, Entry>,
    /// Sub-folders that are links leading outside the pack: nothing under them is read.
    outside: Vec<String>,
    /// Sub-folders reached by a link (or a path) that is not their real one, to the real
    /// path within the pack: each real folder is walked once, under its real path, however
    /// many links lead to it, and an import through a link is served from there.
    aliases: BTreeMap<String, String>,
    /// One digest over every policy and module, computed once they are all read.
    sha256: String,
    /// Largest file read (`Limits::max_policy_bytes`): what bounds compile time.
    max_file_bytes: u64,
}

/// A pack folder read into memory. Cheap to clone and `Send + Sync`: the workers of
/// `impact` each compile their own engine from the same bytes.
#[derive(Debug, Clone)]
pub struct PackSource(Arc<Inner>);

impl PackSource {
    /// Reads the top-level `*.rhai` files of `dir` as policies and every `*.rhai` file in
    /// its sub-folders as a module. Links are followed only within the folder.
    ///
    /// A file larger than `limits.max_policy_kb` is refused (compiling it would take
    /// time quadratic in its size).
    pub fn read(dir: &Path, limits: &crate::limits::Limits) -> crate::Result<Self> {
        let root = dir.canonicalize().map_err(|source| crate::Error::Read {
            path: dir.to_owned(),
            source,
        })?;
        let mut inner = Inner {
            dir: dir.to_owned(),
            policies: Vec::new(),
            imports: BTreeMap::new(),
            outside: Vec::new(),
            aliases: BTreeMap::new(),
            sha256: String::new(),
            max_file_bytes: limits.max_policy_bytes(),
        };
        let mut folders = Vec::new();
        for name in names(dir)? {
            let path = dir.join(&name);
            if path.is_dir() {
                folders.push(name);
                continue;
            }
            if !is_rhai(&name) {
                continue;
            }
            // Skipping it would drop a policy from the pack without a word.
            regular(&path, "policy")?;
            // A link may point anywhere; the pack is what is inside the folder.
            let inside = path
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&root));
            if !inside {
                return Err(PolicyError::new(
                    &path,
                    "the policy is a link to a file outside the policy folder, which is not allowed",
                )
                .into());
            }
            inner
                .imports
                .insert(name.clone(), Entry::Refused(policy_refused(&name)));
            let max = inner.max_file_bytes;
            inner
                .policies
                .push(Arc::new(read(dir, name, "policy", max)?));
        }
        if inner.policies.is_empty() {
            return Err(PolicyError::new(dir, "no `*.rhai` policy files in this folder").into());
        }
        // Modules after policies: a folder that holds no pack is reported as such first.
        let found = source_walk::modules(&root, dir, inner.max_file_bytes, folders)?;
        // Their paths hold a `/`, a policy's never does: no entry replaces another.
        inner.imports.extend(found.imports);
        inner.outside = found.outside;
        inner.aliases = found.aliases;
        inner.sha256 = pack_sha256(&inner);
        Ok(Self(Arc::new(inner)))
    }

    /// A pack from files already read (a revision in git, say): each `(path within the
    /// pack with `/`, bytes)`; top-level `*.rhai` files are policies, those in
    /// sub-folders modules, anything else is ignored. `dir` names the pack in messages
    /// (`git:origin/main:policies`).
    pub fn from_files(
        dir: PathBuf,
        files: Vec<(String, Vec<u8>)>,
        limits: &crate::limits::Limits,
    ) -> crate::Result<Self> {
        let mut inner = Inner {
            dir,
            policies: Vec::new(),
            imports: BTreeMap::new(),
            outside: Vec::new(),
            aliases: BTreeMap::new(),
            sha256: String::new(),
            max_file_bytes: limits.max_policy_bytes(),
        };
        let mut files: Vec<(String, Vec<u8>)> =
            files.into_iter().filter(|(f, _)| is_rhai(f)).collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        for (file, bytes) in files {
            let what = if file.contains('/') {
                "module"
            } else {
                "policy"
            };
            within_size(
                &inner.dir.join(&file),
                &bytes,
                what,
                limits.max_policy_bytes(),
            )?;
            if file.contains('/') {
                let source = Arc::new(source_file(&inner.dir, file.clone(), bytes, "module")?);
                let real = file.clone();
                inner.imports.insert(file, Entry::Module { real, source });
            } else {
                inner
                    .imports
                    .insert(file.clone(), Entry::Refused(policy_refused(&file)));
                let policy = source_file(&inner.dir, file, bytes, "policy")?;
                inner.policies.push(Arc::new(policy));
            }
        }
        if inner.policies.is_empty() {
            return Err(
                PolicyError::new(&inner.dir, "no `*.rhai` policy files in this folder").into(),
            );
        }
        inner.sha256 = pack_sha256(&inner);
        Ok(Self(Arc::new(inner)))
    }

    /// Whether both are the same reading of a pack (not merely equal bytes).
    pub fn is(&self, other: &PackSource) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The folder as the user named it.
    pub fn dir(&self) -> &Path {
        &self.0.dir
    }

    /// The policies, sorted by file name.
    pub fn policies(&self) -> &[Arc<SourceFile>] {
        &self.0.policies
    }

    /// The modules an import may be served, sorted by path within the pack.
    pub fn modules(&self) -> impl Iterator<Item = &SourceFile> {
        modules(&self.0.imports)
    }

    /// What an import of `file` (a path within the pack, `.rhai` included) finds:
    /// `None` when there is no such file.
    pub fn entry(&self, file: &str) -> Option<&Entry> {
        self.0.imports.get(&*self.resolve(file))
    }

    /// `file` with every folder reached through a link replaced by its real path within
    /// the pack. Each replacement leaves a real prefix behind and consumes at least one
    /// more component, so this ends within as many steps as `file` has components.
    fn resolve<'f>(&self, file: &'f str) -> std::borrow::Cow<'f, str> {
        let mut file = std::borrow::Cow::Borrowed(file);
        loop {
            let alias = file
                .match_indices('/')
                .map(|(i, _)| i)
                .rev()
                .find_map(|i| Some((i, self.0.aliases.get(&file[..i])?)));
            let Some((i, real)) = alias else {
                return file;
            };
            let rest = &file[i + 1..];
            file = if real.is_empty() {
                rest.to_owned().into()
            } else {
                format!("{real}/{rest}").into()
            };
        }
    }

    /// Whether `file` lies under a sub-folder that is a link leading outside the pack.
    pub fn leads_outside(&self, file: &str) -> bool {
        let file = self.resolve(file);
        self.0.outside.iter().any(|dir| {
            file.strip_prefix(dir.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// The policy called `file` (a top-level file name), if there is one.
    fn policy(&self, file: &str) -> Option<&SourceFile> {
        self.0
            .policies
            .iter()
            .find(|p| p.file == file)
            .map(|p| &**p)
    }

    /// A policy or module by its path within the pack, for placing an error in it: the
    /// path as the user would name it, and its text if the pack holds it.
    pub fn locate(&self, file: &str) -> (PathBuf, Option<Arc<str>>) {
        let found = self.policy(file).or_else(|| match self.entry(file)? {
            Entry::Module { source, .. } => Some(&**source),
            Entry::Refused(_) => None,
        });
        match found {
            Some(found) => (found.path.clone(), Some(found.text.clone())),
            None => (self.0.dir.join(file), None),
        }
    }

    /// One SHA-256 over the whole pack: see `pack_sha256`.
    pub fn sha256(&self) -> &str {
        &self.0.sha256
    }
}

/// The modules among the files an import may name, in path order.
fn modules(imports: &BTreeMap<String, Entry>) -> impl Iterator<Item = &SourceFile> {
    imports.values().filter_map(|entry| match entry {
        Entry::Module { source, .. } => Some(&**source),
        Entry::Refused(_) => None,
    })
}

/// One SHA-256 over the whole pack: of the lines `<sha256>  <path>\n` (the format of
/// `sha256sum`) for every policy and module, sorted by path bytes. An auditor recomputes
/// it in the pack folder with
/// `find -L . -name '*.rhai' -type f -printf '%P\n' | LC_ALL=C sort | xargs sha256sum | sha256sum`
/// when no sub-folder is a link (a folder reached by links is listed once, under its
/// real path, where `find -L` lists it under every path).
fn pack_sha256(inner: &Inner) -> String {
    let policies = inner.policies.iter().map(|p| &**p);
    let mut files: Vec<&SourceFile> = policies.chain(modules(&inner.imports)).collect();
    files.sort_by(|a, b| a.file.as_bytes().cmp(b.file.as_bytes()));
    let lines: String = files
        .iter()
        .map(|f| format!("{}  {}\n", f.sha256, f.file))
        .collect();
    sha256_hex(lines.as_bytes())
}
