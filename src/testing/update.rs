//! `--update`: a case's expectation lines rewritten from what the pack now decides, in
//! place; comments, `scope` lines, blank lines and the snapshot are kept byte for byte.

use super::case::{Case, EXCEPTIONS_MARKER, Expected, SNAPSHOT_MARKER};
use super::report::CaseReport;
use super::run::spell;
use super::words::quote;
use crate::decision::Decision;

/// The case file's new text. An expectation keeps its line and the value names it
/// listed; one whose decision is gone becomes `<policy> <subject> none`; a decision the
/// case did not list (within its scope) gets a line after the last expectation.
pub fn rewrite(case: &Case, decisions: &[Decision]) -> String {
    let find = |policy: &str, subject: &str| {
        decisions
            .iter()
            .find(|d| d.policy == policy && d.subject == subject)
    };
    let new_lines: Vec<String> = decisions
        .iter()
        // A case that names nothing yet is filled with every decision of the pack.
        .filter(|d| case.judges(&d.policy) || case.names_nothing())
        .filter(|d| {
            !case
                .expectations
                .iter()
                .any(|e| e.policy == d.policy && e.subject == d.subject)
        })
        .map(|d| format!("{}\n", line(&d.policy, &d.subject, Some(d), &[])))
        .collect();
    // After the last expectation, or just before the snapshot when there is none.
    let insert_after = case.expectations.iter().map(|e| e.line).max();
    let mut out = String::with_capacity(case.text.len());
    let mut in_header = true;
    for (i, raw) in case.text.split_inclusive('\n').enumerate() {
        let n = i + 1;
        // New lines go before the first marker: after `--- exceptions` they would be JSON.
        if in_header && [SNAPSHOT_MARKER, EXCEPTIONS_MARKER].contains(&raw.trim()) {
            in_header = false;
            if insert_after.is_none() {
                out.extend(new_lines.iter().map(String::as_str));
            }
        }
        match case.expectations.iter().find(|e| e.line == n && in_header) {
            Some(exp) => {
                let ending = if raw.ends_with("\r\n") {
                    "\r\n"
                } else if raw.ends_with('\n') {
                    "\n"
                } else {
                    ""
                };
                let names = match &exp.expected {
                    Expected::Decision { values, .. } => {
                        values.iter().map(|(k, _)| k.as_str()).collect()
                    }
                    Expected::None => Vec::new(),
                };
                out.push_str(&line(
                    &exp.policy,
                    &exp.subject,
                    find(&exp.policy, &exp.subject),
                    &names,
                ));
                out.push_str(ending);
            }
            None => out.push_str(raw),
        }
        if insert_after == Some(n) {
            out.extend(new_lines.iter().map(String::as_str));
        }
    }
    out
}

/// One expectation line, without its ending.
fn line(policy: &str, subject: &str, decision: Option<&Decision>, names: &[&str]) -> String {
    // Quoted where a word would not read back as itself (`"tu 2"`), or as a keyword.
    let head = format!("{} {}", quote(policy, &["scope"]), quote(subject, &[]));
    let Some(d) = decision else {
        return format!("{head} none");
    };
    let mut text = format!("{head} {}", quote(&d.outcome, &["none"]));
    for name in names {
        if let Some(value) = d.values.get(*name) {
            text.push_str(&format!(
                " {}={}",
                quote(name, &[]),
                quote(&spell(value), &[])
            ));
        }
    }
    text
}

/// One case after `--update`: the report of the rewritten case, and its new text when it
/// differs from what the file holds.
pub struct Rewritten {
    pub report: CaseReport,
    pub text: Option<String>,
}

/// `--update` of one case, given what the pack decided on it: the case rewritten, read
/// back, and judged again. Quoting makes every rewritten line read back; should one not,
/// the error is returned and the caller rewrites nothing.
pub fn update(case: &Case, decisions: &[Decision]) -> crate::Result<Rewritten> {
    let text = rewrite(case, decisions);
    let updated = Case::parse(&case.path, text.clone())?;
    Ok(Rewritten {
        report: super::run_case(&updated, decisions),
        text: (text != case.text).then_some(text),
    })
}
