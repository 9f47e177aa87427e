//! The sprint snapshot: its typed model, and loading it with every problem reported at once.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::instant::Instant;
use crate::runs::RunTable;
use crate::{Error, Result};

/// Most problems listed for one input; past this the rest are counted, not listed.
pub const MAX_PROBLEMS: usize = 200;

#[derive(Debug, Clone, Deserialize)]
pub struct Sprint {
    pub id: String,
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Squad {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub headcount: u64,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExplorationBudget {
    pub squad: String,
    pub baseline_tokens: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Budgets {
    pub central_tokens: u64,
    pub exploration: Vec<ExplorationBudget>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TopupStatus {
    Requested,
    Granted,
}

impl TopupStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Granted => "granted",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Topup {
    pub id: String,
    pub squad: String,
    pub tokens: u64,
    pub status: TopupStatus,
    pub reason: Option<String>,
    pub justification: Option<String>,
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CatalogStatus {
    Standard,
    Deprecated,
}

impl CatalogStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Deprecated => "deprecated",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CatalogEntry {
    pub workflow: String,
    pub variant: String,
    pub status: CatalogStatus,
    #[serde(default)]
    pub origin_squad: Option<String>,
    #[serde(default)]
    pub promoted_in: Option<String>,
}

impl CatalogEntry {
    pub fn key(&self) -> String {
        variant_key(&self.workflow, &self.variant)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pool {
    Central = 0,
    Exploration = 1,
}

impl Pool {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Central => "central",
            Self::Exploration => "exploration",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success = 0,
    Failure = 1,
    Abandoned = 2,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Abandoned => "abandoned",
        }
    }
}

/// Runs pre-aggregated in a warehouse: one row per (squad, workflow, variant, pool, outcome).
#[derive(Debug, Clone, Deserialize)]
pub struct RunGroup {
    pub squad: String,
    pub workflow: Option<String>,
    pub variant: Option<String>,
    pub pool: Pool,
    pub outcome: Outcome,
    pub count: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_micros: i64,
    pub first_started_at: String,
    pub first_run_id: String,
    #[serde(skip)]
    pub first_started: Instant,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Snapshot {
    pub schema_version: u32,
    #[serde(default)]
    pub org: Option<String>,
    pub sprint: Sprint,
    #[serde(default = "default_currency")]
    pub currency: String,
    pub squads: Vec<Squad>,
    pub budgets: Budgets,
    #[serde(default)]
    pub topups: Vec<Topup>,
    #[serde(default)]
    pub catalog: Vec<CatalogEntry>,
    /// Filled by the loader, streamed into columns.
    #[serde(skip)]
    pub runs: RunTable,
    #[serde(default)]
    pub run_groups: Vec<RunGroup>,
}

fn default_currency() -> String {
    "USD".to_owned()
}

/// `"<workflow>/<variant>"`: names never contain `/`, so keys never collide.
pub fn variant_key(workflow: &str, variant: &str) -> String {
    format!("{workflow}/{variant}")
}

/// A snapshot with the digest of the exact bytes it was read from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub snapshot: Snapshot,
    pub sha256: String,
}

pub use crate::digest::sha256_hex;

/// Reads and validates a snapshot file, streaming its runs into columns.
pub fn load(path: &Path) -> Result<Loaded> {
    load_with_progress(path, &mut |_, _| {})
}

/// Like [`load`], reporting (bytes read, file size) as it goes.
pub fn load_with_progress(path: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<Loaded> {
    let read_error = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    let origin = path.display().to_string();
    let fits = |bytes_per_byte: f64, what: &'static str| match available_memory() {
        Some(available) if size as f64 * bytes_per_byte > available as f64 => {
            Err(Error::TooLarge {
                path: path.to_owned(),
                what,
                needed: (size as f64 * bytes_per_byte) as u64,
                available,
            })
        }
        _ => Ok(()),
    };
    fits(STREAM_BYTES_PER_BYTE, "load")?;
    match crate::stream::load(file, size, progress) {
        Ok((snapshot, sha256)) => Ok(Loaded { snapshot, sha256 }),
        Err(crate::stream::Fallback::Io(source)) => Err(read_error(source)),
        // Anything unusual: take the complete path, which reports every problem.
        Err(crate::stream::Fallback::Unusual) => {
            fits(TREE_BYTES_PER_BYTE, "check in full (it is not a valid snapshot, and listing every problem takes a tree of the whole document)")?;
            let bytes = std::fs::read(path).map_err(read_error)?;
            parse_tree(&bytes, &origin)
        }
    }
}

/// Memory the streaming loader needs per byte of snapshot (measured: ~90 MB for a
/// 230 MB, million-run file), with headroom.
const STREAM_BYTES_PER_BYTE: f64 = 0.6;

/// Memory the complete path needs per byte: the file plus a `serde_json::Value` tree
/// (measured: ~1.6 GB for a 230 MB file), with headroom.
const TREE_BYTES_PER_BYTE: f64 = 8.0;

/// Memory the system can still give us, where it says (Linux `MemAvailable`), capped by
/// `BURSAR_MAX_MEMORY_MB` when set (for CI runners with less than the machine has).
fn available_memory() -> Option<u64> {
    let cap = std::env::var("BURSAR_MAX_MEMORY_MB")
        .ok()
        .and_then(|mb| mb.trim().parse::<u64>().ok())
        .map(|mb| mb << 20);
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

/// Parses and validates snapshot bytes; `origin` names them in errors.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Loaded> {
    let sha256 = sha256_hex(bytes);
    match crate::stream::load(bytes, bytes.len() as u64, &mut |_, _| {}) {
        Ok((snapshot, _)) => Ok(Loaded { snapshot, sha256 }),
        Err(_) => parse_tree(bytes, origin),
    }
}
/// The streaming path alone: `None` when it would hand the bytes to the complete path.
/// For tests that prove the two paths agree.
pub fn parse_streaming(bytes: &[u8]) -> Option<Loaded> {
    crate::stream::load(bytes, bytes.len() as u64, &mut |_, _| {})
        .ok()
        .map(|(snapshot, sha256)| Loaded { snapshot, sha256 })
}

/// The complete path alone (a tree of the whole document, every problem reported).
/// A UTF-8 byte-order mark is accepted (RFC 8259 lets parsers ignore it); the digest
/// still covers the bytes as they are.
pub fn parse_tree(bytes: &[u8], origin: &str) -> Result<Loaded> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let snapshot = crate::dom::parse(text, origin)?;
    Ok(Loaded {
        snapshot,
        sha256: sha256_hex(bytes),
    })
}

/// Squad id → baseline tokens, for the squads that have a budget entry.
pub fn baselines(snapshot: &Snapshot) -> BTreeMap<&str, u64> {
    snapshot
        .budgets
        .exploration
        .iter()
        .map(|b| (b.squad.as_str(), b.baseline_tokens))
        .collect()
}
