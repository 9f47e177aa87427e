//! The file a static check is looking at, and how a finding in it is placed: file, line,
//! column, the span under the caret, a stable code and a hint.

use std::path::Path;
use std::sync::Arc;

use rhai::Position;

use crate::error::Code;
use crate::host::{Policy, PolicyError};

/// One file of the pack being checked.
pub struct Site<'a> {
    pub path: &'a Path,
    pub source: &'a Arc<str>,
    /// The policy compiled from the file; `None` for a module, or a policy whose
    /// declarations are broken (reported on their own).
    pub policy: Option<&'a Policy>,
    /// The names of the pack's policies that compiled.
    pub names: &'a [String],
    /// The value names each policy records, where they can all be known.
    pub recorded: &'a super::recorded::Recorded,
    pub findings: Vec<PolicyError>,
}

impl Site<'_> {
    /// Records a finding at `pos`, `span` characters wide.
    pub fn report(
        &mut self,
        pos: Position,
        span: usize,
        code: Code,
        message: String,
        hint: Option<String>,
    ) {
        let mut finding = PolicyError::new(self.path, message)
            .at(pos, Some(self.source))
            .with_code(code)
            .with_span(span.max(1));
        if let Some(hint) = hint {
            finding = finding.with_hint(hint);
        }
        self.findings.push(*finding);
    }
}

/// `a`, `b` and `c` as a list of code words.
pub fn listed<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| format!("`{i}`")).collect();
    items.join(", ")
}
