//! The one pass over a snapshot's runs and run groups that builds its [`Facts`]: each run
//! or group added as a row to its squad's, its variant's and the whole's counters, then
//! the variants, families and squads assembled in the order scripts see them.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::{Facts, FamilyFacts, RunRef, SquadFacts, Stats, VariantFacts};
use crate::instant::Instant;
use crate::snapshot::{
    CatalogEntry, CatalogStatus, Outcome, Pool, Snapshot, TopupStatus, variant_key,
};

impl Stats {
    /// Counts a run, or a group of runs, in.
    fn add(&mut self, row: &Row) {
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

    /// Adds another aggregate's counts, for a family's totals over its variants.
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
}

/// Where a run comes from, so ids are looked up only when a tie needs them.
#[derive(Clone, Copy)]
enum Source {
    Run(usize),
    Group(usize),
}

/// One run, or a group of runs, as the aggregation sees it.
struct Row {
    squad: u32,
    tag: Option<u32>,
    pool: Pool,
    outcome: Outcome,
    count: u64,
    input_tokens: u64,
    output_tokens: u64,
    cost_micros: i64,
    started: Instant,
    source: Source,
}

impl Row {
    fn tokens(&self) -> u64 {
        self.input_tokens + self.output_tokens
    }
}

/// A variant's totals while the runs stream by.
#[derive(Default)]
struct Acc {
    stats: Stats,
    first: Option<(Instant, Source)>,
    last: Option<(Instant, Source)>,
    grouped_runs: u64,
    squad_uses: HashMap<u32, u64>,
}

struct Builder<'s> {
    snapshot: &'s Snapshot,
    squads: Vec<String>,
    squad_ix: HashMap<String, u32>,
    tags: Vec<(String, String)>,
    tag_ix: HashMap<(String, String), u32>,
    acc: Vec<Acc>,
    squad_stats: Vec<(Stats, Stats)>,
    all: Stats,
    untagged: Stats,
}

impl<'s> Builder<'s> {
    /// Starts from the run table's own numbering of squads and tags.
    fn new(snapshot: &'s Snapshot) -> Self {
        let squads = snapshot.runs.squad_names().to_vec();
        let tags = snapshot.runs.tags().to_vec();
        Self {
            squad_ix: squads
                .iter()
                .enumerate()
                .map(|(i, s)| (s.clone(), i as u32))
                .collect(),
            tag_ix: tags
                .iter()
                .enumerate()
                .map(|(i, t)| (t.clone(), i as u32))
                .collect(),
            acc: (0..tags.len()).map(|_| Acc::default()).collect(),
            squad_stats: vec![Default::default(); squads.len()],
            squads,
            tags,
            snapshot,
            all: Stats::default(),
            untagged: Stats::default(),
        }
    }

    fn squad(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.squad_ix.get(name) {
            return i;
        }
        self.squads.push(name.to_owned());
        self.squad_stats.push(Default::default());
        let i = (self.squads.len() - 1) as u32;
        self.squad_ix.insert(name.to_owned(), i);
        i
    }

    fn tag(&mut self, workflow: &str, variant: &str) -> u32 {
        let key = (workflow.to_owned(), variant.to_owned());
        if let Some(&i) = self.tag_ix.get(&key) {
            return i;
        }
        self.tags.push(key.clone());
        self.acc.push(Acc::default());
        let i = (self.tags.len() - 1) as u32;
        self.tag_ix.insert(key, i);
        i
    }

