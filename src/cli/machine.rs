//! What the CLI reads off the machine for the library, which never does: the memory
//! available for loading a snapshot, standard input when a snapshot is `-`, and whether
//! stdout was closed at start.

use std::path::{Path, PathBuf};

use crate::snapshot::{LoadOptions, STDIN_ORIGIN, Source};

/// `BURSAR_MAX_MEMORY_MB`, when set: a CI runner saying it has less memory than the
/// machine reports. It caps snapshot loading and the policy memory limit.
pub fn memory_cap_mb() -> Option<u64> {
    std::env::var("BURSAR_MAX_MEMORY_MB")
        .ok()
        .and_then(|mb| mb.trim().parse::<u64>().ok())
}

/// Memory the system can still give us, where it says (Linux `MemAvailable`), capped by
/// `BURSAR_MAX_MEMORY_MB` when set.
pub fn available_memory() -> Option<u64> {
    let cap = memory_cap_mb().map(|mb| mb.saturating_mul(1 << 20));
    let system = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib * 1024)
        });
    match (cap, system) {
        (Some(c), Some(s)) => Some(c.min(s)),
        (c, s) => c.or(s),
    }
}

/// What loading a snapshot may use on this machine, and the largest snapshot read
/// (`--max-snapshot-mb`, in MiB).
pub fn load_options(max_snapshot_mb: u64) -> LoadOptions {
    LoadOptions {
        available_memory: available_memory(),
        max_bytes: Some(max_snapshot_mb.saturating_mul(1 << 20)),
    }
}

/// A snapshot argument: `-` is standard input, read once here, whole; anything else a path.
pub fn snapshot_source(arg: &Path, options: &LoadOptions) -> anyhow::Result<Source> {
    if arg == Path::new("-") {
        Ok(Source::read(
            std::io::stdin().lock(),
            STDIN_ORIGIN,
            options,
        )?)
    } else {
        Ok(Source::Path(arg.to_owned()))
    }
}

/// Snapshot arguments, of which at most one may be `-`: standard input can be read once.
/// A pipe or a device named more than once (`impact ... p p` with a FIFO `p`) is read
/// once, here, and its bytes shared: a second open would wait for a writer that never
/// comes.
pub fn snapshot_sources(args: &[PathBuf], options: &LoadOptions) -> anyhow::Result<Vec<Source>> {
    let stdin = args
        .iter()
        .filter(|a| a.as_path() == Path::new("-"))
        .count();
    if stdin > 1 {
        anyhow::bail!(
            "`-` (standard input) is given {stdin} times among the snapshots; it can be read only once"
        );
    }
    let ids: Vec<Option<FileId>> = args.iter().map(|a| stream_id(a)).collect();
    let mut streams: Vec<(FileId, Source)> = Vec::new();
    let mut sources = Vec::with_capacity(args.len());
    for (arg, id) in args.iter().zip(&ids) {
        let source = match *id {
            Some(id) if ids.iter().filter(|other| **other == Some(id)).count() > 1 => {
                match streams.iter().find(|(seen, _)| *seen == id) {
                    Some((_, read)) => read.clone(),
                    None => {
                        let read = read_stream(arg, options)?;
                        streams.push((id, read.clone()));
                        read
                    }
                }
            }
            _ => snapshot_source(arg, options)?,
        };
        sources.push(source);
    }
    Ok(sources)
}

/// What tells two names of one file apart from two files (device and inode on Unix).
type FileId = (u64, u64);

/// The identity of a path that is neither a regular file nor a folder (a pipe, a device),
/// if it is one.
fn stream_id(path: &Path) -> Option<FileId> {
    if path == Path::new("-") {
        return None;
    }
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_file() || meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A pipe or a device read once, whole, under the limits of `options`, named by its path.
fn read_stream(path: &Path, options: &LoadOptions) -> anyhow::Result<Source> {
    let file = std::fs::File::open(path).map_err(|source| crate::Error::Read {
        path: path.to_owned(),
        source,
    })?;
    Ok(Source::read(file, &path.display().to_string(), options)?)
}

/// Whether stdout is `/dev/null` opened read-write: what the Rust runtime puts on a
/// standard descriptor closed at start (a shell's `>/dev/null` opens it write-only).
#[cfg(target_os = "linux")]
pub fn stdout_reopened_on_null() -> bool {
    const READ_WRITE: u32 = 0o2;
    let null = std::fs::read_link("/proc/self/fd/1")
        .is_ok_and(|target| target == std::path::Path::new("/dev/null"));
    null && std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
        info.lines()
            .find_map(|line| line.strip_prefix("flags:"))
            .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
            .is_some_and(|flags| flags & 0o3 == READ_WRITE)
    })
}

#[cfg(not(target_os = "linux"))]
pub fn stdout_reopened_on_null() -> bool {
    false
}
