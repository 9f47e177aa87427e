//! The entry to loading: where the bytes come from (a file, or bytes a caller read once
//! from a stream such as standard input), which loader reads them, and whether they fit
//! the memory the caller says is available. The library never asks the machine itself.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::model::Loaded;

use super::stream::{self, Fallback};
use super::tree;
use crate::digest::sha256_hex;
use crate::problem::Problem;
use crate::{Error, Result};

/// How errors name a snapshot read from standard input.
pub const STDIN_ORIGIN: &str = "<stdin>";

/// What loading may use. The default has no memory budget and no size limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Bytes of memory loading may take; `None` when unknown (nothing is refused).
    pub available_memory: Option<u64>,
    /// Most bytes of snapshot read (`Limits::max_snapshot_bytes`); `None` for no limit.
    /// A stream past it is refused before more is read, so one with no end (`/dev/zero`)
    /// stops here.
    pub max_bytes: Option<u64>,
}

impl LoadOptions {
    /// These options within the snapshot size limit of `limits`, so the limit a document
    /// records is the one loading kept, whatever the caller passed.
    pub fn within(&self, limits: &crate::limits::Limits) -> LoadOptions {
        let max = limits.max_snapshot_bytes();
        LoadOptions {
            max_bytes: Some(self.max_bytes.map_or(max, |m| m.min(max))),
            ..*self
        }
    }
}

/// The flag that raises `LoadOptions::max_bytes`, for the message at the limit.
pub const MAX_SNAPSHOT_FLAG: &str = "--max-snapshot-mb";

/// Refuses a snapshot of `size` bytes (or of at least that many, for a stream) past the
/// size limit.
fn within_limit(size: u64, origin: &str, options: &LoadOptions) -> Result<()> {
    match options.max_bytes {
        Some(max) if size > max => Err(Error::OverLimit {
            path: PathBuf::from(origin),
            what: "snapshot",
            limit: mebibytes(max),
            flag: MAX_SNAPSHOT_FLAG,
        }),
        _ => Ok(()),
    }
}

/// A size limit in the unit its flag takes.
fn mebibytes(bytes: u64) -> String {
    if bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// What may be read of a file that passed the size limit: a file that grows meanwhile is
/// still read no further than the limit.
fn limited<'f>(file: &'f std::fs::File, options: &LoadOptions) -> impl Read + Send + 'f {
    file.take(options.max_bytes.unwrap_or(u64::MAX))
}

/// Where a snapshot comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A path, opened once: a regular file is streamed, anything else (a FIFO, a device)
    /// is read into memory first.
    Path(PathBuf),
    /// Bytes already read (standard input, read once), named `origin` in messages.
    Bytes {
        /// The name the bytes go by in messages (`<stdin>`).
        origin: String,
        /// The bytes.
        bytes: Arc<[u8]>,
    },
}

impl Source {
    /// Reads a stream to its end, once, refusing it as soon as it outgrows `options`.
    /// For standard input: the caller opens it, the library never does.
    pub fn read(reader: impl Read, origin: &str, options: &LoadOptions) -> Result<Source> {
        let bytes = read_all(reader, origin, options, &mut |_, _| {})?;
        Ok(Source::Bytes {
            origin: origin.to_owned(),
            bytes: bytes.into(),
        })
    }

    /// The name errors and reports give it: the path as given, or the stream's name.
    pub fn origin(&self) -> String {
        match self {
            Source::Path(path) => path.display().to_string(),
            Source::Bytes { origin, .. } => origin.clone(),
        }
    }
}

impl From<PathBuf> for Source {
    fn from(path: PathBuf) -> Self {
        Source::Path(path)
    }
}

impl From<&Path> for Source {
    fn from(path: &Path) -> Self {
        Source::Path(path.to_owned())
    }
}

/// Memory the streaming loader needs per byte of snapshot (measured: ~90 MB for a
/// 230 MB, million-run file), with headroom.
const STREAM_BYTES_PER_BYTE: f64 = 0.6;

