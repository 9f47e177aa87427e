//! What `bursar check` prints: the policies of a compiled pack in evaluation order, with
//! what each declares, then the modules they may import (names, files and descriptions
//! escaped for the terminal); and its findings, through the diagnostic renderers.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

use super::diagnostic;
use crate::error::PolicyError;
use crate::host::Pack;
use crate::text::escape_terminal as esc;

/// The pack at `dir` as a numbered list (name, file, description, `DECIDES`, `READS`),
/// then its modules.
pub fn listing(dir: &Path, pack: &Pack) -> String {
    let count = pack.policies.len();
    let mut out = format!(
        "{}: {count} polic{} compiled, in evaluation order:\n",
        esc(&dir.display().to_string()),
        if count == 1 { "y" } else { "ies" }
    );
    for (i, policy) in pack.policies.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>3}. {} ({})",
            i + 1,
            esc(&policy.name),
            esc(&policy.file)
        );
        if !policy.description.is_empty() {
            let _ = writeln!(out, "     {}", esc(&policy.description));
        }
        if let Some(decides) = &policy.decides {
            let _ = writeln!(
                out,
                "     decides: {} ({})",
                decides.domain.name(),
                decides.domain.promise()
            );
        }
        if !policy.reads.is_empty() {
            let _ = writeln!(out, "     reads: {}", esc(&policy.reads.join(", ")));
        }
    }
    let modules = pack.module_records();
    if !modules.is_empty() {
        let _ = writeln!(
            out,
            "{} compiled, for policies to import:",
            crate::text::count(modules.len(), "module")
        );
        for module in &modules {
            let _ = writeln!(out, "     {}", esc(&module.file));
        }
    }
    out
}

/// The findings of `check` for people: each as `diagnostic::policy` renders an error, then
/// how many there are in how many files.
pub fn findings(findings: &[PolicyError]) -> String {
    let mut out = String::new();
    for finding in findings {
        let _ = write!(out, "error: {}", diagnostic::policy(finding));
    }
    let files: BTreeSet<&Path> = findings.iter().map(|f| f.path.as_path()).collect();
    let _ = writeln!(
        out,
        "check: {} in {}",
        crate::text::count(findings.len(), "finding"),
        crate::text::count(files.len(), "file")
    );
    out
}

/// The findings as data: one JSON object per line, as `diagnostic::policy_json` writes it.
pub fn findings_json(findings: &[PolicyError]) -> String {
    findings
        .iter()
        .map(|f| format!("{}\n", diagnostic::policy_json(f)))
        .collect()
}

/// `check --format json`: one document with the pack (the listing as data, `null` when it
/// does not compile) and every finding, as `diagnostic::policy_json` writes each.
pub fn document(dir: &Path, pack: Option<&Pack>, findings: &[PolicyError]) -> String {
    let policies = pack.map(|pack| {
        pack.policies
            .iter()
            .map(|p| {
                serde_json::json!({
                    "name": p.name,
                    "file": p.file,
                    "description": p.description,
                    "decides": p.decides.as_ref().map(|d| d.domain.name()),
                    "reads": p.reads,
                    "outcomes": p.outcomes,
                })
            })
            .collect::<Vec<_>>()
    });
    let modules = pack.map(|pack| {
        pack.module_records()
            .into_iter()
            .map(|m| m.file)
            .collect::<Vec<_>>()
    });
    let files: BTreeSet<&Path> = findings.iter().map(|f| f.path.as_path()).collect();
    let document = serde_json::json!({
        "policies_dir": dir.display().to_string(),
        "compiled": pack.is_some(),
        "policies": policies,
        "modules": modules,
        "findings": findings.iter().map(diagnostic::policy_json).collect::<Vec<_>>(),
        "summary": {"findings": findings.len(), "files": files.len()},
    });
    format!("{document:#}\n")
}
