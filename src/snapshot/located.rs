//! The records the streaming loader refuses, judged where they stand: each one's problems
//! in the tree loader's words and at its pointers, so one bad run in a million is refused
//! in about the time and memory of a valid file, and a memory budget too small for a
//! tree still gets every location. What a record alone cannot tell (a repeated id, a
//! total) is left to the tree loader, which is told so.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::duplicates;
use super::rules;
use super::scanner::{Fallback, Refused};
use super::tree;
use crate::problem::{MAX_PROBLEMS, Problem};

/// Most records judged one by one; past this the tree loader lists them (it caps schema
/// errors, and this list must be the one it would give).
const MAX_REFUSED: usize = 500;

/// Most problems a streamed verdict lists: far below the tree loader's cap on schema
/// errors, so both lists are whole.
const MAX_LOCATED: usize = 5_000;

/// Deepest nesting judged here: the tree loader reads the whole document with serde's
/// limit on depth, counted from its root, so a deeper value may be a syntax error there.
const MAX_DEPTH: usize = 64;

/// How deeply `value` nests (a scalar is 0).
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// What the refused records of one document say, so far.
#[derive(Default)]
pub struct Located {
    /// The records' problems by the schema and the handbook's rules.
    problems: Vec<Problem>,
    /// Keys repeated inside records: when there are any, the tree loader reports only
    /// those, so this list alone is the verdict.
    repeated: Vec<Problem>,
    /// `unknown squad` problems of refused records, kept until the squads are known:
    /// the squad, and the problem.
    pending: Vec<(String, Problem)>,
    /// A record was refused for a reason no rule of its own gives (a repeat or a total
    /// only the whole document shows): the tree loader must judge.
    needs_tree: bool,
    refused: usize,
}

impl Located {
    /// Whether no record was refused.
    pub fn is_clean(&self) -> bool {
        self.refused == 0
    }

    /// Lists the problems of one refused record.
    pub fn refuse(&mut self, record: &Refused<'_>) -> Result<(), Fallback> {
        self.refused += 1;
        if self.refused > MAX_REFUSED || self.problems.len() > MAX_LOCATED {
            self.needs_tree = true;
            return Err(Fallback::Unusual);
        }
        if depth(&record.value) > MAX_DEPTH {
            self.needs_tree = true;
        }
        let base = format!("/{}/{}", record.array, record.index);
        let repeated = duplicates::find(record.text.as_bytes(), &base, MAX_PROBLEMS);
        if !repeated.is_empty() {
            for d in &repeated {
                let place = tree::repeated_key_at(d, (record.at)(d.first), (record.at)(d.second));
                self.repeated.push(place);
            }
            return Ok(());
        }
        // The record alone in a document of its own, at index 0: the problems under it
        // are the ones the whole document has there, but for squads not yet known.
        let mut alone = Map::new();
        alone.insert(
            record.array.to_owned(),
            Value::Array(vec![record.value.clone()]),
        );
        let prefix = format!("/{}/0", record.array);
        let mut own = false;
        for p in rules::validate(&Value::Object(alone)) {
            let Some(rest) = p.pointer.strip_prefix(&prefix) else {
                continue;
            };
            if !(rest.is_empty() || rest.starts_with('/')) {
                continue;
            }
            let located = Problem::new(format!("{base}{rest}"), p.message);
            match record.value.get("squad").and_then(Value::as_str) {
                Some(squad)
                    if rest == "/squad" && located.message.starts_with("unknown squad `") =>
                {
                    self.pending.push((squad.to_owned(), located));
                }
                _ => {
                    own = true;
                    self.problems.push(located);
                }
            }
        }
        self.needs_tree |= !own;
        Ok(())
    }

    /// The problems so far, for when the tree loader must judge but may not fit.
    pub fn partial(self) -> Fallback {
        // Unknown squads are left out: the squads may not have been read yet.
        let mut problems = if self.repeated.is_empty() {
            let mut p = self.problems;
            p.sort();
            p
        } else {
            self.repeated
        };
        problems.truncate(MAX_PROBLEMS);
        Fallback::Partial(problems)
    }

    /// The verdict on a document read to its end with records refused: `rest` its other
    /// sections (`runs` and `run_groups` empty), `squads_named` every squad the accepted
    /// records name, `repeats` whether any id or group repeats. Located when the list is
    /// the tree loader's, partial when only the tree loader can tell.
    pub fn verdict<'a>(
        self,
        rest: &Value,
        squads_named: impl IntoIterator<Item = &'a str>,
        repeats: bool,
    ) -> Fallback {
        if self.needs_tree || repeats || depth(rest) > MAX_DEPTH {
            return self.partial();
        }
        if !self.repeated.is_empty() {
            let mut repeated = self.repeated;
            repeated.truncate(MAX_PROBLEMS);
            return Fallback::Located(repeated);
        }
        let squads: HashSet<&str> = rest["squads"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["id"].as_str())
            .collect();
        // An accepted record of an unknown squad: the tree loader lists each one.
        if squads_named.into_iter().any(|s| !squads.contains(s)) {
            return self.partial();
        }
        let mut problems = rules::validate(rest);
        problems.extend(self.problems);
        let unknown = self
            .pending
            .into_iter()
            .filter(|(s, _)| !squads.contains(s.as_str()));
        problems.extend(unknown.map(|(_, p)| p));
        problems.sort();
        problems.dedup();
        if problems.len() > MAX_LOCATED {
            problems.truncate(MAX_PROBLEMS);
            return Fallback::Partial(problems);
        }
        Fallback::Located(problems)
    }
}
