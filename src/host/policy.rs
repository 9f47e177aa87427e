//! A policy pack: the `*.rhai` files of one folder, their declarations, and the order
//! their declared reads give.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rhai::{Dynamic, Engine, AST};

use super::{Domain, Limits, PolicyError};
use crate::decision::PolicyRecord;
use crate::digest::sha256_hex;

/// What a policy promised to decide (`const DECIDES = "...";`), and where it said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decides {
    pub domain: Domain,
    pub line: Option<usize>,
    pub column: usize,
}

/// One compiled policy and what it declared.
pub struct Policy {
    pub name: String,
    pub description: String,
    pub reads: Vec<String>,
    pub decides: Option<Decides>,
    /// File name within the pack, as recorded in decisions (`promotion.rhai`).
    pub file: String,
    /// Path as the user gave it, for error messages.
    pub path: PathBuf,
    pub source: Arc<str>,
    pub sha256: String,
    pub ast: AST,
}

/// The policies of a folder, in evaluation order.
pub struct Pack {
    pub dir: PathBuf,
    pub policies: Vec<Policy>,
}

impl Pack {
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
}

fn constant(ast: &AST, name: &str) -> Option<Dynamic> {
    ast.iter_literal_variables(true, false)
        .find(|(n, ..)| *n == name)
        .map(|(_, _, v)| v)
}

/// Where `const NAME` is declared, as (line, column), for errors about the declaration.
fn declaration(source: &str, name: &str) -> Option<(usize, usize)> {
    source.lines().enumerate().find_map(|(i, line)| {
        let code = line.trim_start();
        let rest = code
            .strip_prefix("const")?
            .trim_start()
            .strip_prefix(name)?;
        rest.trim_start().starts_with('=').then(|| {
            let indent = line.chars().count() - code.chars().count();
            (i + 1, indent + 1)
        })
    })
}

/// An error about a policy's declaration of `name`, placed at it.
fn declared_at(policy: &Policy, name: &str, message: String) -> Box<PolicyError> {
    let error = PolicyError::new(&policy.path, message);
    match declaration(&policy.source, name) {
        Some((line, column)) => error.at(
            rhai::Position::new(line as u16, column as u16),
            Some(&policy.source),
        ),
        None => error,
    }
}

fn compile(engine: &Engine, path: &Path, limits: &Limits) -> Result<Policy, Box<PolicyError>> {
    let bytes = std::fs::read(path)
        .map_err(|e| PolicyError::new(path, format!("cannot read the policy: {e}")))?;
    let text = String::from_utf8(bytes.clone())
        .map_err(|_| PolicyError::new(path, "the policy is not valid UTF-8"))?;
    let source: Arc<str> = Arc::from(text.as_str());
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Strict variables need to know `facts` exists; a plain variable (not a constant)
    // keeps the optimiser from folding its placeholder value into the script.
    let mut names = rhai::Scope::new();
    names.push("facts", ());
    let mut ast = engine
        .compile_with_scope(&names, &text)
        .map_err(|e| super::parse_error(path, &source, &e, limits))?;
    ast.set_source(file.as_str());

    let at = |name: &str, error: Box<PolicyError>| match declaration(&text, name) {
        Some((line, column)) => error.at(
            rhai::Position::new(line as u16, column as u16),
            Some(&source),
        ),
        None => error,
    };
    let declared = |name: &str| -> Result<Option<String>, Box<PolicyError>> {
        match constant(&ast, name) {
            None => Ok(None),
            Some(v) => v.into_string().map(Some).map_err(|_| {
                at(
                    name,
                    PolicyError::new(path, format!("`const {name}` must be a string literal")),
                )
            }),
        }
    };
    let Some(name) = declared("POLICY")? else {
        return Err(PolicyError::new(
            path,
            "the policy declares no name: add `const POLICY = \"...\";` at the top",
        ));
    };
    let description = declared("DESCRIPTION")?.unwrap_or_default();
    let reads = match constant(&ast, "READS") {
        None => Vec::new(),
        Some(v) => v
            .into_typed_array::<rhai::ImmutableString>()
            .map(|a| a.into_iter().map(|s| s.to_string()).collect())
            .map_err(|_| {
                at(
                    "READS",
                    PolicyError::new(path, "`const READS` must be an array of policy names"),
                )
            })?,
    };
    let decides = match declared("DECIDES")? {
        None => None,
        Some(name) => {
            let Some(domain) = Domain::parse(&name) else {
                let known: Vec<String> = Domain::ALL
                    .iter()
                    .map(|d| format!("`{}`", d.name()))
                    .collect();
                return Err(at(
                    "DECIDES",
                    PolicyError::new(
                        path,
                        format!(
                            "`DECIDES` names `{name}`, which is not a domain (use one of {})",
                            known.join(", ")
                        ),
                    ),
                ));
            };
            let (line, column) = declaration(&text, "DECIDES").unzip();
            Some(Decides {
                domain,
                line,
                column: column.unwrap_or(1),
            })
        }
    };
    Ok(Policy {
        name,
        description,
        reads,
        decides,
        file,
        path: path.to_owned(),
        source,
        sha256: sha256_hex(&bytes),
        ast,
    })
}

/// Compiles every `*.rhai` file directly in `dir` (sub-folders hold modules to import),
/// then orders them so each runs after the policies it reads; ties go by name.
pub fn load(engine: &Engine, dir: &Path, limits: &Limits) -> Result<Pack, Box<PolicyError>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| PolicyError::new(dir, format!("cannot read the policy folder: {e}")))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rhai"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(PolicyError::new(
            dir,
            "no `*.rhai` policy files in this folder",
        ));
    }
    let mut by_name: BTreeMap<String, Policy> = BTreeMap::new();
    let root = dir
        .canonicalize()
        .map_err(|e| PolicyError::new(dir, format!("cannot read the policy folder: {e}")))?;
    for path in paths {
        // A link may point anywhere; the pack is what is inside the folder.
        let inside = path
            .canonicalize()
            .is_ok_and(|real| real.starts_with(&root));
        if !inside {
            return Err(PolicyError::new(
                &path,
                "the policy is a link to a file outside the policy folder, which is not allowed",
            ));
        }
        let policy = compile(engine, &path, limits)?;
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
        dir: dir.to_owned(),
        policies,
    })
}
