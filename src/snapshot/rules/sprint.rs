//! The sprint's dates: calendar dates, and an end not before the start.

use serde_json::Value;

use crate::instant;
use crate::problem::Problem;

pub(super) fn check(doc: &Value, problems: &mut Vec<Problem>) {
    for field in ["start", "end"] {
        if let Some(date) = doc
            .pointer(&format!("/sprint/{field}"))
            .and_then(Value::as_str)
        {
            if instant::parse_date(date).is_none() {
                problems.push(Problem::new(
                    format!("/sprint/{field}"),
                    format!("`{date}` is not a calendar date (YYYY-MM-DD)"),
                ));
            }
        }
    }
    if let (Some(start), Some(end)) = (
        doc.pointer("/sprint/start")
            .and_then(Value::as_str)
            .and_then(instant::parse_date),
        doc.pointer("/sprint/end")
            .and_then(Value::as_str)
            .and_then(instant::parse_date),
    ) {
        if end < start {
            problems.push(Problem::new(
                "/sprint/end",
                "the sprint ends before it starts",
            ));
        }
    }
}
