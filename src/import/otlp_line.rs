//! One line of an OTLP JSON Lines file: a `TracesData`, `LogsData` or `MetricsData`
//! object, decoded for the members runs need. A member given twice is refused; a member
//! runs do not need is still parsed (the line must be JSON) but not kept.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use super::otlp::RawKeyValue;

/// The line: exactly one of its members, and no other (a line that is none of the three
/// is not OTLP).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Line {
    pub resource_spans: Option<Vec<ResourceSpans>>,
    pub resource_logs: Option<Vec<ResourceLogs>>,
    pub resource_metrics: Option<IgnoredAny>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Resource {
    #[serde(default)]
    pub attributes: Vec<RawKeyValue>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Scope {
    #[serde(default)]
    pub attributes: Vec<RawKeyValue>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceSpans {
    #[serde(default)]
    pub resource: Resource,
    #[serde(default)]
    pub scope_spans: Vec<ScopeSpans>,
}

#[derive(Debug, Deserialize)]
pub struct ScopeSpans {
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub spans: Vec<Span>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    #[serde(default)]
    pub trace_id: String,
    #[serde(default)]
    pub span_id: String,
    #[serde(default)]
    pub parent_span_id: String,
    pub start_time_unix_nano: Option<Value>,
    #[serde(default)]
    pub attributes: Vec<RawKeyValue>,
    #[serde(default)]
    pub status: Status,
}

#[derive(Debug, Default, Deserialize)]
pub struct Status {
    pub code: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceLogs {
    #[serde(default)]
    pub resource: Resource,
    #[serde(default)]
    pub scope_logs: Vec<ScopeLogs>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeLogs {
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub log_records: Vec<LogRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogRecord {
    pub time_unix_nano: Option<Value>,
    pub observed_time_unix_nano: Option<Value>,
    pub event_name: Option<String>,
    pub body: Option<super::otlp::RawAny>,
    #[serde(default)]
    pub attributes: Vec<RawKeyValue>,
}
