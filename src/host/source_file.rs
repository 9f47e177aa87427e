//! One file of a policy pack as read from disk, and what an import of a path in the pack
//! finds: the bounds every read keeps (size, UTF-8, regular files, links that lead
//! somewhere), shared by the pack's top level and the walk over its sub-folders.

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

/// Why an import of a file, or of anything under a folder, that is a link leading out of
/// the pack is refused.
pub const LEADS_OUTSIDE: &str = "it leads outside the policy folder";

/// A folder of the pack that cannot be listed.
fn folder_error(dir: &Path, e: std::io::Error) -> Box<PolicyError> {
    PolicyError::new(dir, format!("cannot read the policy folder: {e}"))
}

/// The flag that raises the policy size limit, for the message at the limit.
pub const MAX_POLICY_FLAG: &str = "--max-policy-kb";

/// A file as read, refusing what is not UTF-8 or is larger than `max` bytes (`what` names
/// it: "policy", "module"). Rhai's parser takes time quadratic in a file's size (it
/// searches the variables in scope and a map literal's keys one by one), so the size
/// limit is what bounds compiling; nothing past it is read.
pub(super) fn read(
    dir: &Path,
    file: String,
    what: &str,
    max: u64,
) -> Result<SourceFile, Box<PolicyError>> {
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
pub(super) fn within_size(
    path: &Path,
    bytes: &[u8],
    what: &str,
    max: u64,
) -> Result<(), Box<PolicyError>> {
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
pub(super) fn source_file(
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
pub(super) fn regular(path: &Path, what: &str) -> Result<(), Box<PolicyError>> {
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
pub(super) fn unreadable(path: &Path, what: &str, e: std::io::Error) -> Box<PolicyError> {
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
pub(super) fn names(dir: &Path) -> Result<Vec<String>, Box<PolicyError>> {
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
pub(super) fn policy_refused(file: &str) -> String {
    format!("`{file}` is a policy; modules to import live in sub-folders")
}

/// Whether a file name is a Rhai file's.
pub(super) fn is_rhai(name: &str) -> bool {
    Path::new(name).extension().is_some_and(|x| x == "rhai")
}
