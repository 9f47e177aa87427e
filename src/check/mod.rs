//! `check`: the mistakes a pack shows before any sprint runs, every one of every file in
//! one go: syntax, declarations, what policies read of each other, fact fields that do not
//! exist, and literal arguments the decision API refuses (see each family's file).

mod calls;
mod cases;
mod declarations;
mod fields;
mod operators;
mod reads;
mod recorded;
mod site;
mod ty;
mod values;
mod walk;

use crate::error::Code;
use crate::host::{Pack, PackSource, PolicyError, Survey};
use crate::limits::Limits;

/// What `check` found in a pack.
pub struct Report {
    /// Every finding, by file, line and column.
    pub findings: Vec<PolicyError>,
    /// The pack in evaluation order, when every file compiles and the reads hold together.
    pub pack: Option<Pack>,
}

/// Checks every policy and module of `source`.
pub fn check(source: &PackSource, limits: Limits) -> Report {
    check_with_cases(source, limits, None)
}

/// Checks every policy and module of `source` and, given the pack's `tests` folder, the
/// value names its cases expect (`cases.rs`).
pub fn check_with_cases(
    source: &PackSource,
    limits: Limits,
    tests: Option<&std::path::Path>,
) -> Report {
    let survey = Survey::new(source, limits);
    let mut findings: Vec<PolicyError> = survey.errors.iter().map(|e| (**e).clone()).collect();
    // Policy files that did not compile: a `READS` naming one is explained by its finding.
    let broken: Vec<&str> = source
        .policies()
        .iter()
        .filter(|read| !survey.policies.iter().any(|p| p.file == read.file))
        .map(|read| read.file.as_str())
        .collect();
    findings.extend(reads::declarations(&survey.policies, &broken));
    let names: Vec<String> = survey.policies.iter().map(|p| p.name.clone()).collect();
    let recorded = recorded::of(&survey.policies);
    let compiles = findings.is_empty();

    for read in source.policies() {
        let policy = survey.policies.iter().find(|p| p.file == read.file);
        findings.extend(analyse(
            &survey, &read.path, &read.text, policy, &names, &recorded, true,
        ));
    }
    if let Some(tests) = tests {
        let max_bytes = limits.max_snapshot_mb.saturating_mul(1 << 20);
        findings.extend(cases::values(tests, &recorded, max_bytes));
    }
    for module in source.modules() {
        findings.extend(analyse(
            &survey,
            &module.path,
            &module.text,
            None,
            &names,
            &recorded,
            false,
        ));
    }

    let pack = if compiles {
        match survey.load() {
            Ok(pack) => Some(pack),
            Err(e) => {
                findings.push(*e);
                None
            }
        }
    } else {
        None
    };
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message))
    });
    Report { findings, pack }
}

/// The static checks of one file, when it parses.
fn analyse(
    survey: &Survey,
    path: &std::path::Path,
    text: &std::sync::Arc<str>,
    policy: Option<&crate::host::Policy>,
    names: &[String],
    recorded: &recorded::Recorded,
    is_policy: bool,
) -> Vec<PolicyError> {
    let Some(ast) = survey.as_written(text) else {
        return Vec::new();
    };
    let mut site = site::Site {
        path,
        source: text,
        policy,
        names,
        recorded,
        findings: Vec::new(),
    };
    walk::file(&mut site, &ast, is_policy);
    declarations::repeated(&mut site, &ast);
    let broken = survey
        .errors
        .iter()
        .find(|e| e.path == path && e.code == Some(Code::Declaration));
    if let Some(first) = broken {
        declarations::after_first(&mut site, &ast, &first.message);
    }
    site.findings
}
