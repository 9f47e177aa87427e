//! The comparison of two decision sets, on decisions made up to show each kind of
//! difference.

use std::collections::BTreeMap;

use crate::audit::compare;
use crate::{Decision, Explanation, Severity};
use serde_json::Value;

fn decision(policy: &str, subject: &str, outcome: &str, severity: Severity, v: i64) -> Decision {
    Decision {
        policy: policy.into(),
        subject: subject.into(),
        outcome: outcome.into(),
        severity,
        values: BTreeMap::from([("n".to_owned(), Value::from(v))]),
        explanation: Explanation {
            summary: format!("{subject} → {outcome}"),
            checks: Vec::new(),
            evidence: None,
        },
        because: Vec::new(),
        exception: None,
        site: None,
    }
}

#[test]
fn diff_keys_decisions_by_policy_and_subject() {
    use Severity::*;
    let old = [
        decision("a", "x", "ok", Info, 1),
        decision("a", "y", "ok", Info, 1),
        decision("b", "x", "ok", Info, 1),
        decision("b", "z", "gone", Warn, 1),
    ];
    let new = [
        decision("a", "x", "ok", Warn, 1),  // severity only
        decision("a", "y", "ok", Info, 2),  // values only
        decision("b", "w", "new", Info, 1), // added
        decision("b", "x", "ok", Info, 1),  // same
    ];
    let plain = compare::diff(&old, &new, false);
    let changed: Vec<_> = plain
        .changed
        .iter()
        .map(|c| (&*c.policy, &*c.subject))
        .collect();
    assert_eq!(changed, [("a", "x")]);
    assert_eq!(plain.changed[0].old.severity, Info);
    assert_eq!(plain.changed[0].new.severity, Warn);
    assert_eq!(plain.added.len(), 1);
    assert_eq!(
        (&*plain.added[0].subject, &*plain.added[0].verdict.outcome),
        ("w", "new")
    );
    assert_eq!(plain.removed.len(), 1);
    assert_eq!(
        (
            &*plain.removed[0].subject,
            plain.removed[0].verdict.severity
        ),
        ("z", Warn)
    );
    // A decision whose values moved is never counted as unchanged; without details its
    // values are not listed.
    assert_eq!(plain.unchanged, 1);
    let moved = plain.values_changed.as_ref().unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!((&*moved[0].policy, &*moved[0].subject), ("a", "y"));
    assert!(moved[0].values.is_empty());

    let detailed = compare::diff(&old, &new, true);
    let values = detailed.values_changed.as_ref().unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!((&*values[0].policy, &*values[0].subject), ("a", "y"));
    assert_eq!(values[0].values[0].old, Some(Value::from(1)));
    assert_eq!(values[0].values[0].new, Some(Value::from(2)));
    assert_eq!(detailed.unchanged, 1);

    assert!(compare::diff(&old, &old, true).is_empty());
}
