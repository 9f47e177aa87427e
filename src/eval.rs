//! One evaluation end to end: snapshot and pack in, decisions document out.

use std::path::Path;

use crate::decision::{totals, Document, Inputs};
use crate::facts::Facts;
use crate::host::{Host, RHAI_VERSION};
use crate::limits::Limits;
use crate::snapshot;
use crate::Result;

/// Format version of the decisions document (`schemas/decisions.schema.json`).
pub const DOCUMENT_FORMAT: u32 = 2;

/// A finished evaluation: the document, plus what scripts printed (for stderr).
pub struct Evaluation {
    pub document: Document,
    pub log: Vec<String>,
}

/// Evaluates the pack in `policies` against the snapshot at `snapshot_path`.
pub fn evaluate(snapshot_path: &Path, policies: &Path, limits: Limits) -> Result<Evaluation> {
    evaluate_with_progress(snapshot_path, policies, limits, &mut |_, _| {})
}

/// Like [`evaluate`], reporting (bytes read, snapshot size) while loading.
pub fn evaluate_with_progress(
    snapshot_path: &Path,
    policies: &Path,
    limits: Limits,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Evaluation> {
    // Policies first: a broken pack is reported before a large snapshot is read.
    let (host, pack) = Host::open(policies, limits)?;
    let loaded = snapshot::load_with_progress(snapshot_path, progress)?;
    evaluate_loaded(&host, &pack, loaded)
}

/// Evaluates an already loaded snapshot with an already loaded pack.
pub fn evaluate_loaded(
    host: &Host,
    pack: &crate::host::Pack,
    loaded: snapshot::Loaded,
) -> Result<Evaluation> {
    let snapshot::Loaded { snapshot, sha256 } = loaded;
    let sprint = snapshot.sprint.id.clone();
    let org = snapshot.org.clone();
    let currency = snapshot.currency.clone();
    let facts = Facts::new(snapshot);
    let (decisions, log) = host.evaluate(pack, &facts)?;
    let document = Document {
        engine: format!("bursar {}", crate::ENGINE_VERSION),
        rhai: RHAI_VERSION.to_owned(),
        format: DOCUMENT_FORMAT,
        sprint,
        org,
        currency,
        inputs: Inputs {
            snapshot_sha256: sha256,
            pack_sha256: pack.sha256(),
            policies: pack.records(),
            modules: pack.module_records(),
        },
        limits: host.limits(),
        totals: totals(&decisions),
        decisions,
    };
    Ok(Evaluation { document, log })
}
