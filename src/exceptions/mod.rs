//! Audited exceptions: decisions governance overrode on purpose (a top-up over cap the
//! forum approved), read from a JSON file, applied to one sprint, and the ones that could
//! not be applied turned into warnings an auditor sees.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::decision::{AppliedException, Computed, Decision, Severity, Warning};
use crate::problem::Problem;
use crate::{Error, Result};

mod entries;

use entries::{Target, UNKNOWN_FIELD, entry_problems, hint, nearest, targets};

const KIND: &str = "exceptions file";

/// Largest exceptions file read, in MiB: a file written by hand, a thousand times the
/// size of a busy year's exceptions; the bound stops a stream with no end.
pub const MAX_EXCEPTIONS_MB: u64 = 16;

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
    /// The entries the file lists.
    pub list: Vec<Exception>,
    /// SHA-256 of the file's bytes; `None` when no file was given.
    pub sha256: Option<String>,
    /// Problems of entries the schema admits (an impossible date, an id twice), kept to
    /// be reported with those only the pack shows ([`Exceptions::check_pack`]): every
    /// problem in one run. Nothing is applied while there are any.
    pub problems: Vec<Problem>,
    /// What each entry that names a policy names, read from the JSON as written (even
    /// an entry the schema refuses), for the pack's checks.
    targets: Vec<Target>,
}

impl Exceptions {
    /// No exceptions: what an evaluation without `--exceptions` applies.
    pub fn none() -> Self {
        Self::default()
    }

