//! What the JUnit writers leave alone.

use super::well_formed;

/// Every character XML can carry passes unchanged (tab, line feed, the last of the Basic
/// Multilingual Plane before U+FFFE, astral planes), and nothing else is touched.
#[test]
fn characters_xml_can_carry_are_left_alone() {
    let text = "tab\tline\nend \u{D7FF}\u{E000}\u{FFFD}\u{10000}\u{10FFFF} ✓";
    assert_eq!(well_formed(text), text);
}
