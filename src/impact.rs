//! Impact of a policy change: two packs evaluated on the same snapshots, their decisions
//! compared by (policy, subject), so governance sees what a change does before merging it.
//! This is the report model and how it is run; the comparison is `compare`, the threads
//! are `parallel`, and the text and JSON views are `render::impact`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::Error;
use crate::audit::compare::{Diff, diff};
use crate::decision::ModuleRecord;
use crate::host::{Host, Pack, PackSource};
use crate::limits::Limits;
use crate::parallel::{self, Evaluate};
use crate::snapshot::{self, LoadOptions, Loaded, Source};

/// Format version of the impact report (`bursar impact --format json`).
/// 2: each pack also records its `pack_sha256` and its modules.
pub const REPORT_FORMAT: u32 = 2;

/// Which of the two packs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    New,
    Old,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Old => "old",
        }
    }
}

/// One snapshot's comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotImpact {
    /// The path as given.
    pub path: String,
    /// The snapshot's sprint id.
    pub sprint: String,
    /// The SHA-256 of the snapshot's bytes.
    pub snapshot_sha256: String,
    /// What differs between the two packs' decisions on it.
    #[serde(flatten)]
    pub diff: Diff,
}

/// A policy file of a pack, with its digest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyDigest {
    pub name: String,
    pub file: String,
    pub sha256: String,
}

/// A pack as the report names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackInfo {
    pub dir: String,
    /// The whole pack's digest (policies and modules), as in a decisions document.
    pub pack_sha256: String,
    pub policies: Vec<PolicyDigest>,
    /// Modules in the pack's sub-folders: a change to one alone changes decisions too.
    pub modules: Vec<ModuleRecord>,
}

impl PackInfo {
    pub fn of(pack: &Pack) -> Self {
        Self {
            dir: pack.dir.display().to_string(),
            pack_sha256: pack.sha256(),
            policies: pack
                .records()
                .into_iter()
                .map(|r| PolicyDigest {
                    name: r.name,
                    file: r.file,
                    sha256: r.sha256,
                })
                .collect(),
            modules: pack.module_records(),
        }
    }
}

/// Counts over every snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub snapshots: usize,
    /// Snapshots with at least one listed difference.
    pub snapshots_changed: usize,
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_changed: Option<usize>,
    pub unchanged: usize,
}

/// The whole output of `bursar impact`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The engine version that wrote it.
    pub engine: String,
    /// The report's format version.
    pub format: u32,
    /// The new pack.
    pub new: PackInfo,
    /// The old pack, compared against.
    pub old: PackInfo,
    /// The limits both packs ran within.
    pub limits: Limits,
    /// Whether decisions that changed only in their values are listed.
    pub details: bool,
    /// Counts over every snapshot.
    pub totals: Totals,
    /// In the order the snapshots were given.
    pub snapshots: Vec<SnapshotImpact>,
}

impl Report {
    /// The report of these packs and snapshots, its totals counted.
    pub(crate) fn new(
        new: PackInfo,
        old: PackInfo,
        limits: Limits,
        details: bool,
        snapshots: Vec<SnapshotImpact>,
    ) -> Self {
        let mut totals = Totals {
            snapshots: snapshots.len(),
            values_changed: Some(0),
            ..Totals::default()
        };
        for s in &snapshots {
            let d = &s.diff;
            totals.snapshots_changed += usize::from(!d.is_empty());
            totals.changed += d.changed.len();
            totals.added += d.added.len();
            totals.removed += d.removed.len();
            if let (Some(total), Some(list)) = (&mut totals.values_changed, &d.values_changed) {
                *total += list.len();
            }
            totals.unchanged += d.unchanged;
        }
        Self {
            engine: format!("bursar {}", crate::ENGINE_VERSION),
            format: REPORT_FORMAT,
            new,
            old,
            limits,
            details,
            totals,
            snapshots,
        }
    }

    /// True when any snapshot has a listed difference.
    pub fn has_differences(&self) -> bool {
        self.totals.snapshots_changed > 0
    }
}

/// How to run a comparison.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The limits both packs run within.
    pub limits: Limits,
    /// What loading each snapshot may use (the memory budget).
    pub load: LoadOptions,
    /// Worker threads; each compiles both packs once.
    pub jobs: usize,
    /// List decisions that changed only in their values.
    pub details: bool,
}

/// A finished comparison, plus what scripts printed (for stderr), in snapshot order.
pub struct Impact {
    /// The comparison.
    pub report: Report,
    /// What the policies printed, snapshot by snapshot.
    pub log: Vec<String>,
}

/// Why a comparison stopped: the error, and where it happened when it came from a
/// snapshot (which snapshot, and which pack when a policy failed on it).
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub error: Error,
    /// The snapshot it happened on, if any.
    pub snapshot: Option<PathBuf>,
    /// The pack it happened with, if a policy failed.
    pub side: Option<Side>,
}

/// Compiles one pack from the bytes read once: the one place a pack is built, for the
/// report's digests and for each worker, so every worker compiles what the report's
/// digests describe, whatever happens on disk meanwhile.
fn build(source: &PackSource, limits: Limits) -> crate::Result<(Host, Pack)> {
    let host = Host::new(source, limits);
    let pack = host.load_pack()?;
    Ok((host, pack))
}

