//! Coverage of a pack by its cases: per policy, the declared outcomes some case produced,
//! each `d.check` call site with how often it passed and failed, and each `if` and loop
//! with how often it went each way; what was never exercised is listed by line with the
//! reason where it can be known (see `coverage_why.rs`).
//!
//! The measure: every declared outcome label is one item (produced by some case); every
//! `d.check` call site two (passed once, failed once); every `if` two (true once, false
//! once); every loop one (its body ran once). The percentage is covered items over all
//! items, over the cases that judge each policy (name it in an expectation or `scope`),
//! failing cases included; a policy no case judges has one more item, never covered.
//!
//! An item no snapshot can exercise (a branch the pack's other policies never feed) is
//! marked where it is written, with the reason: `// coverage: never false: <why>` (also
//! `never true`, `never passes`, `never fails`, `never runs`). It is then not counted and
//! is listed as exempt; if a case exercises it after all, the mark is reported and ignored.

use std::collections::BTreeMap;

use serde::Serialize;

pub use super::coverage_why::Missing;
use super::coverage_why::{domain_note, unreached, why_missing};
use crate::decision::Decision;
use crate::host::coverage::{Construct, PolicyCounts, Site};

/// An outcome label: declared, produced, or both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeCoverage {
    pub label: String,
    /// Whether `const OUTCOMES` lists it.
    pub declared: bool,
    /// Cases that produced it at least once.
    pub cases: usize,
}

/// A `d.check` call site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckCoverage {
    pub line: usize,
    pub column: usize,
    pub label: Option<String>,
    pub passed: u64,
    pub failed: u64,
}

/// An `if` or a loop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BranchCoverage {
    /// `if`, `for`, `while`, `loop` or `do`.
    pub kind: &'static str,
    pub line: usize,
    pub column: usize,
    /// The condition, or what the loop iterates, as written.
    pub text: String,
    pub reached: u64,
    /// `if`: times true; a loop: times its body ran.
    pub taken: u64,
    /// `if`: times false; `null` for a loop.
    pub not_taken: Option<u64>,
}

/// One policy's coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyCoverage {
    pub policy: String,
    /// File within the pack.
    pub file: String,
    pub covered: usize,
    pub total: usize,
    /// As the report's `percent`.
    pub percent: f64,
    /// Cases that judge the policy (and so ran it); only what they ran counts.
    pub cases: u64,
    pub outcomes: Vec<OutcomeCoverage>,
    pub checks: Vec<CheckCoverage>,
    pub branches: Vec<BranchCoverage>,
    /// Facts about the policy as a whole (no `OUTCOMES`, an empty domain in every case).
    pub notes: Vec<String>,
    pub missing: Vec<Missing>,
    /// Items marked `// coverage: never ...`, not counted; `why` is the author's reason.
    pub exempt: Vec<Missing>,
}

/// The pack's coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageReport {
    pub covered: usize,
    pub total: usize,
    /// `covered / total` in percent, rounded down to one decimal (100 when nothing counts).
    pub percent: f64,
    /// The `--min-coverage` asked for, if any.
    pub minimum: Option<f64>,
    pub policies: Vec<PolicyCoverage>,
}

impl CoverageReport {
    /// Whether coverage reaches the minimum (always, without one). Compared exactly:
    /// 99.99% does not pass a minimum of 100.
    pub fn meets_minimum(&self) -> bool {
        self.minimum
            .is_none_or(|min| self.covered as f64 * 100.0 >= min * self.total as f64)
    }
}

impl CoverageReport {
    /// The report for `names` only (`test --coverage --policy P`), its totals theirs.
    pub fn narrowed(mut self, names: &[String]) -> CoverageReport {
        if names.is_empty() {
            return self;
        }
        self.policies.retain(|p| names.contains(&p.policy));
        self.covered = self.policies.iter().map(|p| p.covered).sum();
        self.total = self.policies.iter().map(|p| p.total).sum();
        self.percent = percent(self.covered, self.total);
        self
    }
}

/// Rounded down, so a pack one item short of everything never reads 100.0.
fn percent(covered: usize, total: usize) -> f64 {
    (covered * 1000)
        .checked_div(total)
        .map_or(100.0, |permille| permille as f64 / 10.0)
}

