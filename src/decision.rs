//! Decisions and the document that carries them: what a policy concluded, and why.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::operator::{Op, Unit};

/// How much a decision matters; ordered so `deny` is the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For the record; never fails a build.
    Info,
    /// Worth a look; fails a build under `--fail-on warn`.
    Warn,
    /// The policy said no; fails a build under the default `--fail-on deny`.
    Deny,
}

impl Severity {
    /// The severity a policy or a document spells `info`, `warn` or `deny`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "info" => Some(Self::Info),
            "warn" => Some(Self::Warn),
            "deny" => Some(Self::Deny),
            _ => None,
        }
    }

    /// The severity as policies and documents spell it.
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
    /// What was compared, in the policy author's words (`uses`).
    pub label: String,
    /// The value the policy had.
    pub actual: Value,
    /// The comparison: `>=`, `>`, `<=`, `<`, `==`, `!=`, `in` or `not in`.
    pub op: Op,
    /// The value it was compared with.
    pub threshold: Value,
    /// Whether the comparison held.
    pub pass: bool,
    /// Where the check was made, as a person reads it: `promotion.rhai:31:9`.
    pub at: String,
    /// The same place as fields, for formats that need a line (SARIF, annotations): the
    /// file within the pack (`promotion.rhai`, or `lib/limits.rhai` for a module), and the
    /// line and column (in characters) of the call, both from 1.
    pub file: String,
    /// Line of the call, from 1.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    /// Column of the call, in characters, from 1.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub column: Option<usize>,
    /// Display hint for the summary (`micros` renders money in currency units).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub unit: Option<Unit>,
}

/// Why a decision came out as it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The decision in one sentence: `subject → outcome: check, check, ...`.
    pub summary: String,
    /// Every comparison the policy made for it, in order.
    pub checks: Vec<Check>,
    /// What the policy cited (run counts, first and last run ids...).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub evidence: Option<Value>,
}

/// What one policy concluded about one subject. `outcome` and `severity` are the
/// effective ones: an audited exception, when one applied, replaced what the policy
/// computed (kept in `exception.computed`), so exit codes, reports and later policies all
/// follow the exception.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The policy that decided (`POLICY`).
    pub policy: String,
    /// What it decided about: a squad, a top-up, a variant...
    pub subject: String,
    /// The policy's label for the result (`approve`, `candidate`...).
    pub outcome: String,
    /// How much it matters.
    pub severity: Severity,
    /// The figures the policy recorded with it, by name.
    pub values: BTreeMap<String, Value>,
    /// Why it came out as it did.
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
    /// File within the pack.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
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
    /// The policy of the decision drawn on.
    pub policy: String,
    /// Its subject.
    pub subject: String,
}

/// What a policy decided before an exception replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Computed {
    /// The outcome the policy computed.
    pub outcome: String,
    /// The severity the policy computed.
    pub severity: Severity,
}

/// An exception as it was applied to one decision: who granted it, why, until when, and
/// what the policy had computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedException {
    /// The exception's id in the exceptions file.
    pub id: String,
    /// Why it was granted.
    pub reason: String,
    /// Who granted it.
    pub approved_by: String,
    /// Last sprint start date it applies to, `YYYY-MM-DD`.
    pub expires: String,
    /// What the policy had decided before the exception replaced it.
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
    /// The warning as a person reads it.
    pub message: String,
}

/// A policy file that took part, with its digest so the decision can be reproduced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyRecord {
    /// The policy's `POLICY` name.
    pub name: String,
    /// Its file within the pack.
    pub file: String,
    /// SHA-256 of the file's bytes as evaluated.
    pub sha256: String,
    /// Its `DESCRIPTION`.
    pub description: String,
    /// The policies whose decisions it reads (`READS`).
    pub reads: Vec<String>,
}

/// A module of the pack (a `*.rhai` file in a sub-folder that policies may import),
/// with its digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleRecord {
    /// Path within the pack, with `/` between folders: `lib/limits.rhai`.
    pub file: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
}

/// The inputs a decisions document was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    /// SHA-256 of the snapshot's bytes as read.
    pub snapshot_sha256: String,
    /// One digest over every policy and module of the pack: the SHA-256 of the lines
    /// `<sha256>  <path>\n` (as `sha256sum` prints them), sorted by path bytes.
    pub pack_sha256: String,
    /// Every policy of the pack, in evaluation order.
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
    /// All decisions.
    pub decisions: usize,
    /// Decisions at `info`.
    pub info: usize,
    /// Decisions at `warn`.
    pub warn: usize,
    /// Decisions at `deny`.
    pub deny: usize,
}

/// The whole output of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Version of bursar that evaluated ([`ENGINE_VERSION`](crate::ENGINE_VERSION)).
    pub engine: String,
    /// Version of the Rhai interpreter the policies ran in.
    pub rhai: String,
    /// Format version of the document ([`DOCUMENT_FORMAT`](crate::DOCUMENT_FORMAT)).
    pub format: u32,
    /// The snapshot's sprint id.
    pub sprint: String,
    /// The snapshot's organisation, when it names one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub org: Option<String>,
    /// The snapshot's currency (ISO 4217).
    pub currency: String,
    /// What the decisions were computed from, with digests.
    pub inputs: Inputs,
    /// The limits the policies ran within.
    pub limits: crate::limits::Limits,
    /// Counts per severity.
    pub totals: Totals,
    /// Every decision, sorted by policy and subject.
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
