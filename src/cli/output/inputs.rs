//! Refusing an `--out` that is one of the command's own inputs: the result would replace
//! the snapshot or a policy it was computed from, and the run could not be repeated.
//! Files are compared by identity (device and inode), so a link, a hard link or another
//! spelling of the same path is caught too.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Fails when `out` is one of `inputs` (each with its name for the message) or a file
/// under one that is a folder. Standard input (`-`) is never a clash.
pub fn refuse_clobbering(out: &Path, inputs: &[(&str, &Path)]) -> io::Result<()> {
    // Nothing there yet: it cannot be something being read.
    let Some(target) = identity(out) else {
        return Ok(());
    };
    for &(role, input) in inputs {
        if input == Path::new("-") {
            continue;
        }
        let message = if input.is_dir() {
            let mut files = Vec::new();
            files_under(input, &mut files);
            files
                .into_iter()
                .find(|file| identity(file).as_ref() == Some(&target))
                .map(|file| {
                    format!(
                        "it is `{}` of {role} `{}` being read",
                        file.display(),
                        input.display()
                    )
                })
        } else if identity(input).as_ref() == Some(&target) {
            Some(format!("it is {role} `{}` being read", input.display()))
        } else {
            None
        };
        if let Some(message) = message {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
        }
    }
    Ok(())
}

/// Every file under `dir`, sorted. Linked folders are not entered: the pack's resolver
/// refuses links that leave the pack, and those that stay in it lead to files listed
/// anyway. An unreadable folder is skipped here; reading the pack reports it.
fn files_under(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => files_under(&path, files),
            Ok(_) => files.push(path),
            Err(_) => {}
        }
    }
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|meta| (meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<PathBuf> {
    fs::canonicalize(path).ok()
}