/// Outcome labels produced, by policy, with the number of cases each appeared in.
#[derive(Debug, Default, Clone)]
pub struct Produced(BTreeMap<String, BTreeMap<String, usize>>);

impl Produced {
    /// Counts one case's decisions.
    pub fn add(&mut self, decisions: &[Decision]) {
        let mut seen: BTreeMap<(&str, &str), ()> = BTreeMap::new();
        for d in decisions {
            seen.insert((&d.policy, &d.outcome), ());
        }
        for (policy, outcome) in seen.into_keys() {
            *self
                .0
                .entry(policy.to_owned())
                .or_default()
                .entry(outcome.to_owned())
                .or_default() += 1;
        }
    }
}

/// The report from what the host counted and the outcomes the cases produced.
pub fn report(
    counts: &[PolicyCounts],
    produced: &Produced,
    minimum: Option<f64>,
) -> CoverageReport {
    let mut policies: Vec<PolicyCoverage> = counts
        .iter()
        .map(|p| policy(p, produced.0.get(&p.policy)))
        .collect();
    policies.sort_by(|a, b| a.policy.cmp(&b.policy));
    let covered = policies.iter().map(|p| p.covered).sum();
    let total = policies.iter().map(|p| p.total).sum();
    CoverageReport {
        covered,
        total,
        percent: percent(covered, total),
        minimum,
        policies,
    }
}

// long: one policy's coverage built field by field from its counts, in the order the
// report shows them
fn policy(p: &PolicyCounts, produced: Option<&BTreeMap<String, usize>>) -> PolicyCoverage {
    let empty = BTreeMap::new();
    let produced = produced.unwrap_or(&empty);
    let mut out = PolicyCoverage {
        policy: p.policy.clone(),
        file: p.file.clone(),
        covered: 0,
        total: 0,
        percent: 0.0,
        cases: p.runs,
        outcomes: Vec::new(),
        checks: Vec::new(),
        branches: Vec::new(),
        notes: Vec::new(),
        missing: Vec::new(),
        exempt: Vec::new(),
    };
    let count = |out: &mut PolicyCoverage, done: bool| {
        out.total += 1;
        out.covered += usize::from(done);
    };
    // Only cases that judge a policy count for it: with none, nothing about it was
    // asserted, which is never full coverage.
    if p.runs == 0 {
        count(&mut out, false);
        out.missing.push(Missing {
            line: 1,
            what: format!("no case judges `{}`", p.policy),
            why: "name it in an expectation or a `scope` line of a case".to_owned(),
        });
    } else if let Some(note) = domain_note(p) {
        out.notes.push(note);
    }
    // Outcomes: the declared ones count; others are shown, so a typo is seen.
    let declared = p.outcomes_declared.clone().unwrap_or_default();
    if p.outcomes_declared.is_none() {
        out.notes
            .push("declares no `OUTCOMES`, so its outcome labels are not counted".to_owned());
    }
    for label in &declared {
        let cases = produced.get(label).copied().unwrap_or(0);
        count(&mut out, cases > 0);
        out.outcomes.push(OutcomeCoverage {
            label: label.clone(),
            declared: true,
            cases,
        });
        if cases == 0 {
            let (line, why) = outcome_why(p, label);
            out.missing.push(Missing {
                line,
                what: format!("outcome `{label}` never produced"),
                why,
            });
        }
    }
    for (label, &cases) in produced {
        if !declared.contains(label) {
            out.outcomes.push(OutcomeCoverage {
                label: label.clone(),
                declared: false,
                cases,
            });
            if p.outcomes_declared.is_some() {
                out.notes.push(format!(
                    "outcome `{label}` was produced but `OUTCOMES` does not list it"
                ));
            }
        }
    }
    // Each mark by (line, words), and whether some site on its line took it.
    let mut applies: BTreeMap<(usize, &str), bool> = BTreeMap::new();
    for (i, s) in p.sites.iter().enumerate() {
        let items: Vec<(bool, &str)> = match &s.construct {
            Construct::Check { label } => {
                out.checks.push(CheckCoverage {
                    line: s.line,
                    column: s.column,
                    label: label.clone(),
                    passed: s.yes,
                    failed: s.no,
                });
                vec![(s.yes > 0, "passed"), (s.no > 0, "failed")]
            }
            Construct::If { condition } => {
                out.branches.push(branch(s, "if", condition, Some(s.no)));
                if !s.measured {
                    continue;
                }
                vec![(s.yes > 0, "true"), (s.no > 0, "false")]
            }
            Construct::Loop { keyword, over } => {
                out.branches.push(branch(s, keyword, over, None));
                if !s.measured {
                    continue;
                }
                vec![(s.yes > 0, "ran")]
            }
            Construct::Record { .. } => continue,
        };
        let items = exempt(&mut out, &mut applies, s, items);
        for (done, _) in &items {
            count(&mut out, *done);
        }
        if let Some(missing) = why_missing(p, i, &items) {
            out.missing.push(missing);
        }
    }
    for ((line, words), applied) in applies {
        if !applied {
            out.notes.push(format!(
                "line {line}: `{words}` does not apply to anything on that line"
            ));
        }
    }
    out.missing.sort_by_key(|m| m.line);
    out.percent = percent(out.covered, out.total);
    out
}

