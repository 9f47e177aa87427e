//! A policy pack compiled: its policies in the order their declared reads give, and the
//! modules they may import, all from the bytes read once with the pack.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rhai::Engine;

use super::PolicyError;
use super::policy::{Policy, compile, declared_at};
use super::source::PackSource;
use super::syntax::parse_error;
use crate::decision::{ModuleRecord, PolicyRecord};
use crate::limits::Limits;

/// The policies of a folder, in evaluation order, and the pack they were compiled from.
pub struct Pack {
    pub(crate) dir: PathBuf,
    pub(crate) policies: Vec<Policy>,
    pub(crate) source: PackSource,
}

impl Pack {
    /// The policies as the document records them, sorted by name.
    pub fn records(&self) -> Vec<PolicyRecord> {
        let mut records: Vec<PolicyRecord> = self
            .policies
            .iter()
            .map(|p| PolicyRecord {
                name: p.name.clone(),
                file: p.file.clone(),
                sha256: p.sha256.clone(),
                description: p.description.clone(),
                reads: p.reads.clone(),
            })
            .collect();
        records.sort_by(|a, b| a.name.cmp(&b.name));
        records
    }

    /// The modules as the document records them, sorted by path.
    pub fn module_records(&self) -> Vec<ModuleRecord> {
        self.source
            .modules()
            .map(|m| ModuleRecord {
                file: m.file.clone(),
                sha256: m.sha256.clone(),
            })
            .collect()
    }

    /// One digest over every policy and module: see [`PackSource::sha256`].
    pub fn sha256(&self) -> String {
        self.source.sha256().to_owned()
    }
}

/// Compiles every module (so a broken one is reported whether or not a policy imports it
/// yet, by `check` as by `eval`) and every policy, then orders the policies so each runs
/// after the policies it reads; ties go by name.
pub fn load(
    engine: &Engine,
    source: &PackSource,
    limits: &Limits,
) -> Result<Pack, Box<PolicyError>> {
    for module in source.modules() {
        engine
            .compile(&*module.text)
            .map_err(|e| parse_error(&module.path, &module.text, &e, limits))?;
    }
    let mut by_name: BTreeMap<String, Policy> = BTreeMap::new();
    for read in source.policies() {
        let policy = compile(engine, read, limits)?;
        if let Some(other) = by_name.get(&policy.name) {
            return Err(declared_at(
                &policy,
                "POLICY",
                format!(
                    "policy name `{}` is already used by `{}`",
                    policy.name, other.file
                ),
            ));
        }
        by_name.insert(policy.name.clone(), policy);
    }
    for policy in by_name.values() {
        for read in &policy.reads {
            if !by_name.contains_key(read) {
                return Err(declared_at(
                    policy,
                    "READS",
                    format!("`READS` names `{read}`, which is not a policy in this pack"),
                ));
            }
        }
    }

    // Kahn's algorithm over names in byte order, so the order is the same everywhere.
    let mut order = Vec::new();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    while placed.len() < by_name.len() {
        let next = by_name
            .values()
            .find(|p| !placed.contains(&p.name) && p.reads.iter().all(|r| placed.contains(r)))
            .map(|p| p.name.clone());
        match next {
            Some(name) => {
                placed.insert(name.clone());
                order.push(name);
            }
            None => {
                let stuck: Vec<String> = by_name
                    .keys()
                    .filter(|n| !placed.contains(*n))
                    .map(|n| format!("`{n}`"))
                    .collect();
                let first = &by_name[by_name
                    .keys()
                    .find(|n| !placed.contains(*n))
                    .expect("some left")];
                return Err(declared_at(
                    first,
                    "READS",
                    format!("policies read each other in a cycle: {}", stuck.join(", ")),
                ));
            }
        }
    }
    let policies = order
        .into_iter()
        .map(|n| by_name.remove(&n).expect("every ordered name is loaded"))
        .collect();
    Ok(Pack {
        dir: source.dir().to_owned(),
        policies,
        source: source.clone(),
    })
}
