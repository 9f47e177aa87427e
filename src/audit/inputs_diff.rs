//! What differs between the recorded inputs of two decisions documents: the sprint, the
//! snapshot digest, the policy and module files (by file and SHA-256), the limits, the
//! engine and Rhai versions, and any other field of the header. It works on the JSON as
//! written, so a field this version does not know (one a later format adds to `inputs`)
//! is still compared and named, never dropped.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::problem::pointer;

/// Fields of a document that are its output, not a record of its inputs.
const OUTPUTS: [&str; 3] = ["decisions", "totals", "warnings"];

/// How a file of the pack differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Added,
    Removed,
    Changed,
}

impl FileStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Changed => "changed",
        }
    }
}

/// A policy or module file that one side has and the other lacks, or has with other bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileChange {
    /// The list of `inputs` it is in: `policies` or `modules`.
    pub list: String,
    /// Path within the pack.
    pub file: String,
    pub status: FileStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_sha256: Option<String>,
}

/// Any other recorded field that differs, at its JSON Pointer; absent on the side that
/// does not record it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// Every difference between two documents' recorded inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct InputChanges {
    /// Sorted by list, then file.
    pub files: Vec<FileChange>,
    /// Sorted by pointer.
    pub fields: Vec<FieldChange>,
}

impl InputChanges {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.fields.is_empty()
    }

    /// The field at `pointer`, if it differs.
    pub fn field(&self, pointer: &str) -> Option<&FieldChange> {
        self.fields.iter().find(|f| f.field == pointer)
    }
}

/// Compares the headers of two documents given as JSON objects.
pub fn compare(old: &Value, new: &Value) -> InputChanges {
    let empty = Map::new();
    let (old, new) = (
        old.as_object().unwrap_or(&empty),
        new.as_object().unwrap_or(&empty),
    );
    let mut out = InputChanges::default();
    for key in keys(old, new) {
        if OUTPUTS.contains(&key) {
            continue;
        }
        let (o, n) = (old.get(key), new.get(key));
        let at = pointer("", key);
        match (key, o, n) {
            ("inputs", Some(Value::Object(o)), Some(Value::Object(n))) => {
                inputs(o, n, &at, &mut out);
            }
            (_, Some(Value::Object(o)), Some(Value::Object(n))) => fields(o, n, &at, &mut out),
            _ => push(&mut out, at, o, n),
        }
    }
    out.fields.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

/// The keys of both objects, sorted, each once.
fn keys<'a>(old: &'a Map<String, Value>, new: &'a Map<String, Value>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = old.keys().chain(new.keys()).map(String::as_str).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn push(out: &mut InputChanges, field: String, old: Option<&Value>, new: Option<&Value>) {
    if old != new {
        out.fields.push(FieldChange {
            field,
            old: old.cloned(),
            new: new.cloned(),
        });
    }
}

/// Each key of two objects compared as a whole value (the limits, say).
fn fields(old: &Map<String, Value>, new: &Map<String, Value>, at: &str, out: &mut InputChanges) {
    for key in keys(old, new) {
        push(out, pointer(at, key), old.get(key), new.get(key));
    }
}

/// `inputs`: lists of files are compared file by file; the pack digest only when no file
/// differs (it is a digest of the files, and would say again what they say).
fn inputs(old: &Map<String, Value>, new: &Map<String, Value>, at: &str, out: &mut InputChanges) {
    let mut pack = None;
    for key in keys(old, new) {
        let (o, n) = (old.get(key), new.get(key));
        match (files(o), files(n)) {
            (Some(o), Some(n)) => file_changes(key, &o, &n, out),
            _ if key == "pack_sha256" => pack = Some((pointer(at, key), o, n)),
            _ => push(out, pointer(at, key), o, n),
        }
    }
    if let (Some((at, o, n)), true) = (pack, out.files.is_empty()) {
        push(out, at, o, n);
    }
}

/// A list of `{file, sha256, ...}` as file → digest; `None` when it is not one.
fn files(list: Option<&Value>) -> Option<BTreeMap<String, String>> {
    list?
        .as_array()?
        .iter()
        .map(|item| {
            let file = item.get("file")?.as_str()?;
            let sha = item.get("sha256")?.as_str()?;
            Some((file.to_owned(), sha.to_owned()))
        })
        .collect()
}

fn file_changes(
    list: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    out: &mut InputChanges,
) {
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    for file in names {
        let (o, n) = (old.get(file), new.get(file));
        let status = match (o, n) {
            (None, Some(_)) => FileStatus::Added,
            (Some(_), None) => FileStatus::Removed,
            (Some(o), Some(n)) if o != n => FileStatus::Changed,
            _ => continue,
        };
        out.files.push(FileChange {
            list: list.to_owned(),
            file: file.clone(),
            status,
            old_sha256: o.cloned(),
            new_sha256: n.cloned(),
        });
    }
}

#[cfg(test)]
#[path = "inputs_diff_tests.rs"]
mod tests;
