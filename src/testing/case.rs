//! The case file: `#` comments, expectation lines, optionally `--- exceptions` and a JSON
//! list of audited exceptions, then `--- snapshot` and the snapshot as JSON to the end of
//! the file.
//!
//! ```text
//! # why this case exists
//! scope topups
//! topups tu-1 ok documented=true within_cap=true
//! topups tu-9 none
//! --- exceptions
//! [{"id": "EX-1", "policy": "topups", "subject": "tu-2", ...}]
//! --- snapshot
//! {"squads": [...], "topups": [...]}
//! ```

use std::path::{Path, PathBuf};

pub use super::discover::{discover, not_a_file};

use crate::exceptions::Exceptions;
use crate::{Error, Result};

/// The line that ends the expectations; everything after it is the snapshot.
pub const SNAPSHOT_MARKER: &str = "--- snapshot";

/// The line that starts the optional exceptions, a JSON list up to the snapshot marker.
pub const EXCEPTIONS_MARKER: &str = "--- exceptions";

/// The word of `scope all`, which judges every policy of the pack.
pub const SCOPE_ALL: &str = "all";

/// The file extension of a case.
pub const EXTENSION: &str = "case";

/// What a case expects for one (policy, subject).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Expected {
    /// A decision with this outcome and, for each name given, this value.
    Decision {
        /// The outcome expected.
        outcome: String,
        /// In the order written; as data, an object of the values as written (strings).
        #[serde(serialize_with = "as_object")]
        values: Vec<(String, String)>,
    },
    /// No decision at all (`<policy> <subject> none`).
    None,
}

fn as_object<S: serde::Serializer>(
    pairs: &[(String, String)],
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// One expectation line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Expectation {
    /// Line in the case file, from 1.
    pub line: usize,
    /// The policy it is about.
    pub policy: String,
    /// The subject it is about (a top-up id, a squad...).
    pub subject: String,
    /// What the policy should decide for the subject.
    pub expected: Expected,
}

/// A parsed case file.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case file.
    pub path: PathBuf,
    /// The whole file as read, so `--update` can keep all but the expectation lines.
    pub text: String,
    /// Policies named by `scope` lines (`all`: the whole pack), each with its line. The
    /// case judges these and the policies its expectations name ([`Case::judges`]).
    pub scope: Vec<(String, usize)>,
    /// The expectation lines, in file order.
    pub expectations: Vec<Expectation>,
    /// The snapshot's text, and the file line its first line is on.
    pub snapshot: String,
    /// The file line the snapshot's first line is on.
    pub snapshot_line: usize,
    /// The exceptions the case evaluates with (`--- exceptions`); none without the section.
    pub exceptions: Exceptions,
}

