//! The checks whose result flipped between two decisions about the same subject: what an
//! auditor reads first, since a flipped check is why an outcome moved.

use serde::Serialize;
use serde_json::Value;

use crate::decision::Check;

/// One side of a check: what was compared, how, and whether it passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    pub actual: Value,
    pub op: String,
    pub threshold: Value,
    pub pass: bool,
}

impl CheckResult {
    fn of(check: &Check) -> Self {
        Self {
            actual: check.actual.clone(),
            op: check.op.clone(),
            threshold: check.threshold.clone(),
            pass: check.pass,
        }
    }
}

/// A check both decisions made (same label, same place among the checks with that label)
/// that passed on one side and failed on the other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckFlip {
    pub label: String,
    pub old: CheckResult,
    pub new: CheckResult,
}

/// The flipped checks, in the new decision's order. Checks are matched by label and, for
/// a label used more than once, by order (the second `uses` with the second `uses`): a
/// position alone would pair unrelated checks as soon as a policy adds one in the middle.
pub fn flipped(old: &[Check], new: &[Check]) -> Vec<CheckFlip> {
    let mut flips = Vec::new();
    for (i, n) in new.iter().enumerate() {
        let nth = new[..i].iter().filter(|c| c.label == n.label).count();
        let Some(o) = old.iter().filter(|c| c.label == n.label).nth(nth) else {
            continue;
        };
        if o.pass != n.pass {
            flips.push(CheckFlip {
                label: n.label.clone(),
                old: CheckResult::of(o),
                new: CheckResult::of(n),
            });
        }
    }
    flips
}
