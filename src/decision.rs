//! Decisions and the document that carries them: what a policy concluded, and why.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::operator::{Op, Unit};

/// How much a decision matters; ordered so `deny` is the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Deny,
}

impl Severity {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "info" => Some(Self::Info),
            "warn" => Some(Self::Warn),
            "deny" => Some(Self::Deny),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Deny => "deny",
        }
    }
}

/// One comparison a policy made, as it made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub label: String,
    pub actual: Value,
    pub op: Op,
    pub threshold: Value,
    pub pass: bool,
    /// Where the check was made, as a person reads it: `promotion.rhai:31:9`.
    pub at: String,
    /// The same place as fields, for formats that need a line (SARIF, annotations): the
    /// file within the pack (`promotion.rhai`, or `lib/limits.rhai` for a module), and the
    /// line and column (in characters) of the call, both from 1.
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub column: Option<usize>,
    /// Display hint for the summary (`micros` renders money in currency units).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub unit: Option<Unit>,
}

/// Why a decision came out as it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub summary: String,
    pub checks: Vec<Check>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub evidence: Option<Value>,
}

/// What one policy concluded about one subject. `outcome` and `severity` are the
/// effective ones: an audited exception, when one applied, replaced what the policy
/// computed (kept in `exception.computed`), so exit codes, reports and later policies all
/// follow the exception.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub policy: String,
    pub subject: String,
    pub outcome: String,
    pub severity: Severity,
    pub values: BTreeMap<String, Value>,
    pub explanation: Explanation,
    /// The decisions of other policies this one drew on (`d.because(..)`), sorted and
    /// without repeats; absent from the document when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub because: Vec<Link>,
    /// The audited exception that set `outcome` and `severity`, if one applied.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub exception: Option<AppliedException>,
    /// Where it was decided: the policy's `record` call. Absent from documents before
    /// format 4.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub site: Option<Site>,
}

/// A place in the pack: the file within it (`allocation.rhai`, or `lib/x.rhai` for a
/// module) and the line and column (in characters) of a call, from 1.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Site {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Site {
    /// `allocation.rhai:41:5`.
    pub fn describe(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }

    /// The place as the user reaches the file from where bursar ran (`pack` is the
    /// policy folder as they named it): `policies/allocation.rhai:41:5`.
    pub fn location_from(&self, pack: &std::path::Path) -> String {
        let file = pack.join(&self.file).display().to_string();
        format!("{file}:{}:{}", self.line, self.column)
    }
}

/// A pointer from one decision to another it drew on, by the key decisions are unique by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Link {
    pub policy: String,
    pub subject: String,
}

/// What a policy decided before an exception replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Computed {
    pub outcome: String,
    pub severity: Severity,
}

/// An exception as it was applied to one decision: who granted it, why, until when, and
/// what the policy had computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedException {
    pub id: String,
    pub reason: String,
    pub approved_by: String,
    /// Last sprint start date it applies to, `YYYY-MM-DD`.
    pub expires: String,
    pub computed: Computed,
}

impl AppliedException {
    /// The exception in one line, as every report shows it: ``exception `EX-7` approved by
    /// `forum` until 2026-12-31 (the policy decided `violation`, deny): <reason>``.
    pub fn describe(&self) -> String {
        format!(
            "exception `{}` approved by `{}` until {} (the policy decided `{}`, {}): {}",
            self.id,
            self.approved_by,
            self.expires,
            self.computed.outcome,
            self.computed.severity.as_str(),
            self.reason
        )
    }
}

/// Something an evaluation noticed that did not stop it, such as an exception that was
/// not applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A stable name for the kind of warning: `exception-unmatched`, `exception-expired`,
    /// `exception-incomplete`, `run-outside-sprint`.
    pub code: String,
    /// The id of the exception it is about (`exception-*`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub exception: String,
    /// The id of the run it is about (`run-outside-sprint`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub run: String,
    pub message: String,
}

/// A policy file that took part, with its digest so the decision can be reproduced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyRecord {
    pub name: String,
    pub file: String,
    pub sha256: String,
    pub description: String,
    pub reads: Vec<String>,
}

/// A module of the pack (a `*.rhai` file in a sub-folder that policies may import),
/// with its digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleRecord {
    /// Path within the pack, with `/` between folders: `lib/limits.rhai`.
    pub file: String,
    pub sha256: String,
}

/// The inputs a decisions document was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    pub snapshot_sha256: String,
    /// One digest over every policy and module of the pack: the SHA-256 of the lines
    /// `<sha256>  <path>\n` (as `sha256sum` prints them), sorted by path bytes.
    pub pack_sha256: String,
    pub policies: Vec<PolicyRecord>,
    /// Every module the policies could import, sorted by path, whether or not one did.
    pub modules: Vec<ModuleRecord>,
    /// SHA-256 of the exceptions file's bytes as read, when `--exceptions` gave one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub exceptions_sha256: Option<String>,
}

/// Counts per severity, for dashboards and CI logs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub decisions: usize,
    pub info: usize,
    pub warn: usize,
    pub deny: usize,
}

/// The whole output of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub engine: String,
    /// Version of the Rhai interpreter the policies ran in.
    pub rhai: String,
    pub format: u32,
    pub sprint: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub org: Option<String>,
    pub currency: String,
    pub inputs: Inputs,
    pub limits: crate::limits::Limits,
    pub totals: Totals,
    pub decisions: Vec<Decision>,
    /// What did not stop the evaluation but an auditor must see (exceptions not applied),
    /// in the order of the exceptions file; absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<Warning>,
}

impl Check {
    /// Where the check was made, as the user reaches the file from where bursar ran
    /// (`pack` is the policy folder as they named it): `policies/topups.rhai:30:24`.
    pub fn location_from(&self, pack: &std::path::Path) -> String {
        let file = pack.join(&self.file).display().to_string();
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            (Some(line), None) => format!("{file}:{line}"),
            _ => file,
        }
    }
}

impl Decision {
    /// The key decisions are unique by, as a link to this one.
    pub fn link(&self) -> Link {
        Link {
            policy: self.policy.clone(),
            subject: self.subject.clone(),
        }
    }
}

impl Document {
    /// Highest severity among the decisions, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.decisions.iter().map(|d| d.severity).max()
    }

    /// Every policy that ran (from the inputs) or decided something, sorted by name: the
    /// order of the decisions. A policy that decided nothing is a result too, so reports
    /// list it.
    pub fn policies(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .inputs
            .policies
            .iter()
            .map(|p| p.name.as_str())
            .chain(self.decisions.iter().map(|d| d.policy.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The decision `policy` made about `subject`, if any.
    pub fn find(&self, policy: &str, subject: &str) -> Option<&Decision> {
        // A document read from a file need not be sorted: search it all.
        self.decisions
            .iter()
            .find(|d| d.policy == policy && d.subject == subject)
    }
}

/// Counts decisions per severity (all of a document's, or one policy's).
pub fn totals<'a>(decisions: impl IntoIterator<Item = &'a Decision>) -> Totals {
    let mut totals = Totals::default();
    for d in decisions {
        totals.decisions += 1;
        match d.severity {
            Severity::Info => totals.info += 1,
            Severity::Warn => totals.warn += 1,
            Severity::Deny => totals.deny += 1,
        }
    }
    totals
}
