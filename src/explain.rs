//! One decision explained for a person: the decision found by subject (and policy), and
//! the decisions it drew on (`because`), followed recursively through the document, so
//! an allocation shows its credits, each credit its promotion decision, and that one the
//! runs it counted.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::decision::{Decision, Document, Link};

/// A decision and what it drew on, as far as the document goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node<'a> {
    #[serde(flatten)]
    pub decision: &'a Decision,
    /// Each decision of `because`, explained the same way, in the order of `because`.
    pub drew_on: Vec<Node<'a>>,
    /// Links of `because` that lead to no decision of the document (a file edited by
    /// hand: bursar never writes one) or back into the chain being explained.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unresolved: Vec<Link>,
}

/// What `explain` shows: the sprint, and every decision about the subject asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation<'a> {
    pub sprint: &'a str,
    pub subject: &'a str,
    pub explained: Vec<Node<'a>>,
}

/// Why nothing could be explained: the subject or policy asked for is not in the
/// document, with the nearest ones that are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotFound {
    /// No policy of this name decided anything; `nearest` are policies that did.
    Policy {
        policy: String,
        nearest: Vec<String>,
    },
    /// No decision about the subject (by `policy`, when given); `nearest` are decisions
    /// with the closest subjects.
    Subject {
        subject: String,
        policy: Option<String>,
        nearest: Vec<Link>,
    },
}

/// Most near names listed for an unknown subject or policy.
pub const NEAREST: usize = 5;

/// Explains every decision about `subject` (only `policy`'s when given), in policy order.
pub fn explain<'a>(
    doc: &'a Document,
    subject: &'a str,
    policy: Option<&str>,
) -> Result<Explanation<'a>, NotFound> {
    if let Some(policy) = policy {
        if !doc.decisions.iter().any(|d| d.policy == policy) {
            return Err(NotFound::Policy {
                policy: policy.to_owned(),
                nearest: nearest(doc.policies().into_iter(), policy),
            });
        }
    }
    let mut found: Vec<&Decision> = doc
        .decisions
        .iter()
        .filter(|d| d.subject == subject && policy.is_none_or(|p| d.policy == p))
        .collect();
    found.sort_by(|a, b| a.policy.cmp(&b.policy));
    if found.is_empty() {
        let candidates = doc
            .decisions
            .iter()
            .filter(|d| policy.is_none_or(|p| d.policy == p));
        let mut by_distance: Vec<(usize, &Decision)> = candidates
            .map(|d| (distance(&d.subject, subject), d))
            .collect();
        by_distance.sort_by(|a, b| {
            (a.0, &a.1.subject, &a.1.policy).cmp(&(b.0, &b.1.subject, &b.1.policy))
        });
        let near = near_enough(subject);
        let close = by_distance.iter().take_while(|(n, _)| *n <= near).count();
        return Err(NotFound::Subject {
            subject: subject.to_owned(),
            policy: policy.map(str::to_owned),
            nearest: by_distance
                .into_iter()
                .take(NEAREST.min(close.max(1)))
                .map(|(_, d)| d.link())
                .collect(),
        });
    }
    let explained = found
        .into_iter()
        .map(|d| node(doc, d, &mut BTreeSet::new()))
        .collect();
    Ok(Explanation {
        sprint: &doc.sprint,
        subject,
        explained,
    })
}

/// `decision` and, recursively, what it drew on; `path` holds the chain above it, so a
/// document with a loop in its links (edited by hand) still ends.
fn node<'a>(doc: &'a Document, decision: &'a Decision, path: &mut BTreeSet<Link>) -> Node<'a> {
    path.insert(decision.link());
    let mut drew_on = Vec::new();
    let mut unresolved = Vec::new();
    for link in &decision.because {
        match doc.find(&link.policy, &link.subject) {
            Some(other) if !path.contains(link) => drew_on.push(node(doc, other, path)),
            _ => unresolved.push(link.clone()),
        }
    }
    path.remove(&decision.link());
    Node {
        decision,
        drew_on,
        unresolved,
    }
}

/// The names in `names` closest to `wanted`, nearest first.
fn nearest<'a>(names: impl Iterator<Item = &'a str>, wanted: &str) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = names.map(|n| (distance(n, wanted), n)).collect();
    scored.sort();
    let near = near_enough(wanted);
    let close = scored.iter().take_while(|(n, _)| *n <= near).count();
    scored
        .into_iter()
        .take(NEAREST.min(close.max(1)))
        .map(|(_, n)| n.to_owned())
        .collect()
}

/// The largest distance still worth suggesting for a name typed as `wanted`; when none is
/// that near, the single nearest is still given.
fn near_enough(wanted: &str) -> usize {
    (wanted.chars().count() / 2).max(2)
}

/// Levenshtein distance in characters; a name that contains what was typed (or is
/// contained in it) counts as near, so `data-eng` finds `migration-plan/B@data-eng`.
fn distance(a: &str, b: &str) -> usize {
    if a.contains(b) || b.contains(a) {
        return a.chars().count().abs_diff(b.chars().count()).min(1);
    }
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn distances() {
        assert_eq!(distance("data-eng", "data-eng"), 0);
        assert_eq!(distance("data-eng", "data-end"), 1);
        assert_eq!(distance("migration-plan/B@data-eng", "data-eng"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
