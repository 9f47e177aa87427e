//! The bounded walk over a policy pack's sub-folders, where its modules live: every real
//! folder walked once and every real file read once, links followed only within the pack.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::PolicyError;
use super::source_file::{
    Entry, LEADS_OUTSIDE, SourceFile, is_rhai, names, policy_refused, read, slashed, unreadable,
};

/// What an import of a path under the sub-folders finds, as the walk found it.
#[derive(Debug, Default)]
pub(super) struct Modules {
    /// What an import of each `*.rhai` file under them finds, by path within the pack.
    pub(super) imports: BTreeMap<String, Entry>,
    /// Sub-folders that are links leading outside the pack: nothing under them is read.
    pub(super) outside: Vec<String>,
    /// Sub-folders reached by a link (or a path) that is not their real one, to the real
    /// path within the pack.
    pub(super) aliases: BTreeMap<String, String>,
}

/// Walks the sub-folders `folders` (names within `dir`, the pack folder as the user named
/// it, whose canonical path is `root`), reading every `*.rhai` file under them as a module
/// of at most `max_file_bytes`.
pub(super) fn modules(
    root: &Path,
    dir: &Path,
    max_file_bytes: u64,
    folders: Vec<String>,
) -> Result<Modules, Box<PolicyError>> {
    let mut walk = Walk {
        root,
        dir,
        max_file_bytes,
        walked: HashSet::from([root.to_owned()]),
        read: HashMap::new(),
        found: Modules::default(),
    };
    for folder in folders {
        walk.folder(&folder)?;
    }
    Ok(walk.found)
}

/// The walk over a pack's sub-folders: every real folder once and every real file read
/// once, however many links lead to them, so links that fan out (48 folders each linking
/// twice to the next) cost what the folders hold, not one walk per path, and links that
/// loop end where they meet a folder already walked.
struct Walk<'r> {
    /// The pack folder, canonical.
    root: &'r Path,
    /// The pack folder as the user named it.
    dir: &'r Path,
    /// Largest file read (`Limits::max_policy_bytes`).
    max_file_bytes: u64,
    /// Real folders walked or being walked (the pack folder itself among them).
    walked: HashSet<PathBuf>,
    /// Files read, by real path: a second name for one shares its text.
    read: HashMap<PathBuf, Arc<SourceFile>>,
    found: Modules,
}

impl Walk<'_> {
    /// Reads the `*.rhai` files under the sub-folder `folder` (a path within the pack) as
    /// modules, classifying each as an import would find it. A folder whose real path is
    /// another is recorded as an alias of it, and walked under its real path if it was not.
    fn folder(&mut self, folder: &str) -> Result<(), Box<PolicyError>> {
        let dir = self.dir.join(folder);
        let Ok(real) = dir.canonicalize() else {
            return Ok(());
        };
        let Ok(inside) = real.strip_prefix(self.root) else {
            self.found.outside.push(folder.to_owned());
            return Ok(());
        };
        let inside = slashed(inside);
        if inside != folder {
            self.found.aliases.insert(folder.to_owned(), inside.clone());
        }
        if !self.walked.insert(real) {
            return Ok(());
        }
        for name in names(&self.dir.join(&inside))? {
            let file = format!("{inside}/{name}");
            let path = self.dir.join(&file);
            if path.is_dir() {
                self.folder(&file)?;
            } else if is_rhai(&name) {
                let entry = self.file(&file, &path)?;
                self.found.imports.insert(file, entry);
            }
        }
        Ok(())
    }

    /// What an import of the `*.rhai` file `file` (at `path`) finds.
    fn file(&mut self, file: &str, path: &Path) -> Result<Entry, Box<PolicyError>> {
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
                path: self.dir.join(file),
                text: first.text.clone(),
                sha256: first.sha256.clone(),
            }),
            None => {
                let max = self.max_file_bytes;
                let source = Arc::new(read(self.dir, file.to_owned(), "module", max)?);
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
