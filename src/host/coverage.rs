//! Measuring which parts of a policy the cases exercised, for `bursar test --coverage`.
//!
//! Only a host built with [`Host::with_coverage`](super::Host::with_coverage) registers
//! Rhai's debugger callback, so `eval` runs exactly as without this module. The callback
//! counts visits to the nodes `coverage_sites.rs` watches, re-armed before every run of a
//! policy. Check results are counted where checks are recorded (`record.rs`), because
//! passing or failing is not visible from the AST.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use rhai::Engine;
use rhai::debugger::DebuggerCommand;

pub use super::coverage_sites::{Construct, Part, Site};
use super::coverage_sites::{Probes, Slot, key, walk};
use super::policy::Policy;
use crate::facts::Facts;

/// Pass and fail counts of checks, by (file within the pack, line, column).
pub type CheckCounts = BTreeMap<(String, usize, usize), [u64; 2]>;

/// What the cases did with one policy.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyCounts {
    pub policy: String,
    /// File within the pack (`topups.rhai`).
    pub file: String,
    pub outcomes_declared: Option<Vec<String>>,
    /// The line of `const OUTCOMES`, where an outcome no `d.record` names is placed.
    pub outcomes_line: usize,
    /// Times the policy ran (one per case).
    pub runs: u64,
    /// The `DECIDES` domain's name and the runs in which it held no subject.
    pub domain: Option<(&'static str, u64)>,
    /// In source order.
    pub sites: Vec<Site>,
}

#[derive(Default)]
struct Tally {
    /// By policy name, in the order first run.
    policies: Vec<PolicyCounts>,
    /// The running policy's index in `policies`, and its nodes to count.
    armed: Option<(usize, Probes)>,
}

/// The counts a coverage host keeps; cloned into the debugger callback.
#[derive(Clone, Default)]
pub struct Coverage(Rc<RefCell<Tally>>);

impl Coverage {
    /// Registers the counting callback on `engine`: every statement and expression then
    /// passes through it, which is why only coverage runs have one.
    pub fn instrument(&self, engine: &mut Engine) {
        let tally = self.0.clone();
        // Rhai marks the debugger API volatile (not deprecated); the pinned version is
        // what this is written against.
        #[allow(deprecated)]
        engine.register_debugger(
            |_, debugger| debugger,
            move |_, _, node, _, _| {
                let mut t = tally.borrow_mut();
                let t = &mut *t;
                if let Some((policy, nodes)) = &t.armed {
                    if let Some(slots) = nodes.get(&key(node)) {
                        let sites = &mut t.policies[*policy].sites;
                        for &(site, slot) in slots {
                            let s = &mut sites[site];
                            match slot {
                                Slot::Reached => s.reached += 1,
                                Slot::Yes => s.yes += 1,
                                Slot::No => s.no += 1,
                            }
                        }
                    }
                }
                Ok(DebuggerCommand::StepInto)
            },
        );
    }

    /// Before `policy` runs on `facts`: counts the run, whether its domain was empty, and
    /// arms its nodes (addresses are taken afresh, so a moved pack is still counted right).
    pub fn arm(&self, policy: &Policy, facts: &Facts) {
        let mut t = self.0.borrow_mut();
        let index = match t.policies.iter().position(|p| p.policy == policy.name) {
            Some(i) => i,
            None => {
                t.policies.push(PolicyCounts {
                    policy: policy.name.clone(),
                    file: policy.file.clone(),
                    outcomes_declared: policy.outcomes.clone(),
                    outcomes_line: policy
                        .source
                        .lines()
                        .position(|l| l.trim_start().starts_with("const OUTCOMES"))
                        .map_or(0, |i| i + 1),
                    runs: 0,
                    domain: policy.decides.map(|d| (d.domain.name(), 0)),
                    sites: Vec::new(),
                });
                t.policies.len() - 1
            }
        };
        let (sites, nodes) = walk(policy);
        let counts = &mut t.policies[index];
        if counts.sites.is_empty() {
            counts.sites = sites;
        }
        counts.runs += 1;
        if let (Some(decides), Some((_, empty))) = (policy.decides, counts.domain.as_mut()) {
            if decides.domain.subjects(facts).is_empty() {
                *empty += 1;
            }
        }
        t.armed = Some((index, nodes));
    }

    pub fn disarm(&self) {
        self.0.borrow_mut().armed = None;
    }

    /// Every policy run so far, with the check results recorded in `checks` filled in.
    pub fn counts(&self, checks: &CheckCounts) -> Vec<PolicyCounts> {
        let mut all = self.0.borrow().policies.clone();
        for p in &mut all {
            for s in &mut p.sites {
                if let Construct::Check { .. } = s.construct {
                    let [passed, failed] = checks
                        .get(&(p.file.clone(), s.line, s.column))
                        .copied()
                        .unwrap_or_default();
                    (s.reached, s.yes, s.no) = (passed + failed, passed, failed);
                }
                // An `if` is watched through one block; the other way is the remainder.
                if let Construct::If { .. } = s.construct {
                    if s.watched_else {
                        s.yes = s.reached.saturating_sub(s.no);
                    } else if s.measured {
                        s.no = s.reached.saturating_sub(s.yes);
                    }
                }
            }
        }
        all
    }
}
