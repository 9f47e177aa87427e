//! What trends keeps of one evaluated sprint: a few figures per squad, per variant key and
//! per catalog entry, taken from the snapshot and the pack's decisions and nothing more,
//! so a series costs memory by its variants and squads, never by its runs.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::decision::{Decision, Document};
use crate::instant::Instant;
use crate::snapshot::{CatalogStatus, Pool, Snapshot, Sprint, TopupStatus};

use super::rows::{Health, Measure};

/// One sprint, as trends needs it.
#[derive(Debug, Clone)]
pub struct Sample {
    pub path: String,
    pub sprint: Sprint,
    pub org: Option<String>,
    pub snapshot_sha256: String,
    pub pack_sha256: String,
    /// Every policy and module file of the pack → its SHA-256.
    pub pack_files: BTreeMap<String, String>,
    /// Squad → baseline tokens (0 without a budget entry) + granted top-up tokens.
    pub capacity: BTreeMap<String, u64>,
    /// Squad → tokens of its granted top-ups, and how many were granted.
    pub topups: BTreeMap<String, u64>,
    pub topup_grants: usize,
    /// Squad → the tokens the `allocation` rule gives its headcount (`base_tokens`),
    /// before credits: what the handbook entitles it to.
    pub entitled: BTreeMap<String, u64>,
    /// Squad → headcount (squads listed in `squads`).
    pub headcount: BTreeMap<String, u64>,
    /// Variant key → the squad of its earliest exploration-pool run this sprint (by start,
    /// ties: smallest run id): who explored it first, whoever is credited.
    pub first_explorer: BTreeMap<String, String>,
    pub exploration_tokens_by_family: BTreeMap<String, u64>,
    pub untagged_exploration_tokens: u64,
    pub variants: BTreeMap<String, Use>,
    pub catalog: BTreeMap<String, Catalogued>,
    /// Variant keys judged `candidate` by `promotion` → the origin squad it recorded.
    pub candidates: BTreeMap<String, Option<String>>,
    /// `credit` / `co-credit` decisions.
    pub credits: Vec<Credit>,
    /// Variant keys the `sunset` policy decided `sunset` about.
    pub sunset: BTreeSet<String>,
    pub health: Health,
}

/// A variant key's runs this sprint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Use {
    pub runs: u64,
    pub exploration_runs: u64,
}

/// A catalog entry as this sprint's snapshot records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogued {
    pub standard: bool,
    pub origin_squad: Option<String>,
    pub promoted_in: Option<String>,
}

/// Tokens a decision of `crediting` gave a squad for a variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit {
    pub variant: String,
    pub squad: String,
    /// `credit` (the origin) rather than `co-credit`.
    pub origin: bool,
    pub tokens: u64,
}

// The default pack's names for what trends reads; a pack that names them otherwise still
// gets its sprint rows, without the figures it does not give.
const PROMOTION: &str = "promotion";
const CREDITING: &str = "crediting";
const HEALTH: &str = "health";
const TOPUPS: &str = "topups";
const SUNSET: &str = "sunset";
const ALLOCATION: &str = "allocation";

