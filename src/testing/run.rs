//! Running cases: the pack compiled once, each case's snapshot loaded and evaluated on its
//! own, and its decisions held against its expectations.
//!
//! A case judges the policies it names (in an expectation or a `scope` line; `scope all`
//! names the whole pack): every decision of those must be listed, so a policy that starts
//! deciding about more subjects is noticed, and a policy added to the pack leaves the
//! cases that do not name it as they were. A case that names nothing asserts nothing, and
//! fails until it does.

use std::cell::RefCell;
use std::path::Path;

use serde_json::Value;

use super::case::{Case, Expected};
use super::coverage::{self, CoverageReport, Produced};
use super::defaults;
use super::judged::Judged;
use super::report::{CaseReport, Outcome, Verdict};
use crate::Result;
use crate::decision::{Decision, Document};
use crate::host::{Host, Pack, PackSource};
use crate::limits::Limits;

/// A compiled pack, ready to run any number of cases.
pub struct Runner {
    host: Host,
    pack: Pack,
    /// Outcomes the cases produced and what they ran, each counted only for the policies
    /// the case judges, when measuring coverage.
    produced: Option<RefCell<(Produced, Judged)>>,
}

impl Runner {
    /// Compiles the pack in `policies` within `limits`, once, for every case run.
    pub fn open(policies: &Path, limits: Limits) -> Result<Runner> {
        let (host, pack) = Host::open(policies, limits)?;
        Ok(Runner {
            host,
            pack,
            produced: None,
        })
    }

    /// A runner that also measures what its cases exercise ([`Runner::coverage`]).
    pub fn measuring(policies: &Path, limits: Limits) -> Result<Runner> {
        let source = PackSource::read(policies, &limits)?;
        let host = Host::with_coverage(&source, limits);
        let pack = host.load_pack()?;
        Ok(Runner {
            host,
            pack,
            produced: Some(RefCell::default()),
        })
    }

    /// The names of the pack's policies, in evaluation order.
    pub fn policies(&self) -> impl Iterator<Item = &str> {
        self.pack.policies.iter().map(|p| p.name.as_str())
    }

    /// The coverage of every case run so far, failing ones included; `None` unless the
    /// runner was opened [`Runner::measuring`].
    pub fn coverage(&self, minimum: Option<f64>) -> Option<CoverageReport> {
        let measured = self.produced.as_ref()?.borrow();
        let (produced, judged) = &*measured;
        let counts = judged.over(&self.host.coverage()?);
        Some(coverage::report(&counts, produced, minimum))
    }

    /// Evaluates one case: its report, and the whole document the pack gave.
    pub fn run(&self, case: &Case) -> Result<(CaseReport, Document)> {
        super::names::against(case, &self.pack)?;
        let loaded = defaults::load(case)?;
        let before = self.produced.as_ref().and(self.host.coverage());
        let evaluation =
            crate::eval::evaluate_loaded_with(&self.host, &self.pack, loaded, &case.exceptions)?;
        if let (Some(measured), Some(before)) = (&self.produced, before) {
            let (produced, judged) = &mut *measured.borrow_mut();
            let decisions: Vec<Decision> = (evaluation.document.decisions.iter())
                .filter(|d| case.judges(&d.policy))
                .cloned()
                .collect();
            produced.add(&decisions);
            judged.add(case, &before, &self.host.coverage().unwrap_or_default());
        }
        let report = run_case(case, &evaluation.document.decisions);
        Ok((report, evaluation.document))
    }
}

/// Holds the decisions a pack gave against a case.
pub fn run_case(case: &Case, decisions: &[Decision]) -> CaseReport {
    let find = |policy: &str, subject: &str| {
        decisions
            .iter()
            .find(|d| d.policy == policy && d.subject == subject)
    };
    let mut results = Vec::new();
    for exp in &case.expectations {
        let actual = find(&exp.policy, &exp.subject);
        let problems = match (&exp.expected, actual) {
            (Expected::None, None) => Vec::new(),
            (Expected::None, Some(d)) => {
                vec![format!("expected no decision, got `{}`", d.outcome)]
            }
            (Expected::Decision { outcome, .. }, None) => {
                vec![format!("expected `{outcome}`, got no decision")]
            }
            (Expected::Decision { outcome, values }, Some(d)) => {
                let mut problems = Vec::new();
                if d.outcome != *outcome {
                    problems.push(format!("expected `{outcome}`, got `{}`", d.outcome));
                }
                for (name, want) in values {
                    match d.values.get(name) {
                        Some(got) if same(want, got) => {}
                        Some(got) => problems.push(format!("{name}: expected {want}, got {got}")),
                        None => problems.push(no_value(name, want, d)),
                    }
                }
                problems
            }
        };
        results.push(Verdict {
            line: Some(exp.line),
            policy: exp.policy.clone(),
            subject: exp.subject.clone(),
            expected: Some(exp.expected.clone()),
            actual: actual.cloned(),
            outcome: outcome(&problems),
            problems,
        });
    }
    for d in decisions {
        let listed = case
            .expectations
            .iter()
            .any(|e| e.policy == d.policy && e.subject == d.subject);
        if !listed && case.judges(&d.policy) {
            let problems = vec![format!("unexpected decision `{}`", d.outcome)];
            results.push(Verdict {
                line: None,
                policy: d.policy.clone(),
                subject: d.subject.clone(),
                expected: None,
                actual: Some(d.clone()),
                outcome: Outcome::Fail,
                problems,
            });
        }
    }
    if case.names_nothing() {
        results.push(Verdict {
            line: None,
            policy: String::new(),
            subject: String::new(),
            expected: None,
            actual: None,
            outcome: Outcome::Fail,
            problems: vec![
                "the case names no policy, so it asserts nothing: list expectations, \
                 `scope <policy>` or `scope all`, or fill it with `bursar test --update`"
                    .to_owned(),
            ],
        });
    }
    CaseReport {
        file: case.path.display().to_string(),
        results,
    }
}

/// A value the case names that the decision does not have: most often a misspelling, so
/// the nearest name is offered, and the names it has are listed.
fn no_value(name: &str, want: &str, d: &Decision) -> String {
    let names = d.values.keys().map(String::as_str);
    let hint = crate::text::did_you_mean(name, names.clone());
    let has: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    let has = if has.is_empty() {
        "it records no values".to_owned()
    } else {
        format!("it records {}", has.join(", "))
    };
    format!("{name}: expected {want}, got no value; {hint}{has}")
}

fn outcome(problems: &[String]) -> Outcome {
    if problems.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail
    }
}

/// Whether an expected `name=value` matches a decision's value: numbers by value (`0.5`
/// matches `0.50`), booleans and `null` by their JSON spelling, strings as written.
pub fn same(expected: &str, actual: &Value) -> bool {
    match actual {
        Value::Number(n) => expected.parse::<f64>().ok() == n.as_f64(),
        Value::Bool(b) => expected == b.to_string(),
        Value::String(s) => expected == s,
        Value::Null => matches!(expected, "null" | "None"),
        other => *other.to_string() == *expected,
    }
}

/// A decision value as an expectation writes it (the inverse of [`same`]).
pub fn spell(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
