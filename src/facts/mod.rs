//! Aggregates the default policies decide on, computed natively in one pass over the runs
//! (and run groups), so scripts decide over totals and never loop over raw runs.

mod build;

use std::collections::{BTreeMap, HashMap};

use crate::instant::Instant;
use crate::snapshot::{CatalogStatus, Snapshot};

/// Counters shared by every aggregate: exact integers only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub uses: u64,
    pub successes: u64,
    pub failures: u64,
    pub abandoned: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_micros: i64,
    pub exploration_tokens: u64,
    pub central_tokens: u64,
}

impl Stats {
    pub fn tokens(&self) -> u64 {
        self.input_tokens + self.output_tokens
    }

    /// successes / uses; `None` without uses.
    pub fn success_rate(&self) -> Option<f64> {
        (self.uses > 0).then(|| self.successes as f64 / self.uses as f64)
    }

    /// total cost micros / successes; `None` without successes.
    pub fn cost_per_success(&self) -> Option<f64> {
        (self.successes > 0).then(|| self.cost_micros as f64 / self.successes as f64)
    }
}

/// A run's place in time, for "earliest run" questions: instant, then smallest id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RunRef {
    pub started: Instant,
    pub id: String,
    pub squad: String,
}

/// One variant key (`workflow/variant`) seen in tagged runs.
#[derive(Debug, Clone)]
pub struct VariantFacts {
    pub key: String,
    pub workflow: String,
    pub variant: String,
    pub stats: Stats,
    pub catalog_status: Option<CatalogStatus>,
    pub first: Option<RunRef>,
    /// Latest run; unknown when some of the variant's runs come only as groups.
    pub last: Option<RunRef>,
    /// Runs known only as group counts (no id each).
    pub grouped_runs: u64,
    pub squad_uses: BTreeMap<String, u64>,
}

/// A workflow family: all variants of one workflow.
#[derive(Debug, Clone, Default)]
pub struct FamilyFacts {
    pub name: String,
    pub stats: Stats,
    /// Runs of the family's `standard` catalog variants, pooled: the promotion baseline.
    pub standard: Stats,
    pub variants: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SquadFacts {
    pub id: String,
    pub name: Option<String>,
    pub headcount: u64,
    pub tags: Vec<String>,
    pub baseline_tokens: Option<u64>,
    pub granted_topup_tokens: u64,
    pub requested_topup_tokens: u64,
    pub stats: Stats,
    pub untagged: Stats,
}

/// Everything the policies read, shared read-only with every script.
#[derive(Debug)]
pub struct Facts {
    pub snapshot: Snapshot,
    pub variants: Vec<VariantFacts>,
    pub variant_index: HashMap<String, usize>,
    pub families: BTreeMap<String, FamilyFacts>,
    pub squads: Vec<SquadFacts>,
    pub squad_index: HashMap<String, usize>,
    pub all: Stats,
    pub untagged: Stats,
}

impl Facts {
    pub fn variant(&self, key: &str) -> Option<&VariantFacts> {
        self.variant_index.get(key).map(|&i| &self.variants[i])
    }

    pub fn squad(&self, id: &str) -> Option<&SquadFacts> {
        self.squad_index.get(id).map(|&i| &self.squads[i])
    }
}

/// Gini coefficient Σi Σj |xi − xj| / (2 · n · Σx), with numerator and denominator as
/// exact integers (0 when n < 2 or Σx = 0).
pub fn gini(values: &[u64]) -> f64 {
    let n = values.len();
    let total: u128 = values.iter().map(|&x| u128::from(x)).sum();
    if n < 2 || total == 0 {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    // Σi Σj |xi − xj| = 2 Σk (2k − n + 1) x(k) over the ascending order, k from 0.
    let mut half: i128 = 0;
    for (k, &x) in sorted.iter().enumerate() {
        half += (2 * k as i128 - n as i128 + 1) * i128::from(x);
    }
    let numerator = 2 * half;
    let denominator = 2 * n as i128 * total as i128;
    numerator as f64 / denominator as f64
}

#[cfg(test)]
mod tests {
    use super::gini;

    #[test]
    fn gini_matches_the_double_sum() {
        let xs = [3_000_000u64, 0, 1_000_000, 1_000_000, 7];
        let mut num: i128 = 0;
        for a in xs {
            for b in xs {
                num += (i128::from(a) - i128::from(b)).abs();
            }
        }
        let total: i128 = xs.iter().map(|&x| i128::from(x)).sum();
        assert_eq!(gini(&xs), num as f64 / (2 * 5 * total) as f64);
        assert_eq!(gini(&[5]), 0.0);
        assert_eq!(gini(&[0, 0]), 0.0);
        assert_eq!(gini(&[1, 1, 1]), 0.0);
    }
}
