//! Writing a command's output file whole: shared by every command that takes `--out`.

use std::io::Write;
use std::path::Path;

/// Writes a command's whole output to `--out` when given, else to stdout.
pub fn emit(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => write_whole(path, text.as_bytes())?,
        None => {
            use anyhow::Context;
            std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .context("cannot write to stdout")?;
        }
    }
    Ok(())
}

/// Writes through a temporary file in the same folder and renames it into place, so a
/// reader never sees half a document and a failure leaves the previous file untouched.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), bursar::Error> {
    write_whole_with(path, |file| file.write_all(bytes))
}

/// Like [`write_whole`], for output streamed by `write` (a generated snapshot can be
/// hundreds of megabytes: it is never held in memory whole).
pub fn write_whole_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), bursar::Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let err = |source| bursar::Error::Write {
        path: path.to_owned(),
        source,
    };
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| write(&mut f).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    Ok(())
}
