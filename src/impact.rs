//! Impact of a policy change: two packs evaluated on the same snapshots, their decisions
//! compared by (policy, subject), so governance sees what a change does before merging it.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::mpsc;

use serde::Serialize;
use serde_json::Value;

use crate::decision::{Decision, Severity};
use crate::host::{Host, Pack, PackSource};
use crate::limits::Limits;
use crate::snapshot::{self, LoadOptions, Source};
use crate::Error;

/// Format version of the impact report (`bursar impact --format json`).
pub const REPORT_FORMAT: u32 = 1;

/// Stack for each worker: policies recurse as deep as `--max-call-levels` allows, so a
/// worker needs the same room as the binary's main worker thread (`STACK_BYTES` there).
const WORKER_STACK_BYTES: usize = 256 << 20;

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

/// What a decision concluded, and its one-line why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub outcome: String,
    pub severity: Severity,
    pub summary: String,
}

impl Verdict {
    fn of(d: &Decision) -> Self {
        Self {
            outcome: d.outcome.clone(),
            severity: d.severity,
            summary: d.explanation.summary.clone(),
        }
    }
}

/// One value a policy recorded that differs between the packs; absent on one side when
/// only the other recorded it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueChange {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// A decision both packs made about the same subject, with a different conclusion (or,
/// under `details`, the same conclusion from different values).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub policy: String,
    pub subject: String,
    pub old: Verdict,
    pub new: Verdict,
    /// Filled only when details were asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueChange>,
}

/// A decision only one of the packs made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lone {
    pub policy: String,
    pub subject: String,
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl Lone {
    fn of(d: &Decision) -> Self {
        Self {
            policy: d.policy.clone(),
            subject: d.subject.clone(),
            verdict: Verdict::of(d),
        }
    }
}

/// The differences between two decision lists, each list sorted by (policy, subject).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diff {
    /// Outcome or severity differs.
    pub changed: Vec<Change>,
    /// Only the new pack decided it.
    pub added: Vec<Lone>,
    /// Only the old pack decided it.
    pub removed: Vec<Lone>,
    /// Same outcome and severity, different values; `None` unless details were asked for
    /// (an empty list means "looked, found none").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_changed: Option<Vec<Change>>,
    /// Decisions in both packs that are not listed above.
    pub unchanged: usize,
}

impl Diff {
    /// True when nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.values_changed.as_ref().is_none_or(Vec::is_empty)
    }
}

/// Compares two decision lists keyed by (policy, subject), which the host keeps unique.
/// Values are compared only with `details`; explanations never are, since a summary or a
/// check's position changes whenever a threshold or a line of the policy moves.
pub fn diff(old: &[Decision], new: &[Decision], details: bool) -> Diff {
    // (old, new) decision for each (policy, subject), in that order.
    type Pair<'a> = (Option<&'a Decision>, Option<&'a Decision>);
    let mut pairs: BTreeMap<(&str, &str), Pair> = BTreeMap::new();
    for d in old {
        pairs.entry((&d.policy, &d.subject)).or_default().0 = Some(d);
    }
    for d in new {
        pairs.entry((&d.policy, &d.subject)).or_default().1 = Some(d);
    }
    let mut out = Diff {
        values_changed: details.then(Vec::new),
        ..Diff::default()
    };
    for ((policy, subject), pair) in pairs {
        match pair {
            (Some(o), Some(n)) => {
                let values = if details {
                    value_changes(o, n)
                } else {
                    Vec::new()
                };
                let change = |values| Change {
                    policy: policy.to_owned(),
                    subject: subject.to_owned(),
                    old: Verdict::of(o),
                    new: Verdict::of(n),
                    values,
                };
                if o.outcome != n.outcome || o.severity != n.severity {
                    out.changed.push(change(values));
                } else if let (false, Some(list)) = (values.is_empty(), &mut out.values_changed) {
                    list.push(change(values));
                } else {
                    out.unchanged += 1;
                }
            }
            (None, Some(n)) => out.added.push(Lone::of(n)),
            (Some(o), None) => out.removed.push(Lone::of(o)),
            (None, None) => unreachable!("every key comes from a decision"),
        }
    }
    out
}

/// The values that differ between two decisions about the same subject, by name.
fn value_changes(old: &Decision, new: &Decision) -> Vec<ValueChange> {
    let mut names: Vec<&String> = old.values.keys().chain(new.values.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let (o, n) = (old.values.get(name), new.values.get(name));
            (o != n).then(|| ValueChange {
                name: name.clone(),
                old: o.cloned(),
                new: n.cloned(),
            })
        })
        .collect()
}

