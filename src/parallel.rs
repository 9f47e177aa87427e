//! Ordered parallel evaluation of many snapshots: each worker thread prepares once, then
//! loads snapshots one at a time and hands each to the caller's evaluation; results come
//! back in the order the snapshots were given, whatever the timing.
//!
//! Memory stays bounded by the snapshots in flight: a worker holds one loaded snapshot at
//! a time, and no worker starts a snapshot more than a few places ahead of the earliest
//! result not yet delivered, so a slow snapshot does not let finished results pile up.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};

use crate::Error;
use crate::snapshot::{self, LoadOptions, Loaded, Source};

/// Stack for each worker: policies recurse as deep as `--max-call-levels` allows, so a
/// worker needs the same room as the binary's main worker thread.
const WORKER_STACK_BYTES: usize = crate::limits::POLICY_STACK_BYTES;

/// How many results per worker may wait for an earlier one before workers pause.
const AHEAD_PER_WORKER: usize = 2;

/// What is done with each snapshot, on the worker threads.
pub trait Evaluate: Sync {
    /// Each worker's own state, built on its thread: a compiled host is not `Send`.
    type Worker;
    /// One snapshot's result, sent back to the calling thread.
    type Output: Send;
    /// Why preparing a worker or evaluating a snapshot failed.
    type Error: Send;

    /// Prepares one worker, once per worker thread, on that thread.
    fn worker(&self) -> Result<Self::Worker, Self::Error>;

    /// Reads one snapshot; the one place where workers touch the snapshot files. By
    /// default with no memory budget.
    fn load(&self, source: &Source) -> crate::Result<Loaded> {
        snapshot::load_from(source, &LoadOptions::default(), &mut |_, _| {})
    }

    /// Evaluates one loaded snapshot. It is dropped when this returns, before the worker
    /// loads the next one.
    fn evaluate(
        &self,
        worker: &Self::Worker,
        source: &Source,
        loaded: Loaded,
    ) -> Result<Self::Output, Self::Error>;
}

/// Why a run stopped.
#[derive(Debug)]
pub enum Failure<E> {
    /// A worker could not prepare; this wins over any snapshot's failure, since no
    /// snapshot can be evaluated without it.
    Worker(E),
    /// The snapshot at `index` (in the order given) could not be read.
    Load { index: usize, error: Error },
    /// Evaluating the snapshot at `index` failed.
    Evaluate { index: usize, error: E },
}

/// Evaluates every snapshot with `task` on up to `jobs` threads and calls `deliver` on this
/// thread with each result, in the order the snapshots were given.
///
/// The first failure stops workers from taking more snapshots. The failure returned is
/// that of the earliest failing snapshot in the order given: snapshots are taken in order,
/// so every earlier one was taken before it failed and is finished before this returns.
/// The outcome is therefore that of `jobs: 1`, whatever the timing; `deliver` has then been
/// called for a prefix of the snapshots.
pub fn run<T: Evaluate>(
    task: &T,
    snapshots: &[Source],
    jobs: usize,
    deliver: &mut dyn FnMut(usize, T::Output),
) -> Result<(), Failure<T::Error>> {
    if snapshots.is_empty() {
        return Ok(());
    }
    let jobs = jobs.clamp(1, snapshots.len());
    let queue = Queue::new(snapshots.len(), jobs * AHEAD_PER_WORKER);
    let (tx, rx) = mpsc::channel::<Message<T>>();
    let mut outcome = Ok(());
    std::thread::scope(|scope| {
        let mut started = 0;
        for w in 0..jobs {
            let tx = tx.clone();
            let queue = &queue;
            let spawned = std::thread::Builder::new()
                .name(format!("bursar-worker-{w}"))
                .stack_size(WORKER_STACK_BYTES)
                .spawn_scoped(scope, move || work(task, snapshots, queue, &tx));
            match spawned {
                Ok(_) => started += 1,
                // Fewer workers than asked is slower, not wrong.
                Err(_) => break,
            }
        }
        drop(tx);
        // However this thread leaves (a panic in `deliver` included), workers waiting for
        // delivery must not wait forever: the scope joins them before it returns.
        let _stop = StopOnDrop(&queue);
        if started == 0 {
            // Not even one thread: do the work here (this thread may have less stack).
            outcome = in_order(task, snapshots, deliver);
            return;
        }
        outcome = collect(rx, &queue, deliver);
    });
    outcome
}