/// Evaluates every snapshot with both packs and compares the decisions.
///
/// Each snapshot is read once and evaluated with each pack, on `options.jobs` workers
/// (see `parallel`); results are in the order given, and the failure reported is that of
/// the earliest failing snapshot in that order, so the outcome is that of `jobs: 1`.
/// `progress` is called on this thread with (snapshots done, snapshots). Each policy's
/// memory budget counts only its own thread's allocations, so workers do not charge each
/// other.
pub fn run(
    new_dir: &Path,
    old_dir: &Path,
    snapshots: &[Source],
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Impact, Box<Failure>> {
    let new = PackSource::read(new_dir, &options.limits);
    let old = PackSource::read(old_dir, &options.limits);
    run_read(new, old, snapshots, options, progress)
}

/// Like [`run`], with the packs already read (or the error reading each): the old pack
/// may come from elsewhere than a folder, such as a revision in git.
pub fn run_read(
    new: crate::Result<PackSource>,
    old: crate::Result<PackSource>,
    snapshots: &[Source],
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Impact, Box<Failure>> {
    let failure = |snapshot: Option<usize>, side, error| {
        Box::new(Failure {
            error,
            snapshot: snapshot.map(|i| PathBuf::from(snapshots[i].origin())),
            side,
        })
    };
    // Read once and compiled here first: a broken pack is reported before any snapshot is
    // read, as by `eval`, and the report needs the packs' digests. Workers compile their
    // own from the same bytes (the host is not `Send`), a few milliseconds each.
    let new_pack = new.map_err(|e| failure(None, Some(Side::New), e))?;
    let old_pack = old.map_err(|e| failure(None, Some(Side::Old), e))?;
    let new_info = build(&new_pack, options.limits)
        .map(|(_, pack)| PackInfo::of(&pack))
        .map_err(|e| failure(None, Some(Side::New), e))?;
    let old_info = build(&old_pack, options.limits)
        .map(|(_, pack)| PackInfo::of(&pack))
        .map_err(|e| failure(None, Some(Side::Old), e))?;

    let total = snapshots.len();
    let mut impacts = Vec::with_capacity(total);
    let mut log = Vec::new();
    progress(0, total);
    let task = BothPacks {
        new_pack: &new_pack,
        old_pack: &old_pack,
        options,
    };
    parallel::run(&task, snapshots, options.jobs, &mut |i, compared| {
        impacts.push(compared.impact);
        log.extend(compared.log);
        progress(i + 1, total);
    })
    .map_err(|f| match f {
        parallel::Failure::Worker((side, error)) => failure(None, Some(side), error),
        parallel::Failure::Load { index, error } => failure(Some(index), None, error),
        parallel::Failure::Evaluate {
            index,
            error: (side, error),
        } => failure(Some(index), Some(side), error),
    })?;
    Ok(Impact {
        report: Report::new(new_info, old_info, options.limits, options.details, impacts),
        log,
    })
}

/// What each worker does: compile both packs once, then compare snapshot by snapshot.
struct BothPacks<'a> {
    new_pack: &'a PackSource,
    old_pack: &'a PackSource,
    options: &'a Options,
}

/// A worker's compiled packs.
struct Packs {
    new: (Host, Pack),
    old: (Host, Pack),
}

/// One snapshot, compared.
struct Compared {
    impact: SnapshotImpact,
    log: Vec<String>,
}

impl Evaluate for BothPacks<'_> {
    type Worker = Packs;
    type Output = Compared;
    type Error = (Side, Error);

    fn worker(&self) -> Result<Packs, (Side, Error)> {
        let limits = self.options.limits;
        Ok(Packs {
            new: build(self.new_pack, limits).map_err(|e| (Side::New, e))?,
            old: build(self.old_pack, limits).map_err(|e| (Side::Old, e))?,
        })
    }

    fn load(&self, source: &Source) -> crate::Result<Loaded> {
        let load = self.options.load.within(&self.options.limits);
        snapshot::load_from(source, &load, &mut |_, _| {})
    }

    fn evaluate(
        &self,
        packs: &Packs,
        source: &Source,
        loaded: Loaded,
    ) -> Result<Compared, (Side, Error)> {
        // `evaluate_loaded` consumes the snapshot: the old pack gets a copy (columns, no
        // re-read), the new pack the original.
        let evaluate = |side: Side, (host, pack): &(Host, Pack), loaded| {
            crate::eval::evaluate_loaded(host, pack, loaded).map_err(|e| (side, e))
        };
        let old_eval = evaluate(Side::Old, &packs.old, loaded.clone())?;
        let new_eval = evaluate(Side::New, &packs.new, loaded)?;
        let shown = source.origin();
        let mut log = Vec::new();
        for (side, lines) in [(Side::Old, &old_eval.log), (Side::New, &new_eval.log)] {
            for line in lines {
                log.push(format!("{shown}: {} pack: {line}", side.as_str()));
            }
        }
        let (old_doc, new_doc) = (old_eval.document, new_eval.document);
        Ok(Compared {
            impact: SnapshotImpact {
                path: shown,
                sprint: new_doc.sprint,
                snapshot_sha256: new_doc.inputs.snapshot_sha256,
                diff: diff(&old_doc.decisions, &new_doc.decisions, self.options.details),
            },
            log,
        })
    }
}