/// One snapshot's comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotImpact {
    /// The path as given.
    pub path: String,
    pub sprint: String,
    pub snapshot_sha256: String,
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
    pub policies: Vec<PolicyDigest>,
}

impl PackInfo {
    pub fn of(pack: &Pack) -> Self {
        Self {
            dir: pack.dir.display().to_string(),
            policies: pack
                .records()
                .into_iter()
                .map(|r| PolicyDigest {
                    name: r.name,
                    file: r.file,
                    sha256: r.sha256,
                })
                .collect(),
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
    pub engine: String,
    pub format: u32,
    pub new: PackInfo,
    pub old: PackInfo,
    pub limits: Limits,
    pub details: bool,
    pub totals: Totals,
    /// In the order the snapshots were given.
    pub snapshots: Vec<SnapshotImpact>,
}

impl Report {
    pub fn new(
        new: PackInfo,
        old: PackInfo,
        limits: Limits,
        details: bool,
        snapshots: Vec<SnapshotImpact>,
    ) -> Self {
        let mut totals = Totals {
            snapshots: snapshots.len(),
            values_changed: details.then_some(0),
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

    /// Pretty JSON with a trailing newline: the same inputs give the same bytes.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("reports serialise");
        text.push('\n');
        text
    }

    /// The human-readable view: which policy files differ, then per snapshot a header
    /// and its differences grouped by policy, then the totals.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "new pack `{}` against `{}`: {}",
            self.new.dir,
            self.old.dir,
            pack_changes(&self.old, &self.new)
        );
        for s in &self.snapshots {
            render_snapshot(&mut out, s);
        }
        let t = &self.totals;
        let _ = write!(
            out,
            "\n{} of {} snapshot{} change{}: {} outcome{} changed, {} added, {} removed",
            t.snapshots_changed,
            t.snapshots,
            plural(t.snapshots),
            // The verb agrees with the noun: "of 1 snapshot changes", "of 40 snapshots change".
            if t.snapshots == 1 { "s" } else { "" },
            t.changed,
            plural(t.changed),
            t.added,
            t.removed
        );
        if let Some(n) = t.values_changed {
            let _ = write!(out, ", {n} with values changed");
        }
        out.push('\n');
        out
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Which policy files differ between the packs, by name and digest.
fn pack_changes(old: &PackInfo, new: &PackInfo) -> String {
    let digests = |p: &PackInfo| -> BTreeMap<String, String> {
        p.policies
            .iter()
            .map(|d| (d.name.clone(), d.sha256.clone()))
            .collect()
    };
    let (old, new) = (digests(old), digests(new));
    let mut parts = Vec::new();
    for (name, sha) in &new {
        match old.get(name) {
            None => parts.push(format!("{name} added")),
            Some(o) if o != sha => parts.push(format!("{name} changed")),
            Some(_) => {}
        }
    }
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        parts.push(format!("{name} removed"));
    }
    if parts.is_empty() {
        "identical policy files".to_owned()
    } else {
        parts.join(", ")
    }
}

/// One line per listed difference, marked like a diff: `~` changed, `+` added,
/// `-` removed, `*` same outcome with different values.
fn render_snapshot(out: &mut String, s: &SnapshotImpact) {
    let d = &s.diff;
    let _ = write!(out, "\n{} (sprint {}): ", s.path, s.sprint);
    if d.is_empty() {
        let _ = writeln!(out, "no change, {} decisions", d.unchanged);
        return;
    }
    let _ = write!(
        out,
        "{} outcome{} changed, {} added, {} removed",
        d.changed.len(),
        plural(d.changed.len()),
        d.added.len(),
        d.removed.len()
    );
    if let Some(list) = &d.values_changed {
        let _ = write!(out, ", {} with values changed", list.len());
    }
    let _ = writeln!(out, ", {} unchanged", d.unchanged);

    // (policy, subject) → the lines for it, so each policy's entries read in subject order.
    let mut entries: BTreeMap<(&str, &str), String> = BTreeMap::new();
    for c in &d.changed {
        let mut text = format!(
            "    ~ {}: {} ({}) → {} ({})\n        old: {}\n        new: {}\n",
            c.subject,
            c.old.outcome,
            c.old.severity.as_str(),
            c.new.outcome,
            c.new.severity.as_str(),
            c.old.summary,
            c.new.summary
        );
        render_values(&mut text, &c.values);
        entries.insert((&c.policy, &c.subject), text);
    }
    for (mark, list) in [('+', &d.added), ('-', &d.removed)] {
        for l in list {
            let text = format!(
                "    {mark} {}: {} ({})\n        {}\n",
                l.subject,
                l.verdict.outcome,
                l.verdict.severity.as_str(),
                l.verdict.summary
            );
            entries.insert((&l.policy, &l.subject), text);
        }
    }
    for c in d.values_changed.iter().flatten() {
        let mut text = format!(
            "    * {}: {} ({})\n",
            c.subject,
            c.new.outcome,
            c.new.severity.as_str()
        );
        render_values(&mut text, &c.values);
        entries.insert((&c.policy, &c.subject), text);
    }
    let mut current = None;
    for ((policy, _), text) in entries {
        if current != Some(policy) {
            let _ = writeln!(out, "  {policy}");
            current = Some(policy);
        }
        out.push_str(&text);
    }
}

fn render_values(out: &mut String, values: &[ValueChange]) {
    let show = |v: &Option<Value>| v.as_ref().map_or("(none)".to_owned(), Value::to_string);
    for v in values {
        let _ = writeln!(
            out,
            "        {}: {} → {}",
            v.name,
            show(&v.old),
            show(&v.new)
        );
    }
}

/// How to run a comparison.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub limits: Limits,
    /// What loading each snapshot may use (the memory budget).
    pub load: LoadOptions,
    /// Worker threads; each compiles both packs once.
    pub jobs: usize,
    pub details: bool,
}

/// A finished comparison, plus what scripts printed (for stderr), in snapshot order.
pub struct Impact {
    pub report: Report,
    pub log: Vec<String>,
}

/// Why a comparison stopped: the error, and where it happened when it came from a
/// snapshot (which snapshot, and which pack when a policy failed on it).
#[derive(Debug)]
pub struct Failure {
    pub error: Error,
    pub snapshot: Option<PathBuf>,
    pub side: Option<Side>,
}

/// One snapshot, compared.
struct Compared {
    impact: SnapshotImpact,
    log: Vec<String>,
}

enum Message {
    /// A worker could not build a pack (compiled once already, so only a failure such as
    /// running out of memory).
    Pack(Side, Error),
    Snapshot(usize, Result<Compared, Failed>),
}

/// A snapshot's failure: which pack it came from (`None`: reading the snapshot).
type Failed = (Option<Side>, Error);

/// What the workers share: the snapshots, the next one to take, and whether to stop.
struct Shared<'a> {
    new_pack: &'a PackSource,
    old_pack: &'a PackSource,
    snapshots: &'a [Source],
    options: &'a Options,
    next: AtomicUsize,
    /// Set on the first failure: take no more snapshots.
    stop: AtomicBool,
}

