//! One evaluation end to end: snapshot and pack in, decisions document out.

use std::path::Path;

use crate::Result;
use crate::decision::{Document, Inputs, Warning, totals};
use crate::exceptions::Exceptions;
use crate::facts::Facts;
use crate::host::{Host, RHAI_VERSION};
use crate::limits::Limits;
use crate::snapshot::{self, LoadOptions, Source};

/// Format version of the decisions document (`schemas/decisions.schema.json`).
pub const DOCUMENT_FORMAT: u32 = 4;

/// A finished evaluation: the document, plus what scripts printed (for stderr).
pub struct Evaluation {
    /// The decisions document, as `eval` writes it.
    pub document: Document,
    /// What the policies printed (`print`, `debug`), in order.
    pub log: Vec<String>,
    /// Runs that started outside the sprint (also the document's warnings), with their
    /// pointers, for a caller that refuses them.
    pub outside: Vec<crate::problem::Problem>,
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
        &Exceptions::none(),
        &mut |_, _| {},
    )
}

/// Like [`evaluate`], for any source of snapshot, loaded within `load`, with `exceptions`
/// applied, reporting (bytes read, snapshot size) while loading.
pub fn evaluate_with_progress(
    snapshot: &Source,
    policies: &Path,
    limits: Limits,
    load: &LoadOptions,
    exceptions: &Exceptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Evaluation> {
    // Policies first: a broken pack is reported before a large snapshot is read.
    let (host, pack) = Host::open(policies, limits)?;
    let loaded = snapshot::load_from(snapshot, &load.within(&limits), progress)?;
    evaluate_loaded_with(&host, &pack, loaded, exceptions)
}

/// Evaluates an already loaded snapshot with an already loaded pack, without exceptions.
pub fn evaluate_loaded(
    host: &Host,
    pack: &crate::host::Pack,
    loaded: snapshot::Loaded,
) -> Result<Evaluation> {
    evaluate_loaded_with(host, pack, loaded, &Exceptions::none())
}

/// The code of a warning about a run that started outside its sprint.
pub const RUN_OUTSIDE_SPRINT: &str = "run-outside-sprint";

/// Runs outside the sprint as the document's warnings (handbook v1.1): after the
/// exceptions', in document order.
fn outside_warnings(outside: &[snapshot::outside::Outside]) -> impl Iterator<Item = Warning> + '_ {
    outside.iter().map(|o| Warning {
        code: RUN_OUTSIDE_SPRINT.to_owned(),
        run: o.run.clone(),
        message: o.message.clone(),
        ..Warning::default()
    })
}

/// Evaluates an already loaded snapshot with an already loaded pack, applying the
/// exceptions that hold for its sprint; those that do not are the document's warnings.
pub fn evaluate_loaded_with(
    host: &Host,
    pack: &crate::host::Pack,
    loaded: snapshot::Loaded,
    exceptions: &Exceptions,
) -> Result<Evaluation> {
    let snapshot::Loaded { snapshot, sha256 } = loaded;
    let sprint = snapshot.sprint.id.clone();
    let org = snapshot.org.clone();
    let currency = snapshot.currency.clone();
    let declared: Vec<(&str, Option<&[String]>)> = pack
        .policies
        .iter()
        .map(|p| (p.name.as_str(), p.outcomes.as_deref()))
        .collect();
    let mut plan = exceptions.plan(&declared, &snapshot.sprint.start)?;
    let outside = snapshot::outside::runs_outside(&snapshot);
    let facts = Facts::new(snapshot);
    let (decisions, log) = host.evaluate(pack, &facts, &mut plan)?;
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
            exceptions_sha256: exceptions.sha256.clone(),
        },
        limits: host.limits(),
        totals: totals(&decisions),
        decisions,
        warnings: plan
            .finish()
            .into_iter()
            .chain(outside_warnings(&outside))
            .collect(),
    };
    Ok(Evaluation {
        document,
        log,
        outside: snapshot::outside::problems(&outside),
    })
}
