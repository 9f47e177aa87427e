//! How an imported run's id names the records it came from, so every run can be traced
//! back: the trace and span of an agent span, the Claude Code session, the LiteLLM
//! trace (or the record, when it has no trace).

/// `otlp:<trace id>:<span id>`, both in lowercase hex.
pub fn span(trace: u128, span: u64) -> String {
    format!("otlp:{trace:032x}:{span:016x}")
}

/// `claude-code:<session.id>`.
pub fn session(id: &str) -> String {
    format!("claude-code:{id}")
}

/// `litellm:trace:<trace_id>`.
pub fn litellm_trace(trace: &str) -> String {
    format!("litellm:trace:{trace}")
}

/// `litellm:record:<id>`, for a record with no trace.
pub fn litellm_record(id: &str) -> String {
    format!("litellm:record:{id}")
}
