//! One decision explained for a person: the decision found by subject (and policy), and
//! the decisions it drew on (`because`), followed through the document, so an allocation
//! shows its credits, each credit its promotion decision, and that one the runs it
//! counted. The links form a graph, not a tree: each decision is shown once, in the order
//! a walk from the decisions asked about first reaches it, and a later link to it points
//! back ("see above"); a link to a decision still being explained closes a cycle and is
//! named as one. The walk keeps its own stack, so a chain of any length ends, and what it
//! gives is linear in the document.

use std::collections::HashMap;

use serde::Serialize;

use crate::decision::{Decision, Document, Link};

/// One decision shown, with where each of its links leads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry<'a> {
    #[serde(flatten)]
    pub decision: &'a Decision,
    /// Links from a decision asked about (0) to this one, along the walk.
    pub depth: usize,
    /// Each link of `because`, in its order, with what it leads to.
    pub drew_on: Vec<Reference>,
}

/// Where a `because` link leads in the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub policy: String,
    pub subject: String,
    pub shown: Shown,
    /// The index in `entries` of the decision it leads to, when the document holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
}

/// How a link's decision is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shown {
    /// Shown next, beneath this one (first reached through this link).
    Below,
    /// Shown earlier ("see above"): another link reached it first.
    Above,
    /// A decision still being explained, above this one: the links go round in a cycle.
    Cycle,
    /// The document holds no such decision (the reader refuses such documents; kept for a
    /// document built in memory).
    Missing,
}

/// What `explain` shows: the sprint, and every decision about the subject asked for with
/// those they drew on, each once, in the order shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation<'a> {
    pub sprint: &'a str,
    /// The unit of money values (`unit` `micros` is millionths of it).
    pub currency: &'a str,
    pub subject: &'a str,
    /// How many decisions are about the subject (the first entries of depth 0).
    pub asked: usize,
    pub entries: Vec<Entry<'a>>,
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
    let asked = found.len();
    Ok(Explanation {
        sprint: &doc.sprint,
        currency: &doc.currency,
        subject,
        asked,
        entries: walk(doc, &found),
    })
}

/// Every decision reached from `roots`, once each, in the order a depth-first walk
/// reaches them, with where each link leads. An explicit stack: no recursion, so a chain
/// of any length ends.
fn walk<'a>(doc: &'a Document, roots: &[&'a Decision]) -> Vec<Entry<'a>> {
    let index: HashMap<(&str, &str), &'a Decision> = doc
        .decisions
        .iter()
        .map(|d| ((d.policy.as_str(), d.subject.as_str()), d))
        .collect();
    // Entry index of each decision shown, and whether it is on the walk's current path.
    let mut shown: Places<'a> = HashMap::new();
    let mut entries: Vec<Entry<'a>> = Vec::new();
    for root in roots {
        if shown.contains_key(&(root.policy.as_str(), root.subject.as_str())) {
            continue;
        }
        // (entry, next link of its decision to follow)
        let mut stack: Vec<(usize, usize)> = vec![(open(&mut shown, &mut entries, root, 0), 0)];
        while let Some((at, next)) = stack.last_mut() {
            let (at, link_index) = (*at, *next);
            let decision = entries[at].decision;
            let Some(link) = decision.because.get(link_index) else {
                shown
                    .entry(key(decision))
                    .and_modify(|(_, on_path)| *on_path = false);
                stack.pop();
                continue;
            };
            *next += 1;
            let target = (link.policy.as_str(), link.subject.as_str());
            let (how, entry) = match (shown.get(&target), index.get(&target)) {
                (Some(&(i, true)), _) => (Shown::Cycle, Some(i)),
                (Some(&(i, false)), _) => (Shown::Above, Some(i)),
                (None, Some(&other)) => {
                    let depth = entries[at].depth + 1;
                    let i = open(&mut shown, &mut entries, other, depth);
                    stack.push((i, 0));
                    (Shown::Below, Some(i))
                }
                (None, None) => (Shown::Missing, None),
            };
            entries[at].drew_on.push(reference(link, how, entry));
        }
    }
    entries
}

/// Where each decision shown is: its entry, and whether the walk is still beneath it.
type Places<'a> = HashMap<(&'a str, &'a str), (usize, bool)>;

/// Shows `d` as the next entry, on the walk's path.
fn open<'a>(
    shown: &mut Places<'a>,
    entries: &mut Vec<Entry<'a>>,
    d: &'a Decision,
    depth: usize,
) -> usize {
    shown.insert(key(d), (entries.len(), true));
    entries.push(Entry {
        decision: d,
        depth,
        drew_on: Vec::new(),
    });
    entries.len() - 1
}

fn key(d: &Decision) -> (&str, &str) {
    (d.policy.as_str(), d.subject.as_str())
}

fn reference(link: &Link, shown: Shown, entry: Option<usize>) -> Reference {
    Reference {
        policy: link.policy.clone(),
        subject: link.subject.clone(),
        shown,
        entry,
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

#[cfg(test)]
#[path = "explain_graph_tests.rs"]
mod graph_tests;
