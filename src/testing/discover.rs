//! Finding case files: the paths given, folders searched recursively. Each real file and
//! folder is visited once however many links lead to it, so links back up the tree end
//! and a folder linked twice runs its cases once; in a folder, only regular files named
//! `*.case` are cases: a FIFO, device or socket so named is skipped with a message and
//! never opened (opening a FIFO waits for a writer that may never come).

use std::collections::HashSet;
use std::fs::{FileType, Metadata};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use super::case::EXTENSION;
use crate::{Error, Result};

/// Folders deeper than this below a path given are not searched: no pack keeps its cases
/// so deep, and it bounds a tree built to be walked forever.
pub const MAX_DEPTH: usize = 32;

/// The case files found, in order, and what was passed over, said for people.
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<PathBuf>,
    /// Each file named `*.case` that is not a regular file, and each folder not searched,
    /// with a message naming it (``skipped `x.case`: a FIFO, not a case file``).
    pub skipped: Vec<(PathBuf, String)>,
}

/// Every case file named by `paths` (files as given, folders searched recursively),
/// sorted within each folder; a path that does not exist is an error.
pub fn discover(paths: &[PathBuf]) -> Result<Found> {
    let mut walk = Walk {
        found: Found::default(),
        seen: HashSet::new(),
    };
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk.dir(path, &meta, 0)?;
        } else if walk.first_visit(&meta) {
            // Named on purpose: read as given (a FIFO once, a device within the limit).
            walk.found.files.push(path.clone());
        }
    }
    Ok(walk.found)
}

struct Walk {
    found: Found,
    /// (device, inode) of every file and folder visited.
    seen: HashSet<(u64, u64)>,
}

impl Walk {
    fn first_visit(&mut self, meta: &Metadata) -> bool {
        self.seen.insert((meta.dev(), meta.ino()))
    }

    fn dir(&mut self, dir: &Path, meta: &Metadata, depth: usize) -> Result<()> {
        if !self.first_visit(meta) {
            return Ok(());
        }
        if depth > MAX_DEPTH {
            self.found.skipped.push((
                dir.to_owned(),
                format!(
                    "skipped `{}`: folders more than {MAX_DEPTH} deep are not searched for cases",
                    dir.display()
                ),
            ));
            return Ok(());
        }
        let read = |source| Error::Read {
            path: dir.to_owned(),
            source,
        };
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(read)?
            .map(|e| e.map(|e| e.path()))
            .collect::<std::io::Result<_>>()
            .map_err(read)?;
        entries.sort();
        for path in entries {
            // What a link leads to, found without opening it; a dangling link is passed.
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                self.dir(&path, &meta, depth + 1)?;
            } else if path.extension().is_some_and(|x| x == EXTENSION) {
                if let Some(kind) = not_a_file(meta.file_type()) {
                    self.found.skipped.push((
                        path.clone(),
                        format!("skipped `{}`: {kind}, not a case file", path.display()),
                    ));
                } else if self.first_visit(&meta) {
                    self.found.files.push(path);
                }
            }
        }
        Ok(())
    }
}

/// What a file that is not a regular file is, in words (`None` for a regular file).
pub fn not_a_file(ty: FileType) -> Option<&'static str> {
    if ty.is_file() {
        None
    } else if ty.is_fifo() {
        Some("a FIFO")
    } else if ty.is_socket() {
        Some("a socket")
    } else if ty.is_block_device() || ty.is_char_device() {
        Some("a device")
    } else if ty.is_dir() {
        Some("a folder")
    } else {
        Some("not a regular file")
    }
}