/// The marks `// coverage: never <way>: <why>` recognises, and the item each exempts.
const MARKS: [(&str, &str); 5] = [
    ("never true", "true"),
    ("never false", "false"),
    ("never passes", "passed"),
    ("never fails", "failed"),
    ("never runs", "ran"),
];

/// The site's items less those its marks exempt; marks that do not apply become notes.
fn exempt<'a>(
    out: &mut PolicyCoverage,
    applies: &mut BTreeMap<(usize, &'static str), bool>,
    s: &Site,
    items: Vec<(bool, &'a str)>,
) -> Vec<(bool, &'a str)> {
    let mut kept = items;
    for mark in &s.marks {
        let found = MARKS.iter().find_map(|(words, item)| {
            let why = mark.strip_prefix(words)?;
            Some((*words, *item, why.trim_start_matches([':', ' ']).trim()))
        });
        let Some((words, item, why)) = found else {
            let known: Vec<String> = MARKS.iter().map(|(w, _)| format!("`{w}`")).collect();
            let note = format!(
                "line {}: `coverage: {mark}` is not understood (use {})",
                s.line,
                known.join(", ")
            );
            // Said once, though every site on the line sees the mark.
            if !out.notes.contains(&note) {
                out.notes.push(note);
            }
            continue;
        };
        match kept.iter().position(|(_, name)| *name == item) {
            Some(at) if kept[at].0 => out.notes.push(format!(
                "line {}: marked `{words}`, but a case did exercise it; the mark is ignored",
                s.line
            )),
            Some(at) => {
                kept.remove(at);
                out.exempt.push(Missing {
                    line: s.line,
                    what: format!("{words} ({})", site_name(s)),
                    why: why.to_owned(),
                });
            }
            None => {
                applies.entry((s.line, words)).or_insert(false);
                continue;
            }
        }
        applies.insert((s.line, words), true);
    }
    kept
}

fn site_name(s: &Site) -> String {
    match &s.construct {
        Construct::If { condition } => format!("`if {condition}`"),
        Construct::Loop { keyword, .. } => format!("`{keyword}` loop"),
        Construct::Check { label: Some(l) } => format!("check `{l}`"),
        Construct::Check { label: None } => "check".to_owned(),
        Construct::Record { .. } => "`d.record`".to_owned(),
    }
}

fn branch(s: &Site, kind: &'static str, text: &str, not_taken: Option<u64>) -> BranchCoverage {
    BranchCoverage {
        kind,
        line: s.line,
        column: s.column,
        text: text.to_owned(),
        reached: s.reached,
        taken: s.yes,
        not_taken,
    }
}

/// Where an outcome that never came would be recorded, and why that place was not reached.
fn outcome_why(p: &PolicyCounts, label: &str) -> (usize, String) {
    let site = p
        .sites
        .iter()
        .position(|s| matches!(&s.construct, Construct::Record { outcome: Some(o) } if o == label));
    match site {
        Some(i) => (
            p.sites[i].line,
            format!(
                "`d.record(\"{label}\", ..)` was never reached: {}",
                unreached(p, i)
            ),
        ),
        None => (
            p.outcomes_line,
            format!("no `d.record` call in the policy names `{label}` as written"),
        ),
    }
}
