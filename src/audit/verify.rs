//! Verifying a decisions document: re-evaluating the inputs it names with the limits it
//! records, never wider than the limits of the command line (a record is an input: it
//! must not switch the sandbox off), and confirming the output is the file, byte for byte. When it is not, the
//! verdict says which recorded input differs from the one given (snapshot digest, a
//! policy or module, limits, engine or Rhai version) and which decisions differ; when
//! neither does, the first line where the bytes part. The JSON the CLI writes for the
//! re-evaluation is passed in: the library does not render.

use serde::Serialize;

use crate::audit::compare::{Diff, diff_all};
use crate::audit::inputs_diff::{self, InputChanges};
use crate::audit::recorded::Recorded;
use crate::decision::Document;
use crate::eval::{Evaluation, evaluate_loaded_with};
use crate::exceptions::Exceptions;
use crate::host::{Host, PackSource};
use crate::limits::Limits;
use crate::snapshot::{self, LoadOptions, Source};

/// What verifying found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The output is the file, byte for byte.
    pub reproduced: bool,
    /// Recorded inputs (old) against those given (new).
    pub inputs: InputChanges,
    /// Recorded decisions (old) against the re-evaluated ones (new), everything compared.
    pub decisions: Diff,
    /// Other outputs of the document (`totals`, `warnings`) that differ, recorded → now.
    pub outputs: Vec<crate::audit::inputs_diff::FieldChange>,
    /// The first line (from 1) where the bytes differ, when they do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_difference: Option<usize>,
}

/// A sandbox limit the record asks for past what the run allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wider {
    /// The field of `limits` (`max_operations`); its flag is `--max-operations`.
    pub limit: String,
    pub recorded: u64,
    pub allowed: u64,
}

impl Wider {
    /// The command-line flag that sets this limit.
    pub fn flag(&self) -> String {
        format!("--{}", self.limit.replace('_', "-"))
    }
}

/// Every limit `recorded` sets higher than `allowed` (the command line's): re-running
/// under such a record would widen the sandbox, so the caller refuses it.
pub fn wider(recorded: &Limits, allowed: &Limits) -> Vec<Wider> {
    let as_map = |l: &Limits| match serde_json::to_value(l) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let allowed = as_map(allowed);
    as_map(recorded)
        .into_iter()
        .filter_map(|(limit, value)| {
            let recorded = value.as_u64()?;
            // A limit this build does not know cannot be checked: refused as wider.
            let allowed = allowed.get(&limit).and_then(|v| v.as_u64()).unwrap_or(0);
            (recorded > allowed).then_some(Wider {
                limit,
                recorded,
                allowed,
            })
        })
        .collect()
}

/// Re-evaluates the snapshot with the pack (and exceptions) under the limits the document
/// records. The caller checks first that they are within its own ([`wider`]).
pub fn reproduce(
    recorded: &Recorded,
    snapshot: &Source,
    pack: &PackSource,
    exceptions: &Exceptions,
    load: &LoadOptions,
) -> crate::Result<Evaluation> {
    let host = Host::new(pack, recorded.document.limits);
    let compiled = host.load_pack()?;
    let loaded = snapshot::load_from(snapshot, load, &mut |_, _| {})?;
    evaluate_loaded_with(&host, &compiled, loaded, exceptions)
}

/// Compares the document with its re-evaluation (`again`, written as `bytes`).
pub fn judge(recorded: &Recorded, again: &Document, bytes: &[u8]) -> Verdict {
    let reproduced = recorded.bytes == bytes;
    let now = serde_json::to_value(again).expect("a document is JSON");
    Verdict {
        reproduced,
        inputs: inputs_diff::compare(&recorded.json, &now),
        decisions: diff_all(&recorded.document.decisions, &again.decisions),
        outputs: ["totals", "warnings"]
            .into_iter()
            .filter_map(|field| {
                let (old, new) = (recorded.json.get(field), now.get(field));
                (old != new).then(|| crate::audit::inputs_diff::FieldChange {
                    field: format!("/{field}"),
                    old: old.cloned(),
                    new: new.cloned(),
                })
            })
            .collect(),
        first_difference: (!reproduced).then(|| first_difference(&recorded.bytes, bytes)),
    }
}

/// The line (from 1) of the first byte where two texts differ.
fn first_difference(a: &[u8], b: &[u8]) -> usize {
    let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    1 + a[..at].iter().filter(|&&c| c == b'\n').count()
}
