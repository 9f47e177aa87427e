//! A policy pack read once into memory: every policy and every module an import may be
//! served, with their digests. Everything compiled afterwards, on any thread, compiles
//! from these bytes, so the digests recorded always describe the code that ran.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::PolicyError;
use crate::digest::sha256_hex;
use crate::text::lowercase_first;

/// One file of the pack, as read.
#[derive(Debug)]
pub struct SourceFile {
    /// Path within the pack, with `/` between folders (`promotion.rhai`, `lib/limits.rhai`).
    pub file: String,
    /// Path as the user would name it (the pack folder as given, joined with `file`).
    pub path: PathBuf,
    pub text: Arc<str>,
    pub sha256: String,
}

/// What an import of a path within the pack finds.
#[derive(Debug)]
pub enum Entry {
    /// A module to serve. `real` is where it leads within the pack once links are
    /// followed: a module reached by two names is one module (one cycle, one cache entry).
    Module {
        real: String,
        source: Arc<SourceFile>,
    },
    /// A file an import is refused, and why: reading it could leave the pack, block,
    /// or run a policy's top-level code a second time.
    Refused(String),
}

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

/// Why an import of a file, or of anything under a folder, that is a link leading out of
/// the pack is refused.
pub const LEADS_OUTSIDE: &str = "it leads outside the policy folder";

fn folder_error(dir: &Path, e: std::io::Error) -> Box<PolicyError> {
    PolicyError::new(dir, format!("cannot read the policy folder: {e}"))
}

/// The flag that raises the policy size limit, for the message at the limit.
pub const MAX_POLICY_FLAG: &str = "--max-policy-kb";

/// A file as read, refusing what is not UTF-8 or is larger than `max` bytes (`what` names
/// it: "policy", "module"). Rhai's parser takes time quadratic in a file's size (it
/// searches the variables in scope and a map literal's keys one by one), so the size
/// limit is what bounds compiling; nothing past it is read.
fn read(dir: &Path, file: String, what: &str, max: u64) -> Result<SourceFile, Box<PolicyError>> {
    use std::io::Read;
    let path = dir.join(&file);
    let cannot =
        |e: std::io::Error| PolicyError::new(&path, format!("cannot read the {what}: {e}"));
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(max.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(cannot)?;
    within_size(&path, &bytes, what, max)?;
    source_file(dir, file, bytes, what)
}

/// Refuses a file larger than `max` bytes, naming the flag that raises the limit.
fn within_size(path: &Path, bytes: &[u8], what: &str, max: u64) -> Result<(), Box<PolicyError>> {
    if bytes.len() as u64 > max {
        let limit = if max % 1024 == 0 {
            format!("{} KiB", max / 1024)
        } else {
            format!("{max} bytes")
        };
        return Err(PolicyError::new(
            path,
            format!(
                "the {what} is larger than the limit of {limit} (raise it with \
                 {MAX_POLICY_FLAG}, or move code into modules: compiling takes time that \
                 grows with the square of a file's size)"
            ),
        ));
    }
    Ok(())
}

/// A file from its bytes, refusing what is not UTF-8 or cannot be located.
fn source_file(
    dir: &Path,
    file: String,
    bytes: Vec<u8>,
    what: &str,
) -> Result<SourceFile, Box<PolicyError>> {
    let path = dir.join(&file);
    let sha256 = sha256_hex(&bytes);
    let text = String::from_utf8(bytes)
        .map_err(|_| PolicyError::new(&path, format!("the {what} is not valid UTF-8")))?;
    super::extent::locatable(&path, &text, what)?;
    Ok(SourceFile {
        file,
        path,
        text: Arc::from(text),
        sha256,
    })
}

/// Refuses a `*.rhai` file that cannot be read as one: a link that leads nowhere or to
/// itself, a named pipe, a device or a socket (`what` names it: "policy", "module").
fn regular(path: &Path, what: &str) -> Result<(), Box<PolicyError>> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => Err(PolicyError::new(
            path,
            format!(
                "the {what} is not a regular file (a named pipe, a device or a socket cannot be read as one)"
            ),
        )),
        Err(e) => Err(unreadable(path, what, e)),
    }
}

/// Why a `*.rhai` file whose metadata cannot be read is refused: a link that leads
/// nowhere or around in a loop names its target, so the author knows what to fix.
fn unreadable(path: &Path, what: &str, e: std::io::Error) -> Box<PolicyError> {
    let Ok(target) = std::fs::read_link(path) else {
        return PolicyError::new(path, format!("cannot read the {what}: {}", io_words(&e)));
    };
    let target = target.display();
    let message = if e.kind() == std::io::ErrorKind::NotFound {
        format!("the {what} is a link to `{target}`, which does not exist")
    } else {
        format!(
            "the {what} is a link to `{target}`, which cannot be followed: {}",
            io_words(&e)
        )
    };
    PolicyError::new(path, message)
}