impl<'a> Shared<'a> {
    fn new(
        new_pack: &'a PackSource,
        old_pack: &'a PackSource,
        snapshots: &'a [Source],
        options: &'a Options,
    ) -> Self {
        Self {
            new_pack,
            old_pack,
            snapshots,
            options,
            next: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        }
    }
}

/// A host and its compiled pack, from the bytes read once: every worker compiles what the
/// report's digests describe, whatever happens on disk meanwhile.
fn build(source: &PackSource, limits: Limits) -> crate::Result<(Host, Pack)> {
    let host = Host::new(source, limits);
    let pack = host.load_pack()?;
    Ok((host, pack))
}

/// Evaluates every snapshot with both packs and compares the decisions.
///
/// Each snapshot is read once and evaluated with each pack. `Host` is not `Send`, so each
/// of `options.jobs` workers compiles both packs once and takes snapshots from a shared
/// index; results are put back in the order given, whatever the timing. `progress` is
/// called on this thread with (snapshots done, snapshots) as results arrive.
///
/// The first failure stops the workers from taking more snapshots. The failure reported
/// is that of the earliest failing snapshot in the order given (every earlier snapshot was
/// already taken when it failed, and is finished), so the outcome is that of `jobs: 1`,
/// whatever the timing. Each policy's memory budget counts only its own thread's
/// allocations, so workers do not charge each other.
pub fn run(
    new_dir: &Path,
    old_dir: &Path,
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
    let new_pack = PackSource::read(new_dir).map_err(|e| failure(None, Some(Side::New), e))?;
    let old_pack = PackSource::read(old_dir).map_err(|e| failure(None, Some(Side::Old), e))?;
    let new_info = build(&new_pack, options.limits)
        .map(|(_, pack)| PackInfo::of(&pack))
        .map_err(|e| failure(None, Some(Side::New), e))?;
    let old_info = build(&old_pack, options.limits)
        .map(|(_, pack)| PackInfo::of(&pack))
        .map_err(|e| failure(None, Some(Side::Old), e))?;

    let total = snapshots.len();
    let jobs = options.jobs.clamp(1, total.max(1));
    let shared = Shared::new(&new_pack, &old_pack, snapshots, options);
    let mut results: Vec<Option<Compared>> = (0..total).map(|_| None).collect();
    let mut done = 0;
    progress(0, total);
    let failures = pool(&shared, jobs, &mut results, &mut |_| {
        done += 1;
        progress(done, total);
    })
    .map_err(|(side, e)| failure(None, Some(side), e))?;
    if let Some((i, (side, error))) = failures.into_iter().next() {
        return Err(failure(Some(i), side, error));
    }
    let mut impacts = Vec::with_capacity(total);
    let mut log = Vec::new();
    for compared in results {
        let compared = compared.expect("without a failure every snapshot has a result");
        impacts.push(compared.impact);
        log.extend(compared.log);
    }
    Ok(Impact {
        report: Report::new(new_info, old_info, options.limits, options.details, impacts),
        log,
    })
}

