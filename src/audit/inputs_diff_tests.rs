//! Inputs a later format may record are compared too.

use serde_json::Value;

#[test]
fn an_unknown_input_field_is_compared_too() {
    // A later format may record more inputs: they are named, not dropped.
    let old = serde_json::json!({"inputs": {"snapshot_sha256": "a", "policies": [], "exceptions_sha256": "x"}});
    let new = serde_json::json!({"inputs": {"snapshot_sha256": "a", "policies": []}, "extra": 1});
    let changes = super::compare(&old, &new);
    let fields: Vec<(&str, Option<&Value>, Option<&Value>)> = changes
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.old.as_ref(), f.new.as_ref()))
        .collect();
    assert_eq!(
        fields,
        [
            ("/extra", None, Some(&Value::from(1))),
            ("/inputs/exceptions_sha256", Some(&Value::from("x")), None)
        ]
    );
}