/// What a worker sends back.
enum Message<T: Evaluate> {
    Worker(T::Error),
    Done(usize, Result<T::Output, Failure<T::Error>>),
}

/// Receives until every worker has ended, delivering results in order, and picks the
/// failure to report.
fn collect<T: Evaluate>(
    rx: mpsc::Receiver<Message<T>>,
    queue: &Queue,
    deliver: &mut dyn FnMut(usize, T::Output),
) -> Result<(), Failure<T::Error>> {
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    let mut worker_failed = None;
    let mut failures = BTreeMap::new();
    for message in rx {
        match message {
            Message::Worker(error) => {
                queue.stop();
                worker_failed.get_or_insert(error);
            }
            Message::Done(i, Ok(output)) => {
                waiting.insert(i, output);
                while let Some(output) = waiting.remove(&next) {
                    deliver(next, output);
                    next += 1;
                }
                queue.delivered(next);
            }
            Message::Done(i, Err(failure)) => {
                queue.stop();
                failures.insert(i, failure);
            }
        }
    }
    if let Some(error) = worker_failed {
        return Err(Failure::Worker(error));
    }
    match failures.into_values().next() {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
}

/// The whole run on the calling thread, for when no worker thread could start.
fn in_order<T: Evaluate>(
    task: &T,
    snapshots: &[Source],
    deliver: &mut dyn FnMut(usize, T::Output),
) -> Result<(), Failure<T::Error>> {
    let worker = task.worker().map_err(Failure::Worker)?;
    for (index, source) in snapshots.iter().enumerate() {
        deliver(index, one(task, &worker, index, source)?);
    }
    Ok(())
}

fn work<T: Evaluate>(task: &T, snapshots: &[Source], queue: &Queue, tx: &mpsc::Sender<Message<T>>) {
    // A worker that panics holds a snapshot whose result never comes: without this the
    // others would wait for its delivery forever instead of the panic reaching the caller.
    // After a normal end there is nothing left to take, so stopping changes nothing.
    let _stop = StopOnDrop(queue);
    let worker = match task.worker() {
        Ok(worker) => worker,
        Err(error) => {
            let _ = tx.send(Message::Worker(error));
            return;
        }
    };
    while let Some(index) = queue.take() {
        let result = one(task, &worker, index, &snapshots[index]);
        if tx.send(Message::Done(index, result)).is_err() {
            break;
        }
    }
}

fn one<T: Evaluate>(
    task: &T,
    worker: &T::Worker,
    index: usize,
    source: &Source,
) -> Result<T::Output, Failure<T::Error>> {
    let loaded = task
        .load(source)
        .map_err(|error| Failure::Load { index, error })?;
    task.evaluate(worker, source, loaded)
        .map_err(|error| Failure::Evaluate { index, error })
}

/// Stops the queue when dropped, also while unwinding.
struct StopOnDrop<'a>(&'a Queue);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// The snapshots still to take, shared by the workers.
struct Queue {
    state: Mutex<Progress>,
    changed: Condvar,
    len: usize,
    /// Most snapshots taken beyond the earliest result not yet delivered.
    ahead: usize,
}

struct Progress {
    /// The next snapshot to take.
    next: usize,
    /// Results delivered so far (all of them before this index).
    delivered: usize,
    /// Set on the first failure: take no more snapshots.
    stop: bool,
}

impl Queue {
    fn new(len: usize, ahead: usize) -> Self {
        Self {
            state: Mutex::new(Progress {
                next: 0,
                delivered: 0,
                stop: false,
            }),
            changed: Condvar::new(),
            len,
            ahead,
        }
    }

    /// A poisoned lock only means a worker panicked; the counters are still whole, and
    /// the panic itself reaches the caller when the scope ends.
    fn lock(&self) -> MutexGuard<'_, Progress> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next snapshot, once it is few enough places ahead of delivery; `None` when
    /// they are all taken or the run stopped. The earliest undelivered snapshot is always
    /// taken already, so whoever holds it never waits here and delivery moves on.
    fn take(&self) -> Option<usize> {
        let mut state = self.lock();
        loop {
            if state.stop || state.next >= self.len {
                return None;
            }
            if state.next < state.delivered + self.ahead {
                state.next += 1;
                return Some(state.next - 1);
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn delivered(&self, count: usize) {
        self.lock().delivered = count;
        self.changed.notify_all();
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.changed.notify_all();
    }
}

#[cfg(test)]
#[path = "parallel_tests.rs"]
mod tests;