/// The system's words for an I/O error, lowercased and without ` (os error N)`.
fn io_words(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(i) => &text[..i],
        None => &text,
    };
    lowercase_first(text)
}

/// The names in a folder, sorted by bytes. A `*.rhai` name that is not UTF-8 is
/// refused: no import can name it, and leaving it out would lose a policy unnoticed.
/// Other names are only skipped, as files that are not `*.rhai` are.
fn names(dir: &Path) -> Result<Vec<String>, Box<PolicyError>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| folder_error(dir, e))? {
        let name = entry.map_err(|e| folder_error(dir, e))?.file_name();
        match name.into_string() {
            Ok(name) => names.push(name),
            Err(name) if Path::new(&name).extension().is_some_and(|x| x == "rhai") => {
                return Err(PolicyError::new(
                    &dir.join(name),
                    "the file name is not valid UTF-8, so the pack cannot name it (rename it)",
                ));
            }
            Err(_) => {}
        }
    }
    names.sort();
    Ok(names)
}

/// A relative path as the pack names it: components joined with `/` on every system.
pub fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Why a policy cannot be imported: its top-level code would run again, recording
/// decisions as the importer.
fn policy_refused(file: &str) -> String {
    format!("`{file}` is a policy; modules to import live in sub-folders")
}

fn is_rhai(name: &str) -> bool {
    Path::new(name).extension().is_some_and(|x| x == "rhai")
}

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
        let mut walk = Walk {
            root: &root,
            walked: HashSet::from([root.clone()]),
            read: HashMap::new(),
        };
        for folder in folders {
            walk.folder(&mut inner, &folder)?;
        }
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

/// The walk over a pack's sub-folders: every real folder once and every real file read
/// once, however many links lead to them, so links that fan out (48 folders each linking
/// twice to the next) cost what the folders hold, not one walk per path, and links that
/// loop end where they meet a folder already walked.
struct Walk<'r> {
    /// The pack folder, canonical.
    root: &'r Path,
    /// Real folders walked or being walked (the pack folder itself among them).
    walked: HashSet<PathBuf>,
    /// Files read, by real path: a second name for one shares its text.
    read: HashMap<PathBuf, Arc<SourceFile>>,
}

impl Walk<'_> {
    /// Reads the `*.rhai` files under the sub-folder `folder` (a path within the pack) as
    /// modules, classifying each as an import would find it. A folder whose real path is
    /// another is recorded as an alias of it, and walked under its real path if it was not.
    fn folder(&mut self, inner: &mut Inner, folder: &str) -> Result<(), Box<PolicyError>> {
        let dir = inner.dir.join(folder);
        let Ok(real) = dir.canonicalize() else {
            return Ok(());
        };
        let Ok(inside) = real.strip_prefix(self.root) else {
            inner.outside.push(folder.to_owned());
            return Ok(());
        };
        let inside = slashed(inside);
        if inside != folder {
            inner.aliases.insert(folder.to_owned(), inside.clone());
        }
        if !self.walked.insert(real) {
            return Ok(());
        }
        for name in names(&inner.dir.join(&inside))? {
            let file = format!("{inside}/{name}");
            let path = inner.dir.join(&file);
            if path.is_dir() {
                self.folder(inner, &file)?;
            } else if is_rhai(&name) {
                let entry = self.file(inner, &file, &path)?;
                inner.imports.insert(file, entry);
            }
        }
        Ok(())
    }

    /// What an import of the `*.rhai` file `file` (at `path`) finds.
    fn file(&mut self, inner: &Inner, file: &str, path: &Path) -> Result<Entry, Box<PolicyError>> {
        // A link that leads nowhere (or to itself) is a module lost without a word: say
        // so. A pipe or a device is kept, refused to the import that names it, and never
        // opened: opening a named pipe blocks until someone writes to it.
        let real = path
            .canonicalize()
            .map_err(|e| unreadable(path, "module", e))?;
        let Ok(inside) = real.strip_prefix(self.root) else {
            return Ok(Entry::Refused(LEADS_OUTSIDE.to_owned()));
        };
        if !real.is_file() {
            return Ok(Entry::Refused(
                "it is not a regular file (a named pipe, a device or a socket)".to_owned(),
            ));
        }
        // Its top-level code would run again, recording decisions as the importer.
        if inside.parent().is_none_or(|p| p.as_os_str().is_empty()) {
            return Ok(Entry::Refused(policy_refused(&slashed(inside))));
        }
        let inside = slashed(inside);
        let source = match self.read.get(&real) {
            Some(first) => Arc::new(SourceFile {
                file: file.to_owned(),
                path: inner.dir.join(file),
                text: first.text.clone(),
                sha256: first.sha256.clone(),
            }),
            None => {
                let max = inner.max_file_bytes;
                let source = Arc::new(read(&inner.dir, file.to_owned(), "module", max)?);
                self.read.insert(real, source.clone());
                source
            }
        };
        Ok(Entry::Module {
            real: inside,
            source,
        })
    }
}
