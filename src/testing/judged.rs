//! Coverage counts kept only for the cases that judge each policy: what a case ran of a
//! policy it does not name proves nothing about that policy, so it does not count.
//!
//! The host counts every run; the counts before and after each case give what that case
//! did, and only the part for the policies the case judges is added here.

use std::collections::BTreeMap;

use super::case::Case;
use crate::host::coverage::PolicyCounts;

/// Counts by policy, added up over the cases that judge it.
#[derive(Debug, Default, Clone)]
pub struct Judged(BTreeMap<String, PolicyCounts>);

impl Judged {
    /// Adds what `case` did (`after` less `before`, the host's counts around its run) to
    /// the policies it judges.
    pub fn add(&mut self, case: &Case, before: &[PolicyCounts], after: &[PolicyCounts]) {
        for now in after.iter().filter(|p| case.judges(&p.policy)) {
            let then = before.iter().find(|p| p.policy == now.policy);
            let total = self
                .0
                .entry(now.policy.clone())
                .or_insert_with(|| zeroed(now));
            total.runs += now.runs.saturating_sub(then.map_or(0, |t| t.runs));
            if let (Some((_, sum)), Some((_, empty))) = (total.domain.as_mut(), now.domain) {
                let was = then.and_then(|t| t.domain).map_or(0, |(_, e)| e);
                *sum += empty.saturating_sub(was);
            }
            if total.sites.len() != now.sites.len() {
                total.sites.clone_from(&zeroed(now).sites);
            }
            for (i, (sum, site)) in total.sites.iter_mut().zip(&now.sites).enumerate() {
                let old = then.and_then(|t| t.sites.get(i));
                sum.reached += site.reached.saturating_sub(old.map_or(0, |o| o.reached));
                sum.yes += site.yes.saturating_sub(old.map_or(0, |o| o.yes));
                sum.no += site.no.saturating_sub(old.map_or(0, |o| o.no));
            }
        }
    }

    /// The host's final counts with each policy's numbers replaced by what the cases that
    /// judge it did (nothing, for a policy no case judges).
    pub fn over(&self, all: &[PolicyCounts]) -> Vec<PolicyCounts> {
        all.iter()
            .map(|p| self.0.get(&p.policy).cloned().unwrap_or_else(|| zeroed(p)))
            .collect()
    }
}

/// `p` with every count at zero.
fn zeroed(p: &PolicyCounts) -> PolicyCounts {
    let mut z = p.clone();
    z.runs = 0;
    if let Some((_, empty)) = z.domain.as_mut() {
        *empty = 0;
    }
    for s in &mut z.sites {
        (s.reached, s.yes, s.no) = (0, 0, 0);
    }
    z
}
