//! Audited exceptions: decisions governance overrode on purpose (a top-up over cap the
//! forum approved), read from a JSON file, applied to one sprint, and the ones that could
//! not be applied turned into warnings an auditor sees.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::decision::{AppliedException, Computed, Decision, Severity, Warning};
use crate::problem::Problem;
use crate::{Error, Result};

/// One exception as the file gives it (`schemas/exceptions.schema.json`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Exception {
    pub id: String,
    pub policy: String,
    pub subject: String,
    pub outcome: String,
    pub severity: Severity,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub approved_by: Option<String>,
    /// Last sprint start date it applies to, `YYYY-MM-DD` (checked to be a real date).
    pub expires: String,
}

/// The exceptions of one file (or none), with the digest of the bytes read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exceptions {
    /// The file as the user named it, for messages.
    pub origin: String,
    pub list: Vec<Exception>,
    /// SHA-256 of the file's bytes; `None` when no file was given.
    pub sha256: Option<String>,
}

impl Exceptions {
    /// No exceptions: what an evaluation without `--exceptions` applies.
    pub fn none() -> Self {
        Self::default()
    }

    /// Reads and parses an exceptions file.
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&bytes, &path.display().to_string())
    }

    /// Parses the bytes of an exceptions file named `origin`: JSON, then the schema, then
    /// real dates and unique ids; every problem is reported at once, by JSON Pointer.
    pub fn parse(bytes: &[u8], origin: &str) -> Result<Self> {
        let json: Value = serde_json::from_slice(bytes).map_err(|e| Error::Json {
            origin: origin.to_owned(),
            line: e.line(),
            column: e.column(),
            message: without_position(&e),
        })?;
        let invalid = |problems: Vec<Problem>| Error::InvalidInput {
            kind: "exceptions file",
            origin: origin.to_owned(),
            problems,
        };
        let mut problems = crate::schema::validate_exceptions(&json);
        if !problems.is_empty() {
            problems.sort();
            return Err(invalid(problems));
        }
        let list = Vec::<Exception>::deserialize(&json).map_err(|e| {
            // The schema admits only what deserialises; kept as an error, never a panic.
            invalid(vec![crate::snapshot::serde_words::problem(&json, &e)])
        })?;
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, e) in list.iter().enumerate() {
            // A blank outcome would look like no decision at all in every report.
            if e.outcome.trim().is_empty() {
                problems.push(Problem::new(
                    format!("/{i}/outcome"),
                    format!("the outcome `{}` is blank", e.outcome.escape_debug()),
                ));
            }
            if crate::instant::parse_date(&e.expires).is_none() {
                problems.push(Problem::new(
                    format!("/{i}/expires"),
                    format!("`{}` is not a real date", e.expires),
                ));
            }
            if let Some(j) = first.insert(&e.id, i) {
                first.insert(&e.id, j);
                problems.push(Problem::new(
                    format!("/{i}/id"),
                    format!("duplicate exception id `{}` (first at /{j}/id)", e.id),
                ));
            }
        }
        if !problems.is_empty() {
            problems.sort();
            return Err(invalid(problems));
        }
        Ok(Self {
            origin: origin.to_owned(),
            list,
            sha256: Some(crate::digest::sha256_hex(bytes)),
        })
    }

    /// Which exceptions apply to a sprint starting on `start` (`YYYY-MM-DD`), and a
    /// warning for each that cannot: expired, or without a reason or an approver. Two that
    /// would both apply to one decision are refused: which one governance meant is
    /// unknowable.
    pub fn for_sprint(&self, start: &str) -> Result<Plan> {
        let mut plan = Plan::default();
        let mut problems = Vec::new();
        for (i, e) in self.list.iter().enumerate() {
            let missing: Vec<&str> = [("reason", &e.reason), ("approved_by", &e.approved_by)]
                .into_iter()
                .filter(|(_, v)| v.as_deref().is_none_or(|v| v.trim().is_empty()))
                .map(|(name, _)| name)
                .collect();
            if !missing.is_empty() {
                let what: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
                plan.warn(
                    i,
                    e,
                    "exception-incomplete",
                    format!(
                        "exception `{}` for {} was not applied: it has no {}",
                        e.id,
                        target(e),
                        what.join(" and no ")
                    ),
                );
                continue;
            }
            // Both are valid `YYYY-MM-DD` dates, so their text orders as the days do.
            if start > e.expires.as_str() {
                plan.warn(
                    i,
                    e,
                    "exception-expired",
                    format!(
                        "exception `{}` for {} was not applied: it expired on {}, before the \
                         sprint started on {start}",
                        e.id,
                        target(e),
                        e.expires
                    ),
                );
                continue;
            }
            let key = (e.policy.clone(), e.subject.clone());
            if let Some((j, _)) = plan.pending.get(&key) {
                problems.push(Problem::new(
                    format!("/{i}"),
                    format!(
                        "exceptions `{}` and `{}` both apply to {} in a sprint starting on \
                         {start}: keep one",
                        self.list[*j].id,
                        e.id,
                        target(e)
                    ),
                ));
                continue;
            }
            plan.pending.insert(key, (i, e.clone()));
        }
        if !problems.is_empty() {
            return Err(Error::InvalidInput {
                kind: "exceptions file",
                origin: self.origin.clone(),
                problems,
            });
        }
        Ok(plan)
    }
}