/// Memory the complete path needs per byte: the file plus a `serde_json::Value` tree
/// (measured: ~1.6 GB for a 230 MB file), with headroom.
const TREE_BYTES_PER_BYTE: f64 = 8.0;

/// Why the tree loader is needed, for the message when it does not fit.
const TREE_WHAT: &str = "check in full (it is not a valid snapshot, and listing every problem takes a tree of the whole document)";

/// Refuses `size` bytes that need `per_byte` bytes of memory each beyond the budget.
fn fits(
    size: u64,
    per_byte: f64,
    what: &'static str,
    origin: &str,
    options: &LoadOptions,
) -> Result<()> {
    let needed = size as f64 * per_byte;
    match options.available_memory {
        Some(available) if needed > available as f64 => Err(Error::TooLarge {
            path: PathBuf::from(origin),
            what,
            needed: needed as u64,
            available,
        }),
        _ => Ok(()),
    }
}

/// Whether the tree loader fits the budget. When it does not, the problems the fast path
/// located still say where to look, beside the budget: the author learns where without
/// the memory to list everything.
fn tree_fits(size: u64, origin: &str, options: &LoadOptions, fallback: Fallback) -> Result<()> {
    let Err(too_large) = fits(size, TREE_BYTES_PER_BYTE, TREE_WHAT, origin, options) else {
        return Ok(());
    };
    let mut problems = match fallback {
        Fallback::Partial(problems) if !problems.is_empty() => problems,
        _ => return Err(too_large),
    };
    let found = if problems.len() == 1 {
        "the first problem found"
    } else {
        "the first problems found"
    };
    problems.push(Problem::new(
        "",
        format!("{found}; the others cannot be listed: {too_large}"),
    ));
    Err(Error::Invalid {
        origin: origin.to_owned(),
        problems,
    })
}

/// The streaming loader's verdict: the snapshot, its problems when it located every one,
/// or what the tree loader needs to be told.
fn streamed(
    reader: impl Read + Send,
    size: u64,
    origin: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> std::result::Result<Result<Loaded>, Fallback> {
    match stream::load(reader, size, progress) {
        Ok((snapshot, sha256)) => Ok(Ok(Loaded { snapshot, sha256 })),
        Err(Fallback::Located(problems)) => Ok(Err(Error::Invalid {
            origin: origin.to_owned(),
            problems,
        })),
        Err(fallback) => Err(fallback),
    }
}

/// Reads and validates a snapshot file with no memory budget.
pub fn load(path: &Path) -> Result<Loaded> {
    load_from(&Source::from(path), &LoadOptions::default(), &mut |_, _| {})
}

/// Reads and validates a snapshot within `options`, reporting (bytes read, size) as it
/// goes: by the streaming loader when it can, by the tree loader when it must.
pub fn load_from(
    source: &Source,
    options: &LoadOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Loaded> {
    let path = match source {
        Source::Bytes { origin, bytes } => return parse_within(bytes, origin, options, progress),
        Source::Path(path) => path,
    };
    let origin = path.display().to_string();
    let read_error = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let metadata = file.metadata().map_err(read_error)?;
    if !metadata.is_file() {
        // A pipe or a device can be read only once, and its size is not known ahead.
        let bytes = read_all(&file, &origin, options, progress)?;
        return parse_within(&bytes, &origin, options, progress);
    }
    let size = metadata.len();
    within_limit(size, &origin, options)?;
    fits(size, STREAM_BYTES_PER_BYTE, "load", &origin, options)?;
    match streamed(limited(&file, options), size, &origin, progress) {
        Ok(verdict) => verdict,
        Err(Fallback::Io(source)) => Err(read_error(source)),
        // Anything unusual: the tree loader reports every problem. The same open file is
        // read again from its start, never the path a second time.
        Err(fallback) => {
            tree_fits(size, &origin, options, fallback)?;
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            file.seek(SeekFrom::Start(0))
                .and_then(|_| limited(&file, options).read_to_end(&mut bytes))
                .map_err(read_error)?;
            parse_tree(&bytes, &origin)
        }
    }
}

/// Reads a file that is not a snapshot but carries one (a policy case, `what`), once and
/// whole, within the size limit and the memory budget of `options`.
pub fn read_within(path: &Path, what: &'static str, options: &LoadOptions) -> Result<Vec<u8>> {
    let origin = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    read_all(&file, &origin, options, &mut |_, _| {}).map_err(|e| match e {
        Error::OverLimit {
            path, limit, flag, ..
        } => Error::OverLimit {
            path,
            what,
            limit,
            flag,
        },
        e => e,
    })
}

/// Memory bytes read into memory need per byte: themselves, and the streaming loader.
const IN_MEMORY_BYTES_PER_BYTE: f64 = 1.0 + STREAM_BYTES_PER_BYTE;

/// Reads a stream to its end, stopping as soon as what was read no longer fits the
/// memory or passes the size limit: a stream with no end is never read past the limit.
fn read_all(
    mut reader: impl Read,
    origin: &str,
    options: &LoadOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut chunk = vec![0; 1 << 20];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(source) => {
                return Err(Error::Read {
                    path: PathBuf::from(origin),
                    source,
                });
            }
        };
        // Checked before the bytes are kept, so memory never holds more than the limit.
        let read = bytes.len() as u64 + n as u64;
        within_limit(read, origin, options)?;
        bytes.extend_from_slice(&chunk[..n]);
        fits(
            read,
            IN_MEMORY_BYTES_PER_BYTE,
            "read into memory and load",
            origin,
            options,
        )?;
        // The size of a stream is known only at its end.
        progress(read, read);
    }
}

