//! Token widths measured from a line of source.

use super::token_width;

/// Names, numbers, strings and operators are measured whole.
#[test]
fn spans_are_measured_from_the_source() {
    let line = r#"    d.check("to\"k", t.tokenz, ">=", 1.5e3) ?? x;"#;
    let at = |needle: &str| line.find(needle).unwrap() + 1;
    let width = |needle: &str| token_width(line, at(needle));
    assert_eq!(width("check"), 5);
    assert_eq!(width(r#""to"#), 7);
    assert_eq!(width("tokenz"), 6);
    assert_eq!(width("1.5e3"), 5);
    assert_eq!(width("??"), 2);
    assert_eq!(width(";"), 1);
    assert_eq!(token_width(line, 500), 1);
    assert_eq!(token_width("x **= 2", 3), 3);
}
