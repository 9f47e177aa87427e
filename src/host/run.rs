//! Running a pack: one host per thread, its engine built for one pack read into memory,
//! each policy in order under its time and memory limits, and what each decided checked
//! before the next one reads it.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use rhai::{Engine, Scope};

use super::engine::{self, Watch};
use super::pack::{self, Pack};
use super::policy::Policy;
use super::source::PackSource;
use super::{PolicyError, complete, coverage, facts, memory, provenance, record, translate};
use crate::decision::Decision;
use crate::exceptions::Plan;
use crate::facts::Facts;
use crate::limits::Limits;

/// A sandboxed engine with the bursar API registered, for one pack. Not `Send`: each
/// thread builds its own from the same [`PackSource`].
pub struct Host {
    engine: Engine,
    state: record::Shared,
    watch: Rc<Watch>,
    limits: Limits,
    /// Bytes a policy may allocate (`limits.max_memory_mb` in bytes).
    memory_budget: usize,
    source: PackSource,
    /// What the cases exercised, on a host built to measure it.
    coverage: Option<coverage::Coverage>,
}

impl Host {
    /// Builds an engine for the pack in `source`: only pure packages, no `eval`, no clock,
    /// no files (imports are served from `source`), and every size and time limit in force.
    pub fn new(source: &PackSource, limits: Limits) -> Self {
        let state: record::Shared = Rc::new(RefCell::new(record::State {
            max_decisions: limits.max_decisions,
            ..record::State::default()
        }));
        let watch = Rc::new(Watch::default());
        Self {
            engine: engine::build(&limits, source, &state, &watch),
            state,
            watch,
            limits,
            memory_budget: usize::try_from(limits.max_memory_mb)
                .unwrap_or(usize::MAX)
                .saturating_mul(1 << 20),
            source: source.clone(),
            coverage: None,
        }
    }

    /// A host that also counts which branches, loops and checks of each policy its runs
    /// reach ([`Host::coverage`]); slower, so only `test --coverage` builds one.
    pub fn with_coverage(source: &PackSource, limits: Limits) -> Self {
        let mut host = Self::new(source, limits);
        let measure = coverage::Coverage::default();
        measure.instrument(&mut host.engine);
        host.state.borrow_mut().check_counts = Some(coverage::CheckCounts::new());
        host.coverage = Some(measure);
        host
    }

    /// What every evaluation so far exercised, per policy in evaluation order; `None`
    /// unless built [`Host::with_coverage`].
    pub fn coverage(&self) -> Option<Vec<coverage::PolicyCounts>> {
        let state = self.state.borrow();
        let checks = state.check_counts.as_ref()?;
        Some(self.coverage.as_ref()?.counts(checks))
    }

    /// Reads the pack in `dir`, builds a host for it and compiles it: what a caller that
    /// runs one pack on one thread needs.
    pub fn open(dir: &Path, limits: Limits) -> crate::Result<(Self, Pack)> {
        let source = PackSource::read(dir, &limits)?;
        let host = Self::new(&source, limits);
        let pack = host.load_pack()?;
        Ok((host, pack))
    }

    /// The limits every policy runs within.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Compiles the pack the host was built for: every module, every policy, ordered by
    /// what they read.
    pub fn load_pack(&self) -> crate::Result<Pack> {
        pack::load(&self.engine, &self.source, &self.limits).map_err(crate::Error::Policy)
    }

    /// Runs every policy of the pack in order, applying the exceptions of `plan` to each
    /// policy's decisions before later policies read them; returns all decisions and the
    /// lines scripts printed. `pack` must come from this host's [`Host::load_pack`]: its
    /// imports are served from the host's pack.
    pub fn evaluate(
        &self,
        pack: &Pack,
        facts: &Arc<Facts>,
        plan: &mut Plan,
    ) -> Result<(Vec<Decision>, Vec<String>), Box<PolicyError>> {
        assert!(
            pack.source.is(&self.source),
            "a pack is evaluated by the host that compiled it"
        );
        let result = self.evaluate_all(pack, facts, plan);
        let mut s = self.state.borrow_mut();
        s.done.clear();
        s.decisions.clear();
        s.subjects.clear();
        s.opened.clear();
        s.links.clear();
        result
    }