impl Case {
    /// Reads and parses the case file at `path`.
    pub fn read(path: &Path) -> Result<Case> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Case::parse(path, text)
    }

    /// Parses `text`, the case file at `path` (named in errors).
    // long: a line-by-line reader of the case format, one arm per directive, sharing the
    // state the lines build (scope, expectations, the snapshot that follows the marker)
    pub fn parse(path: &Path, text: String) -> Result<Case> {
        let broken = |line: usize, message: String| Error::Json {
            origin: path.display().to_string(),
            line,
            column: 1,
            message,
        };
        let mut scope = Vec::new();
        let mut expectations: Vec<Expectation> = Vec::new();
        let mut snapshot_at = None;
        let mut exceptions_at: Option<(usize, usize)> = None;
        let mut offset = 0;
        for (i, raw) in text.split_inclusive('\n').enumerate() {
            let n = i + 1;
            offset += raw.len();
            let line = raw.trim();
            if line == SNAPSHOT_MARKER {
                snapshot_at = Some((offset, n + 1));
                break;
            }
            if exceptions_at.is_some() {
                // The exceptions' JSON, read whole once the snapshot marker is found.
                continue;
            }
            if line == EXCEPTIONS_MARKER {
                exceptions_at = Some((offset, n + 1));
                continue;
            }
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words = super::words::split(line).map_err(|m| broken(n, m))?;
            if words[0].is_keyword("scope") {
                if words.len() == 1 {
                    return Err(broken(n, "`scope` names no policy".to_owned()));
                }
                scope.extend(words[1..].iter().map(|w| (w.text.clone(), n)));
                continue;
            }
            let [policy, subject, outcome, rest @ ..] = words.as_slice() else {
                return Err(broken(
                    n,
                    format!(
                        "expected `<policy> <subject> <outcome> [name=value...]`, found `{}`",
                        crate::text::escape_terminal(line)
                    ),
                ));
            };
            let (policy, subject) = (&policy.text, &subject.text);
            let expected = if outcome.is_keyword("none") {
                if let Some(extra) = rest.first() {
                    return Err(broken(
                        n,
                        format!("`none` takes no values, found `{}`", extra.text),
                    ));
                }
                Expected::None
            } else {
                let mut values = Vec::new();
                for word in rest {
                    let Some((k, v)) = word.pair() else {
                        return Err(broken(n, format!("`{}` is not name=value", word.text)));
                    };
                    values.push((k.to_owned(), v.to_owned()));
                }
                Expected::Decision {
                    outcome: outcome.text.clone(),
                    values,
                }
            };
            if let Some(first) = expectations
                .iter()
                .find(|e| e.policy == *policy && e.subject == *subject)
            {
                return Err(broken(
                    n,
                    format!(
                        "`{policy} {subject}` is listed twice (first on line {})",
                        first.line
                    ),
                ));
            }
            expectations.push(Expectation {
                line: n,
                policy: policy.clone(),
                subject: subject.clone(),
                expected,
            });
        }
        let Some((start, snapshot_line)) = snapshot_at else {
            return Err(broken(
                text.lines().count().max(1),
                format!("no `{SNAPSHOT_MARKER}` line: the snapshot follows one"),
            ));
        };
        let exceptions = match exceptions_at {
            Some((from, line)) => {
                // Up to the snapshot marker's line, which starts where `start` ends it.
                let marker = text[..start].trim_end_matches(['\r', '\n']);
                let end = marker.rfind('\n').map_or(0, |i| i + 1);
                exceptions(path, &text[from..end.max(from)], line)?
            }
            None => Exceptions::none(),
        };
        Ok(Case {
            path: path.to_owned(),
            exceptions,
            snapshot: text[start..].to_owned(),
            snapshot_line,
            text,
            scope,
            expectations,
        })
    }

    /// Whether the case judges the decisions of `policy` (every one must then be listed):
    /// `scope all`, a `scope` line naming it, or an expectation about it. A policy added
    /// to the pack is judged only by cases that name it, so it breaks no other case.
    pub fn judges(&self, policy: &str) -> bool {
        self.judges_all()
            || self.scope.iter().any(|(p, _)| p == policy)
            || self.expectations.iter().any(|e| e.policy == policy)
    }

    /// Whether a `scope all` line puts the whole pack in scope.
    pub fn judges_all(&self) -> bool {
        self.scope.iter().any(|(p, _)| p == SCOPE_ALL)
    }

    /// Whether the case names no policy yet (no expectation, no `scope`): it asserts
    /// nothing, and `--update` fills it with every decision of the pack.
    pub fn names_nothing(&self) -> bool {
        self.scope.is_empty() && self.expectations.is_empty()
    }
}

/// The `--- exceptions` section of the case at `path`, whose first line is line `first`
/// of the file: errors are placed in the file, not in the section.
fn exceptions(path: &Path, section: &str, first: usize) -> Result<Exceptions> {
    let origin = path.display().to_string();
    Exceptions::parse(section.as_bytes(), &origin).map_err(|e| match e {
        Error::Json {
            origin,
            line,
            column,
            message,
        } => Error::Json {
            origin,
            line: line + first - 1,
            column,
            message: format!("in the exceptions: {message}"),
        },
        Error::InvalidInput {
            origin,
            kind,
            problems,
        } => Error::InvalidInput {
            origin: format!("{origin}: the exceptions from line {first}"),
            kind,
            problems,
        },
        other => other,
    })
}