impl Sample {
    /// Keeps what trends needs of `snapshot` (read before the pack consumes it).
    pub fn of_snapshot(path: String, snapshot: &Snapshot) -> Self {
        let mut capacity: BTreeMap<String, u64> =
            snapshot.squads.iter().map(|s| (s.id.clone(), 0)).collect();
        let headcount = snapshot
            .squads
            .iter()
            .map(|s| (s.id.clone(), s.headcount))
            .collect();
        for b in &snapshot.budgets.exploration {
            *capacity.entry(b.squad.clone()).or_default() += b.baseline_tokens;
        }
        let mut informal_topups = Vec::new();
        let mut topups: BTreeMap<String, u64> = BTreeMap::new();
        let mut topup_grants = 0;
        for t in &snapshot.topups {
            if t.status == TopupStatus::Granted {
                *capacity.entry(t.squad.clone()).or_default() += t.tokens;
                *topups.entry(t.squad.clone()).or_default() += t.tokens;
                topup_grants += 1;
                if t.approved_by.as_deref().is_none_or(|a| a.trim().is_empty()) {
                    informal_topups.push(t.id.clone());
                }
            }
        }
        informal_topups.sort();
        let catalog = snapshot
            .catalog
            .iter()
            .map(|c| {
                let entry = Catalogued {
                    standard: c.status == CatalogStatus::Standard,
                    origin_squad: c.origin_squad.clone(),
                    promoted_in: c.promoted_in.clone(),
                };
                (c.key(), entry)
            })
            .collect();
        let mut sample = Self {
            path,
            sprint: snapshot.sprint.clone(),
            org: snapshot.org.clone(),
            snapshot_sha256: String::new(),
            pack_sha256: String::new(),
            pack_files: BTreeMap::new(),
            capacity,
            topups,
            topup_grants,
            entitled: BTreeMap::new(),
            headcount,
            first_explorer: BTreeMap::new(),
            exploration_tokens_by_family: BTreeMap::new(),
            untagged_exploration_tokens: 0,
            variants: BTreeMap::new(),
            catalog,
            candidates: BTreeMap::new(),
            credits: Vec::new(),
            sunset: BTreeSet::new(),
            health: Health {
                outcome: None,
                gini: None,
                topup_concentration: None,
                untagged_share: None,
                squads_without_baseline: None,
                informal_topups,
                topup_violations: 0,
            },
        };
        sample.count_runs(snapshot);
        sample
    }

    /// One pass over the run columns, counting by interned tag; then the totals of each
    /// tag and each run group are added by key.
    fn count_runs(&mut self, snapshot: &Snapshot) {
        let tags = snapshot.runs.tags();
        let mut by_tag = vec![(Use::default(), 0u64); tags.len()];
        // Per tag, the earliest exploration run: (start, run index), compared by id on ties.
        let mut first: Vec<Option<(Instant, usize)>> = vec![None; tags.len()];
        for (i, run) in snapshot.runs.iter().enumerate() {
            let exploring = run.pool() == Pool::Exploration;
            match run.tag_index() {
                Some(t) => {
                    let (used, tokens) = &mut by_tag[t as usize];
                    used.runs += 1;
                    if exploring {
                        used.exploration_runs += 1;
                        *tokens += run.tokens();
                        let earlier = match first[t as usize] {
                            None => true,
                            Some((at, j)) => match run.started().cmp(&at) {
                                std::cmp::Ordering::Less => true,
                                std::cmp::Ordering::Equal => run.id() < snapshot.runs.get(j).id(),
                                std::cmp::Ordering::Greater => false,
                            },
                        };
                        if earlier {
                            first[t as usize] = Some((run.started(), i));
                        }
                    }
                }
                None if exploring => self.untagged_exploration_tokens += run.tokens(),
                None => {}
            }
        }
        let mut earliest: BTreeMap<String, (Instant, &str, &str)> = BTreeMap::new();
        for ((workflow, variant), (used, tokens)) in tags.iter().zip(by_tag) {
            self.add(Some((workflow, variant)), used, tokens);
        }
        for (t, at) in first.iter().enumerate() {
            if let Some((at, j)) = *at {
                let run = snapshot.runs.get(j);
                let (w, v) = &tags[t];
                earliest.insert(
                    crate::snapshot::variant_key(w, v),
                    (at, run.id(), run.squad()),
                );
            }
        }
        for g in &snapshot.run_groups {
            let exploring = g.pool == Pool::Exploration;
            if let (true, Some(w), Some(v)) = (exploring, &g.workflow, &g.variant) {
                let seen = (g.first_started, g.first_run_id.as_str(), g.squad.as_str());
                earliest
                    .entry(crate::snapshot::variant_key(w, v))
                    .and_modify(|e| {
                        if (seen.0, seen.1) < (e.0, e.1) {
                            *e = seen;
                        }
                    })
                    .or_insert(seen);
            }
            let used = Use {
                runs: g.count,
                exploration_runs: if exploring { g.count } else { 0 },
            };
            let tokens = if exploring {
                g.input_tokens + g.output_tokens
            } else {
                0
            };
            let tag = g.workflow.as_deref().zip(g.variant.as_deref());
            self.add(tag, used, tokens);
        }
        self.first_explorer = earliest
            .into_iter()
            .map(|(key, (_, _, squad))| (key, squad.to_owned()))
            .collect();
    }

