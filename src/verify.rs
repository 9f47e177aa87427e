//! Verifying a decisions document: re-evaluating the inputs it names with the limits it
//! records, and confirming the output is the file, byte for byte. When it is not, the
//! verdict says which recorded input differs from the one given (snapshot digest, a
//! policy or module, limits, engine or Rhai version) and which decisions differ; when
//! neither does, the first line where the bytes part. The JSON the CLI writes for the
//! re-evaluation is passed in: the library does not render.

use serde::Serialize;

use crate::compare::{diff, Diff};
use crate::decision::Document;
use crate::eval::{evaluate_loaded_with, Evaluation};
use crate::exceptions::Exceptions;
use crate::host::{Host, PackSource};
use crate::inputs_diff::{self, InputChanges};
use crate::recorded::Recorded;
use crate::snapshot::{self, LoadOptions, Source};

/// What verifying found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The output is the file, byte for byte.
    pub reproduced: bool,
    /// Recorded inputs (old) against those given (new).
    pub inputs: InputChanges,
    /// Recorded decisions (old) against the re-evaluated ones (new), values compared.
    pub decisions: Diff,
    /// The first line (from 1) where the bytes differ, when they do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_difference: Option<usize>,
}

/// Re-evaluates the snapshot with the pack (and exceptions) under the limits the document records. The
/// caller checks the limits fit the stack policies run on before calling.
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
        decisions: diff(&recorded.document.decisions, &again.decisions, true),
        first_difference: (!reproduced).then(|| first_difference(&recorded.bytes, bytes)),
    }
}

/// The line (from 1) of the first byte where two texts differ.
fn first_difference(a: &[u8], b: &[u8]) -> usize {
    let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    1 + a[..at].iter().filter(|&&c| c == b'\n').count()
}
