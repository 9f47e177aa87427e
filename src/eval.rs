//! One evaluation end to end: snapshot and pack in, decisions document out.

use std::path::Path;

use crate::decision::{totals, Document, Inputs};
use crate::facts::Facts;
use crate::host::{Host, RHAI_VERSION};
use crate::limits::Limits;
use crate::snapshot::{self, LoadOptions, Source};
use crate::Result;

/// Format version of the decisions document (`schemas/decisions.schema.json`).
pub const DOCUMENT_FORMAT: u32 = 2;

/// A finished evaluation: the document, plus what scripts printed (for stderr).
pub struct Evaluation {
    pub document: Document,
    pub log: Vec<String>,
}

/// Evaluates the pack in `policies` against the snapshot at `snapshot_path`, with no
/// memory budget for loading it.
pub fn evaluate(snapshot_path: &Path, policies: &Path, limits: Limits) -> Result<Evaluation> {
    let source = Source::from(snapshot_path);
    evaluate_with_progress(
        &source,
        policies,
        limits,
        &LoadOptions::default(),
        &mut |_, _| {},
    )
}

/// Like [`evaluate`], for any source of snapshot, loaded within `load`, reporting (bytes
/// read, snapshot size) while loading.
pub fn evaluate_with_progress(
    snapshot: &Source,
    policies: &Path,
    limits: Limits,
    load: &LoadOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Evaluation> {
    // Policies first: a broken pack is reported before a large snapshot is read.
    let (host, pack) = Host::open(policies, limits)?;
    let loaded = snapshot::load_from(snapshot, &load.within(&limits), progress)?;
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
