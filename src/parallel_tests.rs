//! Ordered parallel evaluation with evaluations written for the test: results in input
//! order, workers held back behind a slow snapshot, and the earliest failure in input
//! order reported whatever finishes first.

use std::path::PathBuf;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::parallel::{self, Evaluate, Failure};
use crate::snapshot::{Loaded, Source};

const SMALL: &str = "health-single-squad";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The snapshot of the shipped case `SMALL` (`policies/tests/<SMALL>.case`), its bytes
/// exactly as the case holds them.
fn small() -> crate::Result<Loaded> {
    let case_file = root().join(format!("policies/tests/{SMALL}.case"));
    let case = crate::testing::Case::read(&case_file)
        .unwrap_or_else(|e| panic!("{}: {e}", case_file.display()));
    crate::snapshot::parse(case.snapshot.as_bytes(), &format!("{SMALL}.json"))
}

/// What the workers did, watched by the test.
#[derive(Default)]
struct Log {
    /// (snapshot index, whether the first snapshot was finished when it started).
    started: Vec<(usize, bool)>,
    first_done: bool,
    failed_loads: Vec<usize>,
}

/// Shared state and a condition to wait on it.
#[derive(Default)]
struct Watch {
    log: Mutex<Log>,
    changed: Condvar,
}

impl Watch {
    fn update(&self, f: impl FnOnce(&mut Log)) {
        f(&mut self.log.lock().unwrap());
        self.changed.notify_all();
    }

    /// Waits until `until` holds, or at most `limit`; whether it held.
    fn wait(&self, limit: Duration, until: impl Fn(&Log) -> bool) -> bool {
        let log = self.log.lock().unwrap();
        let (log, _) = self
            .changed
            .wait_timeout_while(log, limit, |l| !until(l))
            .unwrap();
        until(&log)
    }
}

fn index_of(source: &Source) -> usize {
    source.origin().parse().unwrap()
}

/// Snapshots named by their index; all are the same small file.
fn snapshots(n: usize) -> Vec<Source> {
    (0..n)
        .map(|i| Source::from(PathBuf::from(i.to_string())))
        .collect()
}

/// Holds the first snapshot back until the others had every chance to run ahead.
struct SlowFirst {
    watch: Watch,
    ahead: usize,
}

impl Evaluate for SlowFirst {
    type Worker = ();
    type Output = usize;
    type Error = String;

    fn worker(&self) -> Result<(), String> {
        Ok(())
    }

    fn load(&self, _: &Source) -> crate::Result<Loaded> {
        small()
    }

    fn evaluate(&self, _: &(), path: &Source, _: Loaded) -> Result<usize, String> {
        let i = index_of(path);
        self.watch.update(|l| l.started.push((i, l.first_done)));
        if i == 0 {
            // Bounded workers never start snapshot `ahead` before this one is delivered:
            // the wait ends on its limit. Unbounded ones would start it at once.
            let ahead = self.ahead;
            self.watch.wait(Duration::from_millis(500), |l| {
                l.started.iter().any(|&(j, _)| j >= ahead)
            });
            self.watch.update(|l| l.first_done = true);
        }
        Ok(i)
    }
}

#[test]
fn results_come_in_input_order_and_workers_wait_behind_a_slow_snapshot() {
    let jobs = 4;
    // `parallel` lets each worker run two snapshots ahead of delivery.
    let task = SlowFirst {
        watch: Watch::default(),
        ahead: jobs * 2,
    };
    let mut delivered = Vec::new();
    parallel::run(&task, &snapshots(40), jobs, &mut |i, out| {
        assert_eq!(i, out);
        delivered.push(i);
    })
    .unwrap();
    assert_eq!(delivered, (0..40).collect::<Vec<_>>());
    let log = task.watch.log.lock().unwrap();
    let early: Vec<usize> = log
        .started
        .iter()
        .filter(|&&(_, first_done)| !first_done)
        .map(|&(i, _)| i)
        .collect();
    assert!(
        early.iter().all(|&i| i < task.ahead),
        "started while the first was unfinished: {early:?}"
    );
}

/// Snapshot 1 fails only after snapshot 3 has failed to load: the later failure arrives
/// first, and the earlier one must still be the one reported.
struct FailTwice {
    watch: Watch,
}

impl Evaluate for FailTwice {
    type Worker = ();
    type Output = ();
    type Error = String;

    fn worker(&self) -> Result<(), String> {
        Ok(())
    }

    fn load(&self, path: &Source) -> crate::Result<Loaded> {
        let i = index_of(path);
        if i == 3 {
            let failed = crate::snapshot::load(&root().join("tests/errors/snapshots/empty.json"));
            self.watch.update(|l| l.failed_loads.push(i));
            return failed;
        }
        small()
    }

    fn evaluate(&self, _: &(), path: &Source, _: Loaded) -> Result<(), String> {
        let i = index_of(path);
        if i == 1 {
            let waited = self
                .watch
                .wait(Duration::from_secs(60), |l| l.failed_loads.contains(&3));
            assert!(waited, "snapshot 3 was never loaded");
            return Err("snapshot 1 fails".to_owned());
        }
        Ok(())
    }
}

#[test]
fn the_earliest_failure_in_input_order_is_reported() {
    let task = FailTwice {
        watch: Watch::default(),
    };
    let mut delivered = Vec::new();
    let failure = parallel::run(&task, &snapshots(5), 4, &mut |i, ()| delivered.push(i))
        .expect_err("two snapshots fail");
    match failure {
        Failure::Evaluate { index: 1, error } => assert_eq!(error, "snapshot 1 fails"),
        other => panic!("reported {other:?}"),
    }
    assert_eq!(
        delivered,
        [0],
        "only what comes before the failure is delivered"
    );
}

/// Snapshot 0 panics once the others have run as far ahead as they may.
struct PanicFirst {
    watch: Watch,
    ahead: usize,
}

impl Evaluate for PanicFirst {
    type Worker = ();
    type Output = ();
    type Error = String;

    fn worker(&self) -> Result<(), String> {
        Ok(())
    }

    fn load(&self, _: &Source) -> crate::Result<Loaded> {
        small()
    }

    fn evaluate(&self, _: &(), path: &Source, _: Loaded) -> Result<(), String> {
        let i = index_of(path);
        self.watch.update(|l| l.started.push((i, false)));
        if i == 0 {
            let ahead = self.ahead;
            self.watch
                .wait(Duration::from_secs(60), |l| l.started.len() >= ahead);
            panic!("a bug while evaluating snapshot 0");
        }
        Ok(())
    }
}

/// A worker's panic reaches the caller; the others, waiting for a delivery that will
/// never come, are released. The limit only keeps a regression from hanging the suite.
#[test]
fn a_panicking_worker_does_not_leave_the_others_waiting() {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let task = PanicFirst {
            watch: Watch::default(),
            ahead: 4,
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            parallel::run(&task, &snapshots(20), 2, &mut |_, ()| {})
        }));
        let _ = tx.send(result.is_err());
    });
    let panicked = rx
        .recv_timeout(Duration::from_secs(300))
        .expect("parallel::run returned after a worker panicked");
    assert!(panicked, "the worker's panic reached the caller");
}