/// Bytes already in memory, within the budget: streaming first, the tree if it must.
fn parse_within(
    bytes: &[u8],
    origin: &str,
    options: &LoadOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Loaded> {
    let size = bytes.len() as u64;
    within_limit(size, origin, options)?;
    fits(size, STREAM_BYTES_PER_BYTE, "load", origin, options)?;
    match streamed(bytes, size, origin, progress) {
        Ok(verdict) => verdict,
        Err(fallback) => {
            tree_fits(size, origin, options, fallback)?;
            parse_tree(bytes, origin)
        }
    }
}

/// Parses and validates snapshot bytes with no memory budget; `origin` names them in
/// errors.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Loaded> {
    parse_within(bytes, origin, &LoadOptions::default(), &mut |_, _| {})
}

/// The streaming loader alone: `None` when it would hand the bytes to the tree loader.
/// For tests (and the fuzz target) that prove the two loaders agree.
#[cfg(any(test, fuzzing))]
pub fn parse_streaming(bytes: &[u8]) -> Option<Loaded> {
    stream::load(bytes, bytes.len() as u64, &mut |_, _| {})
        .ok()
        .map(|(snapshot, sha256)| Loaded { snapshot, sha256 })
}

/// The streaming loader's own verdict: the snapshot, or its refusal with every problem
/// located; `None` when it hands the bytes to the tree loader. For tests that prove it
/// locates problems itself.
#[cfg(test)]
pub fn stream_verdict(bytes: &[u8], origin: &str) -> Option<Result<Loaded>> {
    streamed(bytes, bytes.len() as u64, origin, &mut |_, _| {}).ok()
}

/// The tree loader alone (a tree of the whole document, every problem reported).
/// A UTF-8 byte-order mark is accepted (RFC 8259 lets parsers ignore it); the digest
/// still covers the bytes as they are.
pub fn parse_tree(bytes: &[u8], origin: &str) -> Result<Loaded> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let snapshot = tree::parse(text, origin)?;
    Ok(Loaded {
        snapshot,
        sha256: sha256_hex(bytes),
    })
}
