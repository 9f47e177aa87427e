//! Aggregates the default policies decide on, computed natively in one pass over the runs
//! (and run groups), so scripts decide over totals and never loop over raw runs.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::instant::Instant;
use crate::snapshot::{variant_key, CatalogStatus, Outcome, Pool, Snapshot, TopupStatus};

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
    fn add(&mut self, row: &Row<'_>) {
        self.uses += row.count;
        match row.outcome {
            Outcome::Success => self.successes += row.count,
            Outcome::Failure => self.failures += row.count,
            Outcome::Abandoned => self.abandoned += row.count,
        }
        self.input_tokens += row.input_tokens;
        self.output_tokens += row.output_tokens;
        self.cost_micros += row.cost_micros;
        match row.pool {
            Pool::Exploration => self.exploration_tokens += row.tokens(),
            Pool::Central => self.central_tokens += row.tokens(),
        }
    }

    fn merge(&mut self, other: &Stats) {
        self.uses += other.uses;
        self.successes += other.successes;
        self.failures += other.failures;
        self.abandoned += other.abandoned;
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.cost_micros += other.cost_micros;
        self.exploration_tokens += other.exploration_tokens;
        self.central_tokens += other.central_tokens;
    }

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

/// One run, or a group of runs, as the aggregation sees it.
struct Row<'a> {
    squad: &'a str,
    workflow: Option<&'a str>,
    variant: Option<&'a str>,
    pool: Pool,
    outcome: Outcome,
    count: u64,
    input_tokens: u64,
    output_tokens: u64,
    cost_micros: i64,
    first: (Instant, &'a str),
    /// `Some` for a single run; a group has no latest-run id.
    last: Option<(Instant, &'a str)>,
}

impl Row<'_> {
    fn tokens(&self) -> u64 {
        self.input_tokens + self.output_tokens
    }
}

struct Builder {
    variants: Vec<VariantFacts>,
    variant_index: HashMap<String, usize>,
    squad_stats: HashMap<String, (Stats, Stats)>,
    all: Stats,
    untagged: Stats,
}

impl Builder {
    fn add(&mut self, row: &Row<'_>) {
        self.all.add(row);
        let (squad, squad_untagged) = self.squad_stats.entry(row.squad.to_owned()).or_default();
        squad.add(row);
        let (Some(workflow), Some(variant)) = (row.workflow, row.variant) else {
            squad_untagged.add(row);
            self.untagged.add(row);
            return;
        };
        let key = variant_key(workflow, variant);
        let index = match self.variant_index.get(&key) {
            Some(&i) => i,
            None => {
                self.variants.push(VariantFacts {
                    key: key.clone(),
                    workflow: workflow.to_owned(),
                    variant: variant.to_owned(),
                    stats: Stats::default(),
                    catalog_status: None,
                    first: None,
                    last: None,
                    grouped_runs: 0,
                    squad_uses: BTreeMap::new(),
                });
                self.variant_index.insert(key, self.variants.len() - 1);
                self.variants.len() - 1
            }
        };
        let v = &mut self.variants[index];
        v.stats.add(row);
        *v.squad_uses.entry(row.squad.to_owned()).or_default() += row.count;
        let earlier = |cur: &Option<RunRef>, cand: (Instant, &str)| match cur {
            None => true,
            Some(r) => (cand.0, cand.1) < (r.started, r.id.as_str()),
        };
        if earlier(&v.first, row.first) {
            v.first = Some(RunRef {
                started: row.first.0,
                id: row.first.1.to_owned(),
                squad: row.squad.to_owned(),
            });
        }
        match row.last {
            Some(last) => {
                let later = match &v.last {
                    None => true,
                    Some(r) => (last.0, last.1) > (r.started, r.id.as_str()),
                };
                if later {
                    v.last = Some(RunRef {
                        started: last.0,
                        id: last.1.to_owned(),
                        squad: row.squad.to_owned(),
                    });
                }
            }
            None => v.grouped_runs += row.count,
        }
    }
}