    /// Reads and parses an exceptions file, once, no larger than 16 MiB
    /// (a FIFO or a device too).
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = crate::json_input::read(path, KIND, MAX_EXCEPTIONS_MB << 20, "").map_err(
            |e| match e {
                // No flag raises it: an exceptions file is written by hand.
                Error::OverLimit { .. } => Error::InvalidInput {
                    kind: KIND,
                    origin: path.display().to_string(),
                    problems: vec![Problem::new(
                        "",
                        format!(
                            "the file is larger than {MAX_EXCEPTIONS_MB} MiB, the most an \
                             exceptions file may be"
                        ),
                    )],
                },
                e => e,
            },
        )?;
        Self::parse_all(&bytes, &path.display().to_string()).map(|(exceptions, _)| exceptions)
    }

    /// Parses the bytes of an exceptions file named `origin`: JSON with every key once,
    /// then the schema together with real dates, non-blank outcomes and unique ids, so
    /// every problem is reported at once, by JSON Pointer. A file the schema refuses is
    /// refused here; one whose entries only break the rules beyond it is returned holding
    /// its problems, reported with the pack's ([`Exceptions::check_pack`]).
    pub fn parse(bytes: &[u8], origin: &str) -> Result<Self> {
        let (exceptions, schema_ok) = Self::parse_all(bytes, origin)?;
        if schema_ok {
            Ok(exceptions)
        } else {
            Err(exceptions.refusal(exceptions.problems.clone()))
        }
    }

    /// [`Exceptions::parse`] that also returns a file the schema refuses, holding its
    /// problems and what each entry names, so the pack's problems (an unknown policy, an
    /// undeclared outcome) are reported with them in one run; nothing is applied while
    /// there are any. Also whether the schema admitted the file.
    fn parse_all(bytes: &[u8], origin: &str) -> Result<(Self, bool)> {
        let json = crate::json_input::parse(bytes, origin, KIND)?;
        let mut problems = crate::schema::validate_exceptions(&json);
        let schema_ok = problems.is_empty();
        // Unknown fields are named by `entry_problems`, with the nearest known one.
        problems.retain(|p| !p.message.starts_with(UNKNOWN_FIELD));
        problems.extend(entry_problems(&json));
        problems.sort();
        problems.dedup();
        let list = if schema_ok {
            Vec::<Exception>::deserialize(&json).map_err(|e| {
                // The schema admits only what deserialises; kept as an error, never a panic.
                Error::InvalidInput {
                    kind: KIND,
                    origin: origin.to_owned(),
                    problems: vec![crate::snapshot::serde_words::problem(&json, &e)],
                }
            })?
        } else {
            Vec::new()
        };
        let exceptions = Self {
            origin: origin.to_owned(),
            list,
            sha256: Some(crate::digest::sha256_hex(bytes)),
            problems,
            targets: targets(&json),
        };
        Ok((exceptions, schema_ok))
    }

    fn refusal(&self, problems: Vec<Problem>) -> Error {
        Error::InvalidInput {
            kind: KIND,
            origin: self.origin.clone(),
            problems,
        }
    }

    /// Holds each exception to the pack it is applied with: a policy the pack has (with
    /// the nearest names when not), and an outcome the policy declares in `OUTCOMES` when
    /// it declares them. `policies` gives each policy's name and declared outcomes. Every
    /// problem at once.
    pub fn check_pack(&self, policies: &[(&str, Option<&[String]>)]) -> Result<()> {
        self.refused_if(self.pack_problems(policies))
    }

    /// The exceptions that apply to a sprint starting on `start`, held to the pack
    /// (`check_pack`) and to the sprint (`for_sprint`) at once: every problem of the file,
    /// of the pack and of the sprint in one run.
    pub fn plan(&self, policies: &[(&str, Option<&[String]>)], start: &str) -> Result<Plan> {
        let (plan, conflicts) = self.sprint_plan(start);
        let mut problems = self.pack_problems(policies);
        problems.extend(conflicts);
        self.refused_if(problems).map(|()| plan)
    }

    /// Refuses with `problems`, sorted, when there are any.
    fn refused_if(&self, mut problems: Vec<Problem>) -> Result<()> {
        if problems.is_empty() {
            return Ok(());
        }
        problems.sort();
        problems.dedup();
        Err(self.refusal(problems))
    }

    /// The problems of the file with those of each entry held to the pack.
    fn pack_problems(&self, policies: &[(&str, Option<&[String]>)]) -> Vec<Problem> {
        let mut problems = self.problems.clone();
        for t in &self.targets {
            let i = t.index;
            let Some((_, outcomes)) = policies.iter().find(|(name, _)| *name == t.policy) else {
                let names = policies.iter().map(|(name, _)| *name);
                problems.push(Problem::new(
                    format!("/{i}/policy"),
                    format!(
                        "{} names policy `{}`, which the pack does not have{}",
                        t.name(),
                        t.policy,
                        hint(nearest(&t.policy, names))
                    ),
                ));
                continue;
            };
            // A blank or missing outcome is already a problem of the file.
            let outcome = t.outcome.as_deref().filter(|o| !o.trim().is_empty());
            if let (Some(outcomes), Some(outcome)) = (outcomes, outcome) {
                if !outcomes.iter().any(|o| o == outcome) {
                    let declared: Vec<String> = outcomes.iter().map(|o| format!("`{o}`")).collect();
                    problems.push(Problem::new(
                        format!("/{i}/outcome"),
                        format!(
                            "{} sets outcome `{}`, which policy `{}` does not declare in \
                             `OUTCOMES` ({}){}",
                            t.name(),
                            outcome,
                            t.policy,
                            declared.join(", "),
                            hint(nearest(outcome, outcomes.iter().map(String::as_str)))
                        ),
                    ));
                }
            }
        }
        problems
    }

    /// Which exceptions apply to a sprint starting on `start` (`YYYY-MM-DD`), and a
    /// warning for each that cannot: expired, or without a reason or an approver. Two that
    /// would both apply to one decision are refused: which one governance meant is
    /// unknowable.
    pub fn for_sprint(&self, start: &str) -> Result<Plan> {
        if !self.problems.is_empty() {
            return Err(self.refusal(self.problems.clone()));
        }
        let (plan, problems) = self.sprint_plan(start);
        self.refused_if(problems).map(|()| plan)
    }

    /// The plan for a sprint starting on `start`, and the pairs of exceptions that would
    /// both apply to one decision in it.
    fn sprint_plan(&self, start: &str) -> (Plan, Vec<Problem>) {
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
        (plan, problems)
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
