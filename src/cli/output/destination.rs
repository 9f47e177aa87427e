//! What an `--out` path leads to once links are followed: a file to replace whole, or
//! something that is not a file (a device, a FIFO, a socket) to write into as it is.
//! Renaming a file over `/dev/null` or a FIFO would destroy it for everyone else.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::replace::{self, BUFFER_BYTES, folder_of};

/// As many links as Linux follows before it gives up (`ELOOP`).
const MAX_LINKS: usize = 40;

enum Destination {
    /// A regular file, existing or to be created, at the end of any links.
    File {
        path: PathBuf,
        existing: Option<fs::Permissions>,
    },
    /// Not a regular file: opened where it is and written.
    InPlace { socket: bool },
}

/// Fails as writing would, for what can be known before the command does its work.
pub fn check(path: &Path) -> io::Result<()> {
    match resolve(path)? {
        Destination::File { path, .. } => {
            let dir = folder_of(&path);
            if dir.is_dir() {
                Ok(())
            } else {
                Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("the folder `{}` does not exist", dir.display()),
                ))
            }
        }
        Destination::InPlace { .. } => Ok(()),
    }
}

/// Writes the output streamed by `write` to `path`.
pub fn write(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    match resolve(path)? {
        Destination::File { path, existing } => replace::write(&path, existing, write),
        Destination::InPlace { socket } => {
            let sink: Box<dyn Write> = if socket {
                connect(path)?
            } else {
                // No `create`, no `truncate`: it exists and is not a file.
                Box::new(fs::OpenOptions::new().write(true).open(path)?)
            };
            let mut out = BufWriter::with_capacity(BUFFER_BYTES, sink);
            write(&mut out)?;
            out.flush()
        }
    }
}

/// What an output writes to, one value however the path is spelled (`./`, links, `..`),
/// so two outputs of one run that would overwrite each other are caught.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A regular file, existing or to be created, by its canonical path. Hard links are
    /// different targets: each output replaces its own link.
    File(PathBuf),
    /// A device, FIFO or socket, by identity: its path may name nothing (`/dev/stdout`
    /// on a pipe leads to `pipe:[1234]`), so it is never canonicalised.
    InPlace(SpecialId),
}

#[cfg(unix)]
type SpecialId = (u64, u64);
#[cfg(not(unix))]
type SpecialId = PathBuf;

pub fn target(path: &Path) -> io::Result<Target> {
    match resolve(path)? {
        Destination::File {
            path,
            existing: Some(_),
        } => Ok(Target::File(path)),
        Destination::File {
            path,
            existing: None,
        } => {
            let name = path.file_name().unwrap_or(path.as_os_str());
            Ok(Target::File(fs::canonicalize(folder_of(&path))?.join(name)))
        }
        Destination::InPlace { .. } => special_id(path).map(Target::InPlace),
    }
}

#[cfg(unix)]
fn special_id(path: &Path) -> io::Result<SpecialId> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path)?;
    Ok((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn special_id(path: &Path) -> io::Result<SpecialId> {
    Ok(path.to_owned())
}

fn resolve(path: &Path) -> io::Result<Destination> {
    // The system follows the links itself, including `/dev/stdout` and its kind, which
    // lead to things no path names (`pipe:[1234]`).
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(Destination::File {
            path: fs::canonicalize(path)?,
            existing: Some(meta.permissions()),
        }),
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a folder",
        )),
        Ok(meta) => Ok(Destination::InPlace {
            socket: is_socket(&meta),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Destination::File {
            path: dangling_target(path)?,
            existing: None,
        }),
        Err(e) => Err(e),
    }
}

/// Where a path that does not exist yet will be created: itself, or, for a link to
/// nothing, the file at the end of the link (created there, the link stays a link).
fn dangling_target(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                // Joined, not normalised: the system resolves `..` after a linked folder
                // where the link really is, and so must we.
                current = current
                    .parent()
                    .map_or(target.clone(), |dir| dir.join(target));
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

#[cfg(unix)]
fn is_socket(meta: &fs::Metadata) -> bool {
    std::os::unix::fs::FileTypeExt::is_socket(&meta.file_type())
}

#[cfg(not(unix))]
fn is_socket(_: &fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn connect(path: &Path) -> io::Result<Box<dyn Write>> {
    Ok(Box::new(std::os::unix::net::UnixStream::connect(path)?))
}

#[cfg(not(unix))]
fn connect(_: &Path) -> io::Result<Box<dyn Write>> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}