    fn evaluate_all(
        &self,
        pack: &Pack,
        facts: &Arc<Facts>,
        plan: &mut Plan,
    ) -> Result<(Vec<Decision>, Vec<String>), Box<PolicyError>> {
        let mut all = Vec::new();
        let mut log = Vec::new();
        for policy in &pack.policies {
            {
                let mut s = self.state.borrow_mut();
                s.policy = policy.name.clone();
                s.file = policy.file.clone();
                s.reads = policy.reads.clone();
                s.outcomes = policy.outcomes.clone();
                s.subjects.clear();
                s.decisions.clear();
                s.opened.clear();
                s.recent.clear();
                s.printed = 0;
            }
            if let Some(measure) = &self.coverage {
                measure.arm(policy, facts);
            }
            let result = self.run(policy, facts);
            if let Some(measure) = &self.coverage {
                measure.disarm();
            }
            let result = result.map_err(|mut e| {
                let mut s = self.state.borrow_mut();
                e.printed = s.recent.drain(..).collect();
                e.printed_total = s.printed;
                e
            });
            let mut s = self.state.borrow_mut();
            log.append(&mut s.log);
            if s.log_dropped > 0 {
                log.push(format!(
                    "{}: {} more printed lines were dropped",
                    policy.file, s.log_dropped
                ));
                s.log_dropped = 0;
            }
            drop(s);
            result?;
            {
                let s = self.state.borrow();
                complete::recorded(policy, &self.source, &s)?;
                complete::domain(policy, facts, &s)?;
            }
            let mut s = self.state.borrow_mut();
            let mut decisions = std::mem::take(&mut s.decisions);
            decisions.sort_by(|a, b| a.subject.cmp(&b.subject));
            // Before the next policy reads them: it sees the effective outcomes.
            plan.apply(&mut decisions);
            s.done
                .insert(policy.name.clone(), Rc::new(decisions.clone()));
            all.extend(decisions);
        }
        all.sort_by(|a, b| (&a.policy, &a.subject).cmp(&(&b.policy, &b.subject)));
        provenance::check(&self.state.borrow().links, &all, &self.source)?;
        Ok((all, log))
    }

    /// Runs one policy under its wall-clock and memory limits, with a timer thread that
    /// flags the deadline for the progress callback.
    fn run(&self, policy: &Policy, facts: &Arc<Facts>) -> Result<(), Box<PolicyError>> {
        let mut scope = Scope::new();
        scope.push_constant("facts", facts::FactsRef(facts.clone()));
        self.watch.stop.set(None);
        self.watch.expired.store(false, Relaxed);
        self.watch
            .memory_ceiling
            .set(memory::held().map_or(isize::MAX, |held| {
                held.saturating_add(isize::try_from(self.memory_budget).unwrap_or(isize::MAX))
            }));
        let timeout = Duration::from_millis(self.limits.timeout_ms);
        let expired = self.watch.expired.clone();
        let (done, finished) = mpsc::channel::<()>();
        let outcome = std::thread::scope(|threads| {
            let timer = std::thread::Builder::new()
                .name("bursar-timer".into())
                .spawn_scoped(threads, move || {
                    if finished.recv_timeout(timeout) == Err(mpsc::RecvTimeoutError::Timeout) {
                        expired.store(true, Relaxed);
                    }
                });
            if let Err(e) = timer {
                return Err(PolicyError::new(
                    &policy.path,
                    format!("cannot start the timer for policy `{}`: {e}", policy.name),
                ));
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                self.engine.run_ast_with_scope(&mut scope, &policy.ast)
            }));
            drop(done);
            Ok(outcome)
        })?;
        match outcome {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => Err(translate::runtime_error(
                policy,
                &err,
                &translate::Context {
                    limits: &self.limits,
                    memory_budget: self.memory_budget,
                    stop: self.watch.stop.get(),
                    pack: &self.source,
                },
            )),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(PolicyError::new(
                    &policy.path,
                    format!(
                        "policy `{}` crashed the script engine ({what}); this is a bug in \
                         bursar, please report it with the policy",
                        policy.name
                    ),
                ))
            }
        }
    }
}
