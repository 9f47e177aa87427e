//! Running trends: every snapshot evaluated with the pack on worker threads, each reduced
//! to its [`Sample`] as soon as it is evaluated, then the series put in sprint order and
//! analysed. Memory is bounded by the snapshots in flight plus one small sample per sprint.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::host::{Host, Pack, PackSource};
use crate::limits::Limits;
use crate::parallel::{self, Evaluate};
use crate::snapshot::{self, LoadOptions, Loaded, Source};

use super::model::Report;
use super::sample::Sample;

/// How to run trends.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The limits each sprint is evaluated within.
    pub limits: Limits,
    /// What loading each snapshot may use (the memory budget).
    pub load: LoadOptions,
    /// Worker threads; each compiles the pack once.
    pub jobs: usize,
}

/// A finished analysis, plus what scripts printed (for stderr), in sprint order.
pub struct Trends {
    /// The analysis.
    pub report: Report,
    /// What the policies printed, sprint by sprint.
    pub log: Vec<String>,
}

/// Why trends stopped.
#[derive(Debug)]
pub enum Failure {
    /// Reading the pack or a snapshot, or evaluating one, failed; `snapshot` names the
    /// snapshot when it happened on one.
    Evaluate {
        error: Error,
        snapshot: Option<PathBuf>,
    },
    /// The snapshots do not form a series (two of the same sprint, or on the same dates).
    Series(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Evaluate { error, .. } => error.fmt(f),
            Self::Series(message) => f.write_str(message),
        }
    }
}

/// Evaluates every snapshot with the pack in `policies` and analyses the series.
///
/// Snapshots may come in any order: the series is ordered by sprint dates. The failure
/// reported is that of the earliest failing snapshot in the order given, as in `impact`.
pub fn run(
    policies: &Path,
    snapshots: &[Source],
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Trends, Box<Failure>> {
    run_with_packs(policies, &[], snapshots, options, progress)
}

/// Like [`run`], with the packs that came into force during the series: `later` holds
/// (first day, folder), the day as [`crate::instant::parse_date`] counts it. A sprint is
/// evaluated with the pack of the latest day on or before its start, else `policies`,
/// so the report shows whether, and where, the rules moved.
pub fn run_with_packs(
    policies: &Path,
    later: &[(i64, PathBuf)],
    snapshots: &[Source],
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Trends, Box<Failure>> {
    let failure = |snapshot: Option<usize>, error| {
        Box::new(Failure::Evaluate {
            error,
            snapshot: snapshot.map(|i| PathBuf::from(snapshots[i].origin())),
        })
    };
    // Read and compiled here first: a broken pack is reported before any snapshot is read.
    let mut later: Vec<&(i64, PathBuf)> = later.iter().collect();
    later.sort_by_key(|(day, _)| *day);
    let mut packs = vec![(
        i64::MIN,
        read_pack(policies, options.limits).map_err(|e| failure(None, e))?,
    )];
    for (day, dir) in later {
        packs.push((
            *day,
            read_pack(dir, options.limits).map_err(|e| failure(None, e))?,
        ));
    }

    let total = snapshots.len();
    let mut samples = Vec::with_capacity(total);
    let mut logs = Vec::with_capacity(total);
    progress(0, total);
    let task = InForce {
        packs: &packs,
        options,
    };
    parallel::run(&task, snapshots, options.jobs, &mut |i, (sample, log)| {
        samples.push(sample);
        logs.push(log);
        progress(i + 1, total);
    })
    .map_err(|f| match f {
        parallel::Failure::Worker(error) => failure(None, error),
        parallel::Failure::Load { index, error } | parallel::Failure::Evaluate { index, error } => {
            failure(Some(index), error)
        }
    })?;
    let order = super::series::order(&samples).map_err(|m| Box::new(Failure::Series(m)))?;
    let log = order
        .iter()
        .flat_map(|&i| logs[i].iter().cloned())
        .collect();
    let mut slots: Vec<Option<Sample>> = samples.into_iter().map(Some).collect();
    let samples: Vec<Sample> = order.iter().filter_map(|&i| slots[i].take()).collect();
    Ok(Trends {
        report: super::analysis::analyse(&samples, options.limits),
        log,
    })
}

fn build(source: &PackSource, limits: Limits) -> crate::Result<(Host, Pack)> {
    let host = Host::new(source, limits);
    let pack = host.load_pack()?;
    Ok((host, pack))
}

/// Reads a pack once and compiles it, so a broken one is reported before any snapshot.
fn read_pack(dir: &Path, limits: Limits) -> crate::Result<PackSource> {
    let source = PackSource::read(dir, &limits)?;
    build(&source, limits)?;
    Ok(source)
}

/// What each worker does: compile the packs once, then evaluate each snapshot with the
/// pack in force when its sprint started, and sample it.
struct InForce<'a> {
    /// (first day in force, pack), by day; the first from the start of time.
    packs: &'a [(i64, PackSource)],
    options: &'a Options,
}

impl Evaluate for InForce<'_> {
    type Worker = Vec<(Host, Pack)>;
    type Output = (Sample, Vec<String>);
    type Error = Error;

    fn worker(&self) -> Result<Vec<(Host, Pack)>, Error> {
        self.packs
            .iter()
            .map(|(_, source)| build(source, self.options.limits))
            .collect()
    }

    fn load(&self, source: &Source) -> crate::Result<Loaded> {
        snapshot::load_from(source, &self.options.load, &mut |_, _| {})
    }

    fn evaluate(
        &self,
        compiled: &Vec<(Host, Pack)>,
        source: &Source,
        loaded: Loaded,
    ) -> Result<(Sample, Vec<String>), Error> {
        let shown = source.origin();
        // The loaders refuse a start that is not a calendar date.
        let start = crate::instant::parse_date(&loaded.snapshot.sprint.start).unwrap_or(i64::MIN);
        let in_force = self.packs.partition_point(|(day, _)| *day <= start);
        let (host, pack) = &compiled[in_force.saturating_sub(1)];
        // Sampled before the pack consumes the snapshot; the document is dropped once read.
        let mut sample = Sample::of_snapshot(shown.clone(), &loaded.snapshot);
        let evaluation = crate::eval::evaluate_loaded(host, pack, loaded)?;
        sample.take_decisions(&evaluation.document);
        let log = evaluation
            .log
            .iter()
            .map(|line| format!("{shown}: {line}"))
            .collect();
        Ok((sample, log))
    }
}
