//! The report of `bursar diff`: what was compared, what differs in the recorded inputs,
//! and what differs in the decisions (with, when the cross combinations were evaluated,
//! the cause of each change). One model for the text, JSON and Markdown views.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::audit::compare::{self, Cause, Diff};
use crate::audit::inputs_diff::{self, InputChanges};
use crate::decision::Document;

/// Format version of the diff report (`bursar diff --format json`, `schemas/diff.schema.json`).
pub const REPORT_FORMAT: u32 = 2;

/// One side of the comparison as the user named it: a document, or a snapshot and a pack.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Side {
    /// The decisions document, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The snapshot, when a snapshot and a pack were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<String>,
    /// The policy pack, when a snapshot and a pack were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policies: Option<String>,
    /// The sprint the side's decisions are about.
    pub sprint: String,
}

impl Side {
    /// How a heading names it: the document, or `SNAPSHOT with POLICIES`.
    pub fn name(&self) -> String {
        match (&self.document, &self.snapshot, &self.policies) {
            (Some(d), _, _) => d.clone(),
            (None, Some(s), Some(p)) => format!("{s} with {p}"),
            _ => self.sprint.clone(),
        }
    }
}

/// Counts of what is listed, and of what is not.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values_changed: Option<usize>,
    pub unchanged: usize,
    /// Listed differences per cause, when causes were worked out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub causes: Option<BTreeMap<Cause, usize>>,
}

/// The whole output of `bursar diff`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Always `diff`, so the JSON names what it is.
    pub kind: &'static str,
    /// The engine version that wrote it.
    pub engine: String,
    /// The report's format version.
    pub format: u32,
    /// The side compared against.
    pub old: Side,
    /// The side compared.
    pub new: Side,
    /// Whether values of decisions with the same outcome were compared.
    pub details: bool,
    /// What differs in the two sides' recorded inputs.
    pub inputs: InputChanges,
    /// Counts of what is listed, and of what is not.
    pub totals: Totals,
    /// What differs in the decisions.
    #[serde(flatten)]
    pub diff: Diff,
}

impl Report {
    /// Compares two documents, given as written (`*_json`, for the header) and as models.
    pub fn new(
        old: (Side, &Value, &Document),
        new: (Side, &Value, &Document),
        details: bool,
    ) -> Self {
        let diff = compare::diff_all(&old.2.decisions, &new.2.decisions);
        Self {
            kind: "diff",
            engine: format!("bursar {}", crate::ENGINE_VERSION),
            format: REPORT_FORMAT,
            inputs: inputs_diff::compare(old.1, new.1),
            old: old.0,
            new: new.0,
            details,
            totals: Totals::default(),
            diff,
        }
        .counted()
    }

    /// The totals recounted from the lists (after causes are set).
    pub fn counted(mut self) -> Self {
        let d = &self.diff;
        let causes = self.attributed().then(|| {
            let mut by = BTreeMap::from(Cause::ALL.map(|c| (c, 0)));
            let listed = d.changed.iter().map(|c| c.cause);
            let lone = d.added.iter().chain(&d.removed).map(|l| l.cause);
            let values = d.values_changed.iter().flatten().map(|c| c.cause);
            for cause in listed.chain(lone).chain(values).flatten() {
                *by.entry(cause).or_default() += 1;
            }
            by
        });
        self.totals = Totals {
            changed: d.changed.len(),
            added: d.added.len(),
            removed: d.removed.len(),
            values_changed: d.values_changed.as_ref().map(Vec::len),
            unchanged: d.unchanged,
            causes,
        };
        self
    }

    /// Whether the sides are a snapshot and a pack each, so causes were worked out.
    pub fn attributed(&self) -> bool {
        self.old.snapshot.is_some() && self.new.snapshot.is_some()
    }

    /// True when the inputs or the decisions differ: `diff`'s exit 1.
    pub fn has_differences(&self) -> bool {
        !self.inputs.is_empty() || !self.diff.is_empty()
    }
}
