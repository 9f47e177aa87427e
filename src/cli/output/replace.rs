//! Replacing a file whole: the output goes to a temporary file beside it, which is then
//! renamed over it, so a reader never sees half a document and a failed or killed run
//! leaves the previous file as it was.
//!
//! The temporary file has an unpredictable name and is created exclusively (`O_EXCL`,
//! which never follows a link): a link planted in the folder cannot send the output to
//! another file. It is removed on every error path; only a process killed outright
//! (SIGKILL, or a signal it does not handle) can leave one, as `.NAME.XXXXXX.tmp`.

use std::ffi::OsString;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Bytes handed to the operating system at a time: small writes (a rendered table, a
/// generator's fields) would otherwise each cost a system call. Every way out uses it.
pub const BUFFER_BYTES: usize = 64 << 10;

/// Writes the output streamed by `write` in place of the file `path` (links already
/// followed), with `existing`'s permissions or, for a new file, the usual ones.
pub fn write(
    path: &Path,
    existing: Option<fs::Permissions>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "it is not a file name"))?;
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    if existing.is_none() {
        // 0666 less the umask, as any other tool creates a file (`tempfile` alone gives 0600).
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    }
    let file = builder.tempfile_in(folder_of(path))?;
    if let Some(permissions) = existing {
        file.as_file().set_permissions(kept(permissions))?;
    }
    // From here on, dropping `file` (an error, a panic) removes it.
    let mut out = BufWriter::with_capacity(BUFFER_BYTES, file);
    write(&mut out)?;
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The read, write and execute bits of a replaced file; not set-user-id and the like,
/// which a document has no use for.
#[cfg(unix)]
fn kept(permissions: fs::Permissions) -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(permissions.mode() & 0o777)
}

#[cfg(not(unix))]
fn kept(permissions: fs::Permissions) -> fs::Permissions {
    permissions
}

/// The folder a file is created in (`.` for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}
