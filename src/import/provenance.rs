//! Where a snapshot's runs came from: each source's digest and counts (kept, outside the
//! sprint, in no run), the mapping's and the base's digests, so an auditor can tell an
//! import change from a data change. Written as the snapshot's optional `provenance`.

use serde_json::{Value, json};

/// One source as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    /// `otlp` or `litellm`.
    pub kind: &'static str,
    /// As the user named it (`-`: standard input).
    pub name: String,
    pub sha256: String,
    pub lines: u64,
    /// Spans, log records or payloads read.
    pub records: u64,
    /// Runs that started in the sprint, kept.
    pub runs_kept: u64,
    /// Runs that started outside the sprint's dates, left out.
    pub runs_outside_sprint: u64,
    /// Records that belong to no run: usage outside any agent span, log records that are
    /// no `api_request` event, metrics lines.
    pub records_in_no_run: u64,
}

/// The `provenance` object; sources sorted so the order they were given in does not
/// change a byte.
pub fn object(base_sha256: &str, mapping_sha256: Option<&str>, sources: &[SourceReport]) -> Value {
    let mut sorted: Vec<&SourceReport> = sources.iter().collect();
    sorted.sort_by(|a, b| (a.kind, &a.name, &a.sha256).cmp(&(b.kind, &b.name, &b.sha256)));
    let list: Vec<Value> = sorted
        .iter()
        .map(|s| {
            json!({
                "kind": s.kind,
                "name": s.name,
                "sha256": s.sha256,
                "lines": s.lines,
                "records": s.records,
                "runs_kept": s.runs_kept,
                "runs_outside_sprint": s.runs_outside_sprint,
                "records_in_no_run": s.records_in_no_run,
            })
        })
        .collect();
    json!({
        "tool": "bursar import",
        "engine_version": crate::ENGINE_VERSION,
        "base_sha256": base_sha256,
        "mapping_sha256": mapping_sha256,
        "sources": list,
    })
}
