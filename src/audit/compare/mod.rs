//! The pure comparison of two decision sets, matched by (policy, subject): what changed,
//! what only one side decided, and what stayed. No host, no files, no threads, so `impact`,
//! `diff`, `verify` and trends compare the same way.

mod checks;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::decision::{Decision, Severity, Site};
pub use checks::{CheckDifference, CheckFlip, CheckResult, flipped};

/// Why a decision changed, when both cross combinations were evaluated (`diff` given two
/// snapshots and two packs): which input alone already gives the new result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cause {
    /// The new pack on the old snapshot already gives it.
    Policy,
    /// The old pack on the new snapshot already gives it.
    Data,
    /// Neither alone gives it: the two changes together do.
    Both,
    /// Each alone already gives it: either change would have been enough.
    Either,
}

impl Cause {
    pub const ALL: [Cause; 4] = [Cause::Policy, Cause::Data, Cause::Both, Cause::Either];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Policy => "policy",
            Self::Data => "data",
            Self::Both => "both",
            Self::Either => "either",
        }
    }
}

/// What a decision concluded, and its one-line why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub outcome: String,
    pub severity: Severity,
    pub summary: String,
}

impl Verdict {
    pub fn of(d: &Decision) -> Self {
        Self {
            outcome: d.outcome.clone(),
            severity: d.severity,
            summary: d.explanation.summary.clone(),
        }
    }
}

/// One value a policy recorded that differs between the packs; absent on one side when
/// only the other recorded it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueChange {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// A decision both packs made about the same subject, with a different conclusion (or,
/// under `details`, the same conclusion from different values).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub policy: String,
    pub subject: String,
    pub old: Verdict,
    pub new: Verdict,
    /// Checks that differ: every difference of each ([`diff_all`]), or (`impact`) only
    /// those that passed on one side and failed on the other.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckFlip>,
    /// The values that differ ([`diff_all`] always, [`diff`] only with details).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueChange>,
    /// Any other part of the decision that differs ([`diff_all`] only): `summary`,
    /// `evidence`, `because`, `exception`, `site`, `check_order`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// Set only when the cross combinations were evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// Where the new decision was made ([`diff_all`] only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
}

/// A decision only one of the packs made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lone {
    pub policy: String,
    pub subject: String,
    #[serde(flatten)]
    pub verdict: Verdict,
    /// Set only when the cross combinations were evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// Where it was decided ([`diff_all`] only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
}

impl Lone {
    pub fn of(d: &Decision) -> Self {
        Self {
            policy: d.policy.clone(),
            subject: d.subject.clone(),
            verdict: Verdict::of(d),
            cause: None,
            site: None,
        }
    }
}

/// The differences between two decision lists, each list sorted by (policy, subject).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diff {
    /// Outcome or severity differs.
    pub changed: Vec<Change>,
    /// Only the new pack decided it.
    pub added: Vec<Lone>,
    /// Only the old pack decided it.
    pub removed: Vec<Lone>,
    /// Same outcome and severity, different values: always looked for, so a decision whose
    /// tokens moved is never counted as unchanged; each one's values are listed only with
    /// details. (`None` only in documents of reports that did not look.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_changed: Option<Vec<Change>>,
    /// Decisions in both packs that are not listed above.
    pub unchanged: usize,
}

impl Diff {
    /// Listed differences: outcome changes, additions, removals and value changes.
    pub fn listed(&self) -> usize {
        self.changed.len()
            + self.added.len()
            + self.removed.len()
            + self.values_changed.as_ref().map_or(0, Vec::len)
    }

    /// True when nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.values_changed.as_ref().is_none_or(Vec::is_empty)
    }
}

/// Compares two decision lists keyed by (policy, subject), which the host keeps unique,
/// as `impact` does: outcome, severity and values (listed value by value only with
/// `details`), and the checks that flipped; summaries and places are not compared, since
/// they change whenever a threshold or a line of the policy moves.
pub fn diff(old: &[Decision], new: &[Decision], details: bool) -> Diff {
    compare(old, new, false, |o, n| {
        let values = value_changes(o, n);
        let moved = !values.is_empty();
        let shown = if details { values } else { Vec::new() };
        let checks = flipped(&o.explanation.checks, &n.explanation.checks);
        (shown, checks, Vec::new(), moved)
    })
}

