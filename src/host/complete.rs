//! What a policy must have done by the time it ends: every decision it opened recorded or
//! discarded, and, when it declares `DECIDES`, exactly one decision per subject of its
//! domain. Either failure would otherwise write a document that looks complete.

use rhai::Position;

use super::PolicyError;
use super::policy::Policy;
use super::record::State;
use super::source::PackSource;
use crate::facts::Facts;

/// Refuses a policy that opened a decision and neither recorded nor discarded it, at the
/// `decision(..)` call that opened the first such one.
pub fn recorded(policy: &Policy, pack: &PackSource, s: &State) -> Result<(), Box<PolicyError>> {
    let mut open = s.opened.iter().filter(|d| d.is_open());
    let Some(first) = open.next() else {
        return Ok(());
    };
    let more = match open.count() {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    let (file, pos) = first.opened();
    let (path, text) = pack.locate(&file);
    let error = PolicyError::new(
        &path,
        format!(
            "policy `{}` opened a decision for `{}` and never recorded it{more}: end it with \
             `d.record(outcome, severity)`, or with `d.discard()` if the subject is dropped on \
             purpose",
            policy.name,
            first.subject()
        ),
    );
    Err(match text {
        Some(text) if !pos.is_none() => error.at(pos, Some(&text)),
        _ => error,
    })
}

/// Refuses a policy that missed a subject of its declared domain or decided one
/// outside it.
pub fn domain(policy: &Policy, facts: &Facts, s: &State) -> Result<(), Box<PolicyError>> {
    let Some(decides) = &policy.decides else {
        return Ok(());
    };
    let expected = decides.domain.subjects(facts);
    let promise = format!(
        "`DECIDES = \"{}\"`: {}",
        decides.domain.name(),
        decides.domain.promise()
    );
    let mut extra: Vec<(&String, &(String, Position))> = s
        .subjects
        .iter()
        .filter(|(subject, _)| !expected.contains(*subject))
        .collect();
    extra.sort_by(|a, b| a.0.cmp(b.0));
    if let Some((subject, (file, pos))) = extra.first() {
        let message = format!(
            "policy `{}` decided `{subject}`, which is not one of its subjects ({promise})",
            policy.name
        );
        // Placed on the policy's line when the policy recorded it; a module's line is named.
        return Err(if *file == policy.file {
            PolicyError::new(&policy.path, message).at(*pos, Some(&policy.source))
        } else {
            let line = pos.line().unwrap_or(0);
            PolicyError::new(
                &policy.path,
                format!("{message} (recorded in `{file}:{line}`)"),
            )
        });
    }
    let missing: Vec<&String> = expected
        .iter()
        .filter(|subject| !s.subjects.contains_key(*subject))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 3;
    let list: Vec<String> = missing
        .iter()
        .take(SHOWN)
        .map(|m| format!("`{m}`"))
        .collect();
    let mut list = list.join(", ");
    if missing.len() > SHOWN {
        list.push_str(&format!(" and {} more", missing.len() - SHOWN));
    }
    let of = format!("{} of its subjects", missing.len());
    let error = PolicyError::new(
        &policy.path,
        format!(
            "policy `{}` made no decision for {of}: {list} ({promise})",
            policy.name
        ),
    );
    Err(match decides.line {
        Some(line) => error.at_line(line, decides.column, Some(&policy.source)),
        None => error,
    })
}
