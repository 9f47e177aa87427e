//! Reading a snapshot tree the schema may have objected to: a missing field or array
//! reads as nothing, so each rule reports only what it checks.

use serde_json::Value;

pub(super) fn str_at<'a>(record: &'a Value, field: &str) -> Option<&'a str> {
    record.get(field)?.as_str()
}

pub(super) fn array_at<'a>(doc: &'a Value, path: &[&str]) -> &'a [Value] {
    let mut v = doc;
    for p in path {
        match v.get(p) {
            Some(next) => v = next,
            None => return &[],
        }
    }
    v.as_array().map_or(&[], Vec::as_slice)
}