    /// Adds runs of one tag (`None`: untagged) and their exploration tokens.
    fn add(&mut self, tag: Option<(&str, &str)>, used: Use, exploration_tokens: u64) {
        let Some((workflow, variant)) = tag else {
            self.untagged_exploration_tokens += exploration_tokens;
            return;
        };
        if used.runs == 0 {
            return;
        }
        let entry = self
            .variants
            .entry(crate::snapshot::variant_key(workflow, variant))
            .or_default();
        entry.runs += used.runs;
        entry.exploration_runs += used.exploration_runs;
        if used.exploration_runs > 0 {
            *self
                .exploration_tokens_by_family
                .entry(workflow.to_owned())
                .or_default() += exploration_tokens;
        }
    }

    /// Adds what the pack decided about this sprint.
    pub fn take_decisions(&mut self, document: &Document) {
        self.snapshot_sha256 = document.inputs.snapshot_sha256.clone();
        self.pack_sha256 = document.inputs.pack_sha256.clone();
        self.pack_files = document
            .inputs
            .policies
            .iter()
            .map(|p| (p.file.clone(), p.sha256.clone()))
            .chain(
                document
                    .inputs
                    .modules
                    .iter()
                    .map(|m| (m.file.clone(), m.sha256.clone())),
            )
            .collect();
        for d in &document.decisions {
            match (d.policy.as_str(), d.outcome.as_str()) {
                (PROMOTION, "candidate") => {
                    let origin = d.values.get("origin_squad").and_then(Value::as_str);
                    self.candidates
                        .insert(d.subject.clone(), origin.map(str::to_owned));
                }
                (CREDITING, "credit" | "co-credit") => {
                    if let Some(credit) = credit(d) {
                        self.credits.push(credit);
                    }
                }
                (HEALTH, _) if d.subject == "org" => self.take_health(d),
                (TOPUPS, "violation") => self.health.topup_violations += 1,
                (ALLOCATION, _) => {
                    if let Some(base) = d.values.get("base_tokens").and_then(Value::as_u64) {
                        self.entitled.insert(d.subject.clone(), base);
                    }
                }
                (SUNSET, "sunset") => {
                    self.sunset.insert(d.subject.clone());
                }
                _ => {}
            }
        }
    }

    fn take_health(&mut self, d: &Decision) {
        let h = &mut self.health;
        h.outcome = Some(d.outcome.clone());
        let measure = |value: &str, label: &str| {
            let value = d.values.get(value).and_then(Value::as_f64)?;
            let check = d.explanation.checks.iter().find(|c| c.label == label);
            Some(Measure {
                value,
                op: check.map(|c| c.op.to_string()),
                threshold: check.and_then(|c| c.threshold.as_f64()),
                pass: check.map(|c| c.pass),
            })
        };
        h.gini = measure("gini", "gini of capacity");
        h.topup_concentration = measure("topup_concentration", "top-up concentration");
        h.untagged_share = measure("untagged_share", "untagged exploration share");
        h.squads_without_baseline = d
            .values
            .get("missing_baseline")
            .and_then(Value::as_array)
            .map(|list| {
                let mut squads: Vec<String> = list
                    .iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect();
                squads.sort();
                squads
            });
    }
}

/// A credit decision's variant, squad and tokens; subjects are `<variant key>@<squad>`.
fn credit(d: &Decision) -> Option<Credit> {
    let text = |name: &str| d.values.get(name).and_then(Value::as_str);
    let (key, squad) = d.subject.rsplit_once('@')?;
    Some(Credit {
        variant: text("variant").unwrap_or(key).to_owned(),
        squad: text("squad").unwrap_or(squad).to_owned(),
        origin: d.outcome == "credit",
        tokens: d.values.get("tokens").and_then(Value::as_u64).unwrap_or(0),
    })
}