/// Compares everything two decisions hold (what an auditor's `diff` and `verify` need):
/// outcome, severity, every value, every check (added, removed, flipped, actual or
/// threshold moved, operator or place changed), the summary, evidence, links, exception
/// and the place it was decided. Nothing depends on how the result is shown.
pub fn diff_all(old: &[Decision], new: &[Decision]) -> Diff {
    compare(old, new, true, |o, n| {
        let values = value_changes(o, n);
        let checks = checks::changed(&o.explanation.checks, &n.explanation.checks);
        let mut fields = field_changes(o, n);
        // The same checks in another order: nothing paired differs, the lists do.
        if checks.is_empty() && o.explanation.checks != n.explanation.checks {
            fields.push("check_order".to_owned());
        }
        let moved = !values.is_empty() || !checks.is_empty() || !fields.is_empty();
        (values, checks, fields, moved)
    })
}

/// What one pair of decisions differs in: (values, checks, other fields, whether anything
/// but outcome and severity differs).
type Differences = (Vec<ValueChange>, Vec<CheckFlip>, Vec<String>, bool);

fn compare(
    old: &[Decision],
    new: &[Decision],
    sites: bool,
    differences: impl Fn(&Decision, &Decision) -> Differences,
) -> Diff {
    // (old, new) decision for each (policy, subject), in that order.
    type Pair<'a> = (Option<&'a Decision>, Option<&'a Decision>);
    let mut pairs: BTreeMap<(&str, &str), Pair> = BTreeMap::new();
    for d in old {
        pairs.entry((&d.policy, &d.subject)).or_default().0 = Some(d);
    }
    for d in new {
        pairs.entry((&d.policy, &d.subject)).or_default().1 = Some(d);
    }
    let mut out = Diff {
        values_changed: Some(Vec::new()),
        ..Diff::default()
    };
    for ((policy, subject), pair) in pairs {
        match pair {
            (Some(o), Some(n)) => {
                let (values, checks, fields, moved) = differences(o, n);
                let change = Change {
                    policy: policy.to_owned(),
                    subject: subject.to_owned(),
                    old: Verdict::of(o),
                    new: Verdict::of(n),
                    checks,
                    values,
                    fields,
                    cause: None,
                    site: n.site.clone().filter(|_| sites),
                };
                if o.outcome != n.outcome || o.severity != n.severity {
                    out.changed.push(change);
                } else if let (true, Some(list)) = (moved, &mut out.values_changed) {
                    list.push(change);
                } else {
                    out.unchanged += 1;
                }
            }
            (None, Some(n)) => out.added.push(lone(n, sites)),
            (Some(o), None) => out.removed.push(lone(o, sites)),
            (None, None) => unreachable!("every key comes from a decision"),
        }
    }
    out
}

fn lone(d: &Decision, sites: bool) -> Lone {
    Lone {
        site: d.site.clone().filter(|_| sites),
        ..Lone::of(d)
    }
}

/// The parts of two decisions other than outcome, severity, values and checks that
/// differ, by name.
fn field_changes(o: &Decision, n: &Decision) -> Vec<String> {
    [
        ("summary", o.explanation.summary != n.explanation.summary),
        ("evidence", o.explanation.evidence != n.explanation.evidence),
        ("because", o.because != n.because),
        ("exception", o.exception != n.exception),
        ("site", o.site != n.site),
    ]
    .into_iter()
    .filter(|(_, differs)| *differs)
    .map(|(name, _)| name.to_owned())
    .collect()
}

/// The values that differ between two decisions about the same subject, by name.
fn value_changes(old: &Decision, new: &Decision) -> Vec<ValueChange> {
    let mut names: Vec<&String> = old.values.keys().chain(new.values.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let (o, n) = (old.values.get(name), new.values.get(name));
            (o != n).then(|| ValueChange {
                name: name.clone(),
                old: o.cloned(),
                new: n.cloned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