impl Facts {
    /// Aggregates a validated snapshot in one pass over its runs and run groups.
    pub fn new(snapshot: Snapshot) -> Arc<Self> {
        let mut b = Builder {
            variants: Vec::new(),
            variant_index: HashMap::new(),
            squad_stats: HashMap::new(),
            all: Stats::default(),
            untagged: Stats::default(),
        };
        for r in snapshot.runs.iter() {
            let (workflow, variant) = r.tag().unzip();
            let id = r.id();
            b.add(&Row {
                squad: r.squad(),
                workflow,
                variant,
                pool: r.pool(),
                outcome: r.outcome(),
                count: 1,
                input_tokens: r.input_tokens(),
                output_tokens: r.output_tokens(),
                cost_micros: r.cost_micros(),
                first: (r.started(), id),
                last: Some((r.started(), id)),
            });
        }
        for g in &snapshot.run_groups {
            b.add(&Row {
                squad: &g.squad,
                workflow: g.workflow.as_deref(),
                variant: g.variant.as_deref(),
                pool: g.pool,
                outcome: g.outcome,
                count: g.count,
                input_tokens: g.input_tokens,
                output_tokens: g.output_tokens,
                cost_micros: g.cost_micros,
                first: (g.first_started, &g.first_run_id),
                last: None,
            });
        }

        // Keys sort in byte order, so every script sees the same iteration order.
        b.variants.sort_by(|x, y| x.key.cmp(&y.key));
        let mut variant_index: HashMap<String, usize> = b
            .variants
            .iter()
            .enumerate()
            .map(|(i, v)| (v.key.clone(), i))
            .collect();
        let catalog_status: HashMap<String, CatalogStatus> = snapshot
            .catalog
            .iter()
            .map(|c| (c.key(), c.status))
            .collect();
        for v in &mut b.variants {
            v.catalog_status = catalog_status.get(&v.key).copied();
        }

        let mut families: BTreeMap<String, FamilyFacts> = BTreeMap::new();
        for v in &b.variants {
            let f = families.entry(v.workflow.clone()).or_default();
            f.stats.merge(&v.stats);
            f.variants.push(v.key.clone());
            if v.catalog_status == Some(CatalogStatus::Standard) {
                f.standard.merge(&v.stats);
            }
        }
        for c in &snapshot.catalog {
            let f = families.entry(c.workflow.clone()).or_default();
            if !f.variants.contains(&c.key()) {
                f.variants.push(c.key());
                f.variants.sort();
            }
        }
        for (name, f) in &mut families {
            f.name = name.clone();
        }

        let mut granted: HashMap<&str, u64> = HashMap::new();
        let mut requested: HashMap<&str, u64> = HashMap::new();
        for t in &snapshot.topups {
            let into = match t.status {
                TopupStatus::Granted => &mut granted,
                TopupStatus::Requested => &mut requested,
            };
            *into.entry(&t.squad).or_default() += t.tokens;
        }
        let baselines = crate::snapshot::baselines(&snapshot);
        let squads: Vec<SquadFacts> = snapshot
            .squads
            .iter()
            .map(|s| {
                let (stats, untagged) = b.squad_stats.remove(&s.id).unwrap_or_default();
                SquadFacts {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    headcount: s.headcount,
                    tags: s.tags.clone(),
                    baseline_tokens: baselines.get(s.id.as_str()).copied(),
                    granted_topup_tokens: granted.get(s.id.as_str()).copied().unwrap_or(0),
                    requested_topup_tokens: requested.get(s.id.as_str()).copied().unwrap_or(0),
                    stats,
                    untagged,
                }
            })
            .collect();
        let squad_index = squads
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        variant_index.shrink_to_fit();

        Arc::new(Facts {
            snapshot,
            variants: b.variants,
            variant_index,
            families,
            squads,
            squad_index,
            all: b.all,
            untagged: b.untagged,
        })
    }

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
