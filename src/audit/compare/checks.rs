//! How the checks of two decisions about the same subject differ: a check added or
//! removed, or one made on both sides whose result flipped, whose actual value or
//! threshold moved, whose operator or place changed. A flipped check is what an auditor
//! reads first (it is why an outcome moved); a threshold that moved without flipping
//! anything is a policy change all the same.

use serde::Serialize;
use serde_json::Value;

use crate::decision::Check;
use crate::operator::{Op, Unit};

/// One side of a check: what was compared, how, whether it passed, and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub actual: Value,
    pub op: Op,
    pub threshold: Value,
    pub pass: bool,
    /// Where the check was made (`promotion.rhai:31:9`); blank in `impact`'s listing.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub at: String,
    /// Display hint (`micros`: money).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
}

impl CheckResult {
    fn of(check: &Check) -> Self {
        Self {
            actual: check.actual.clone(),
            op: check.op,
            threshold: check.threshold.clone(),
            pass: check.pass,
            at: check.at.clone(),
            unit: check.unit.clone(),
        }
    }
}

/// What differs about one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckDifference {
    /// Only the new decision made it.
    Added,
    /// Only the old decision made it.
    Removed,
    /// Passed on one side, failed on the other.
    PassFlipped,
    ActualMoved,
    ThresholdMoved,
    OperatorChanged,
    /// Its place in the policy (file, line, column) or its unit changed.
    Moved,
}

impl CheckDifference {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::PassFlipped => "pass flipped",
            Self::ActualMoved => "actual moved",
            Self::ThresholdMoved => "threshold moved",
            Self::OperatorChanged => "operator changed",
            Self::Moved => "moved in the policy",
        }
    }
}

/// A check that differs between the two decisions; `old` or `new` is absent when only
/// the other side made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckFlip {
    pub label: String,
    /// Empty in `impact`'s listing, which lists flips only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<CheckDifference>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<CheckResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<CheckResult>,
}

impl CheckFlip {
    /// Whether the check passed on one side and failed on the other.
    pub fn flipped(&self) -> bool {
        match (&self.old, &self.new) {
            (Some(o), Some(n)) => o.pass != n.pass,
            _ => false,
        }
    }
}

/// Pairs the checks of two decisions: by label and, for a label used more than once, by
/// order (the second `uses` with the second `uses`): a position alone would pair
/// unrelated checks as soon as a policy adds one in the middle. In the new decision's
/// order, then the old checks left unpaired.
fn paired<'a>(old: &'a [Check], new: &'a [Check]) -> Vec<(Option<&'a Check>, Option<&'a Check>)> {
    use std::collections::HashMap;
    let mut by_label: HashMap<&str, Vec<&Check>> = HashMap::new();
    for o in old {
        by_label.entry(o.label.as_str()).or_default().push(o);
    }
    let mut taken: HashMap<&str, usize> = HashMap::new();
    let mut pairs = Vec::with_capacity(new.len());
    for n in new {
        let nth = taken.entry(n.label.as_str()).or_default();
        let o = by_label
            .get(n.label.as_str())
            .and_then(|l| l.get(*nth))
            .copied();
        *nth += 1;
        pairs.push((o, Some(n)));
    }
    for o in old {
        let nth = taken.get(o.label.as_str()).copied().unwrap_or(0);
        let list = &by_label[o.label.as_str()];
        let position = list.iter().position(|c| std::ptr::eq(*c, o)).unwrap_or(0);
        if position >= nth {
            pairs.push((Some(o), None));
        }
    }
    pairs
}

/// Every check that differs, each with all that differs about it.
pub fn changed(old: &[Check], new: &[Check]) -> Vec<CheckFlip> {
    paired(old, new)
        .into_iter()
        .filter_map(|(o, n)| {
            let differences = match (o, n) {
                (Some(o), Some(n)) => differences(o, n),
                (None, Some(_)) => vec![CheckDifference::Added],
                (Some(_), None) => vec![CheckDifference::Removed],
                (None, None) => Vec::new(),
            };
            let label = n.or(o).map(|c| c.label.clone())?;
            (!differences.is_empty()).then(|| CheckFlip {
                label,
                differences,
                old: o.map(CheckResult::of),
                new: n.map(CheckResult::of),
            })
        })
        .collect()
}

fn differences(o: &Check, n: &Check) -> Vec<CheckDifference> {
    fn place(c: &Check) -> (&str, &str, Option<usize>, Option<usize>, Option<&Unit>) {
        (&c.at, &c.file, c.line, c.column, c.unit.as_ref())
    }
    [
        (o.pass != n.pass, CheckDifference::PassFlipped),
        (o.actual != n.actual, CheckDifference::ActualMoved),
        (o.threshold != n.threshold, CheckDifference::ThresholdMoved),
        (o.op != n.op, CheckDifference::OperatorChanged),
        (place(o) != place(n), CheckDifference::Moved),
    ]
    .into_iter()
    .filter_map(|(differs, d)| differs.then_some(d))
    .collect()
}

/// The checks made on both sides whose result flipped, in the new decision's order: what
/// `impact` lists, in the form it always had (no place, unit or list of differences).
pub fn flipped(old: &[Check], new: &[Check]) -> Vec<CheckFlip> {
    let bare = |r: Option<CheckResult>| {
        r.map(|r| CheckResult {
            at: String::new(),
            unit: None,
            ..r
        })
    };
    changed(old, new)
        .into_iter()
        .filter(CheckFlip::flipped)
        .map(|c| CheckFlip {
            label: c.label,
            differences: Vec::new(),
            old: bare(c.old),
            new: bare(c.new),
        })
        .collect()
}