/// Runs `jobs` workers until the snapshots run out or one fails; fills `results`, calls
/// `on_result` for each, and returns the failures by snapshot index (or a pack's failure).
fn pool(
    shared: &Shared,
    jobs: usize,
    results: &mut [Option<Compared>],
    on_result: &mut dyn FnMut(usize),
) -> Result<BTreeMap<usize, Failed>, (Side, Error)> {
    let (tx, rx) = mpsc::channel::<Message>();
    let work = |tx: mpsc::Sender<Message>| worker(shared, &tx);
    let mut failures = BTreeMap::new();
    let mut pack_failed = None;
    std::thread::scope(|scope| {
        let mut started = 0;
        for w in 0..jobs {
            let tx = tx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("bursar-impact-{w}"))
                .stack_size(WORKER_STACK_BYTES)
                .spawn_scoped(scope, move || work(tx));
            match spawned {
                Ok(_) => started += 1,
                // Fewer workers than asked is slower, not wrong.
                Err(_) => break,
            }
        }
        if started == 0 {
            // Not even one thread: do the work here (this thread may have less stack).
            work(tx);
        } else {
            drop(tx);
        }
        for message in rx {
            match message {
                Message::Pack(side, error) => {
                    shared.stop.store(true, Relaxed);
                    pack_failed.get_or_insert((side, error));
                }
                Message::Snapshot(i, Ok(compared)) => {
                    results[i] = Some(compared);
                    on_result(i);
                }
                Message::Snapshot(i, Err(failed)) => {
                    shared.stop.store(true, Relaxed);
                    failures.insert(i, failed);
                }
            }
        }
    });
    match pack_failed {
        Some(failed) => Err(failed),
        None => Ok(failures),
    }
}

fn worker(shared: &Shared, tx: &mpsc::Sender<Message>) {
    let (new_pack, old_pack, limits) = (shared.new_pack, shared.old_pack, shared.options.limits);
    let packs = build(new_pack, limits)
        .map_err(|e| (Side::New, e))
        .and_then(|new| {
            build(old_pack, limits)
                .map(|old| (new, old))
                .map_err(|e| (Side::Old, e))
        });
    let (new, old) = match packs {
        Ok(packs) => packs,
        Err((side, e)) => {
            let _ = tx.send(Message::Pack(side, e));
            return;
        }
    };
    while !shared.stop.load(Relaxed) {
        let i = shared.next.fetch_add(1, Relaxed);
        let Some(path) = shared.snapshots.get(i) else {
            break;
        };
        let result = compare(shared, path, (&new.0, &new.1), (&old.0, &old.1));
        if tx.send(Message::Snapshot(i, result)).is_err() {
            break;
        }
    }
}

/// Reads one snapshot once and evaluates it with both packs.
fn compare(
    shared: &Shared,
    source: &Source,
    new: (&Host, &Pack),
    old: (&Host, &Pack),
) -> Result<Compared, Failed> {
    // `evaluate_loaded` consumes the snapshot: the old pack gets a copy (columns, no
    // re-read), the new pack the original.
    let loaded =
        snapshot::load_from(source, &shared.options.load, &mut |_, _| {}).map_err(|e| (None, e))?;
    let evaluate = |side: Side, (host, pack): (&Host, &Pack), loaded| {
        crate::eval::evaluate_loaded(host, pack, loaded).map_err(|e| (Some(side), e))
    };
    let old_eval = evaluate(Side::Old, old, loaded.clone())?;
    let new_eval = evaluate(Side::New, new, loaded)?;
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
            diff: diff(
                &old_doc.decisions,
                &new_doc.decisions,
                shared.options.details,
            ),
        },
        log,
    })
}