/// The exceptions that apply to one sprint, applied policy by policy as each one runs.
#[derive(Debug, Default)]
pub struct Plan {
    /// (policy, subject) → the exception (and its index in the file) not yet applied.
    pending: HashMap<(String, String), (usize, Exception)>,
    /// With the index in the file, so warnings come out in the file's order.
    warnings: Vec<(usize, Warning)>,
}

impl Plan {
    fn warn(&mut self, index: usize, e: &Exception, code: &str, message: String) {
        self.warnings.push((
            index,
            Warning {
                code: code.to_owned(),
                exception: e.id.clone(),
                message,
                ..Warning::default()
            },
        ));
    }

    /// Sets the effective outcome and severity of each decision an exception matches,
    /// keeping what the policy computed beside it.
    pub fn apply(&mut self, decisions: &mut [Decision]) {
        if self.pending.is_empty() {
            return;
        }
        for d in decisions {
            let key = (d.policy.clone(), d.subject.clone());
            let Some((_, e)) = self.pending.remove(&key) else {
                continue;
            };
            let computed = Computed {
                outcome: std::mem::replace(&mut d.outcome, e.outcome),
                severity: std::mem::replace(&mut d.severity, e.severity),
            };
            d.exception = Some(AppliedException {
                id: e.id,
                reason: e.reason.unwrap_or_default(),
                approved_by: e.approved_by.unwrap_or_default(),
                expires: e.expires,
                computed,
            });
        }
    }

    /// The warnings, once every policy ran: those found up front, and one for each
    /// exception that matched no decision, in the order of the file.
    pub fn finish(mut self) -> Vec<Warning> {
        let unmatched: Vec<(usize, Exception)> = self.pending.drain().map(|(_, v)| v).collect();
        for (i, e) in unmatched {
            let message = format!(
                "exception `{}` matched no decision: policy `{}` decided nothing about `{}`",
                e.id, e.policy, e.subject
            );
            self.warn(i, &e, "exception-unmatched", message);
        }
        self.warnings.sort_by_key(|(i, _)| *i);
        self.warnings.into_iter().map(|(_, w)| w).collect()
    }
}

/// What an exception targets, as messages name it: ``the `topups` decision about `tu-7` ``.
fn target(e: &Exception) -> String {
    format!("the `{}` decision about `{}`", e.policy, e.subject)
}

/// serde_json's message without its trailing `at line L column C` (the error says where).
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}