    fn id(&self, source: Source) -> &'s str {
        match source {
            Source::Run(i) => self.snapshot.runs.get(i).id(),
            Source::Group(i) => &self.snapshot.run_groups[i].first_run_id,
        }
    }

    fn add(&mut self, row: &Row) {
        self.all.add(row);
        let (squad, squad_untagged) = &mut self.squad_stats[row.squad as usize];
        squad.add(row);
        let Some(tag) = row.tag else {
            squad_untagged.add(row);
            self.untagged.add(row);
            return;
        };
        let (first, last) = {
            let v = &self.acc[tag as usize];
            (v.first, v.last)
        };
        // Earliest by instant, then smallest id; ids are read only on a tie.
        let earlier = match first {
            None => true,
            Some((t, s)) => row.started < t || row.started == t && self.id(row.source) < self.id(s),
        };
        let later = matches!(row.source, Source::Run(_))
            && match last {
                None => true,
                Some((t, s)) => {
                    row.started > t || row.started == t && self.id(row.source) > self.id(s)
                }
            };
        let v = &mut self.acc[tag as usize];
        v.stats.add(row);
        *v.squad_uses.entry(row.squad).or_default() += row.count;
        if earlier {
            v.first = Some((row.started, row.source));
        }
        if later {
            v.last = Some((row.started, row.source));
        }
        if matches!(row.source, Source::Group(_)) {
            v.grouped_runs += row.count;
        }
    }

    fn run_ref(&self, at: Option<(Instant, Source)>) -> Option<RunRef> {
        at.map(|(started, source)| {
            let squad = match source {
                Source::Run(i) => self.snapshot.runs.get(i).squad().to_owned(),
                Source::Group(i) => self.snapshot.run_groups[i].squad.clone(),
            };
            RunRef {
                started,
                id: self.id(source).to_owned(),
                squad,
            }
        })
    }
    /// The variants seen, in key order, each with its catalog status.
    fn variants(&self, catalog: &[CatalogEntry]) -> Vec<VariantFacts> {
        let mut variants: Vec<VariantFacts> = self
            .acc
            .iter()
            .zip(&self.tags)
            .filter(|(acc, _)| acc.stats.uses > 0)
            .map(|(acc, (workflow, variant))| VariantFacts {
                key: variant_key(workflow, variant),
                workflow: workflow.clone(),
                variant: variant.clone(),
                stats: acc.stats.clone(),
                catalog_status: None,
                first: self.run_ref(acc.first),
                last: self.run_ref(acc.last),
                grouped_runs: acc.grouped_runs,
                squad_uses: acc
                    .squad_uses
                    .iter()
                    .map(|(&s, &n)| (self.squads[s as usize].clone(), n))
                    .collect(),
            })
            .collect();
        // Keys sort in byte order, so every script sees the same iteration order.
        variants.sort_by(|x, y| x.key.cmp(&y.key));
        let catalog_status: HashMap<String, CatalogStatus> =
            catalog.iter().map(|c| (c.key(), c.status)).collect();
        for v in &mut variants {
            v.catalog_status = catalog_status.get(&v.key).copied();
        }
        variants
    }
}

impl Facts {
    /// Aggregates a validated snapshot in one pass over its runs and run groups.
    pub fn new(snapshot: Snapshot) -> Arc<Self> {
        let mut b = Builder::new(&snapshot);
        for (i, r) in snapshot.runs.iter().enumerate() {
            b.add(&Row {
                squad: r.squad_index(),
                tag: r.tag_index(),
                pool: r.pool(),
                outcome: r.outcome(),
                count: 1,
                input_tokens: r.input_tokens(),
                output_tokens: r.output_tokens(),
                cost_micros: r.cost_micros(),
                started: r.started(),
                source: Source::Run(i),
            });
        }
        for (i, g) in snapshot.run_groups.iter().enumerate() {
            let squad = b.squad(&g.squad);
            let tag = match (&g.workflow, &g.variant) {
                (Some(w), Some(v)) => Some(b.tag(w, v)),
                _ => None,
            };
            b.add(&Row {
                squad,
                tag,
                pool: g.pool,
                outcome: g.outcome,
                count: g.count,
                input_tokens: g.input_tokens,
                output_tokens: g.output_tokens,
                cost_micros: g.cost_micros,
                started: g.first_started,
                source: Source::Group(i),
            });
        }

        let variants = b.variants(&snapshot.catalog);
        let squad_stats: HashMap<&str, (Stats, Stats)> = b
            .squads
            .iter()
            .zip(&b.squad_stats)
            .map(|(name, stats)| (name.as_str(), stats.clone()))
            .collect();
        let all = b.all.clone();
        let untagged = b.untagged.clone();

        let mut variant_index: HashMap<String, usize> = variants
            .iter()
            .enumerate()
            .map(|(i, v)| (v.key.clone(), i))
            .collect();
        let families = families(&variants, &snapshot);
        let squads = squads(&snapshot, squad_stats);
        let squad_index = squads
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        variant_index.shrink_to_fit();

        Arc::new(Facts {
            snapshot,
            variants,
            variant_index,
            families,
            squads,
            squad_index,
            all,
            untagged,
        })
    }
}

/// Workflow families from the variants seen, and every family the catalog names (with no
/// runs), each with its variants sorted.
fn families(variants: &[VariantFacts], snapshot: &Snapshot) -> BTreeMap<String, FamilyFacts> {
    let mut families: BTreeMap<String, FamilyFacts> = BTreeMap::new();
    for v in variants {
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
    families
}

/// Squads in snapshot order, with their budgets, top-ups and counters (`squad_stats`: by
/// squad id, all runs and untagged runs).
fn squads(snapshot: &Snapshot, mut squad_stats: HashMap<&str, (Stats, Stats)>) -> Vec<SquadFacts> {
    let mut granted: HashMap<&str, u64> = HashMap::new();
    let mut requested: HashMap<&str, u64> = HashMap::new();
    for t in &snapshot.topups {
        let into = match t.status {
            TopupStatus::Granted => &mut granted,
            TopupStatus::Requested => &mut requested,
        };
        *into.entry(&t.squad).or_default() += t.tokens;
    }
    let baselines = crate::snapshot::baselines(snapshot);
    snapshot
        .squads
        .iter()
        .map(|s| {
            let (stats, untagged) = squad_stats.remove(s.id.as_str()).unwrap_or_default();
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
        .collect()
}
