//! Diagnostics rendered from errors built by hand: colour only when asked, a long line
//! shown around its column, the level carried as data.

use std::path::Path;

use crate::error::{Code, Level, PolicyError};
use crate::render::diagnostic;

fn located(text: &str, line: usize, column: usize) -> Box<PolicyError> {
    let mut e = PolicyError::new(Path::new("p.rhai"), "a mistake")
        .with_code(Code::Runtime)
        .with_hint("do it differently");
    e.line = Some(line);
    e.column = Some(column);
    e.span = Some(3);
    e.source_text = Some(text.into());
    e
}

/// Colour only when the caller asks for it (the CLI: only for a terminal).
#[test]
fn colour_only_when_asked() {
    let e = located("let x = 1;\nlet y = x + \"a\";\n", 2, 9);
    let plain = diagnostic::policy(&e);
    let coloured = diagnostic::policy_with(&e, true);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(coloured.contains('\u{1b}'), "{coloured}");
    assert!(plain.starts_with("p.rhai:2:9: a mistake\n"), "{plain}");
    assert!(plain.contains("help: do it differently"), "{plain}");
}

/// A very long line is shown around the mistake, with the underline under it; the line
/// before and after are cut to the same window.
#[test]
fn a_long_line_is_shown_around_the_column() {
    let long = format!("let s = \"{}\"; let t = s + oops;", "x".repeat(5000));
    let column = long.find("oops").unwrap() + 1;
    let text = format!("// before\n{long}\n// after\n");
    let mut e = located(&text, 2, column);
    e.span = Some(4);
    let shown = diagnostic::policy(&e);
    let lines: Vec<&str> = shown.lines().collect();
    let code = lines.iter().position(|l| l.contains("oops")).unwrap();
    assert!(lines[code].len() < 200, "{shown}");
    assert!(lines[code].contains("..."), "{shown}");
    let start = lines[code + 1].find('^').unwrap();
    assert_eq!(&lines[code][start..start + 4], "oops", "{shown}");
    assert!(shown.contains("[2:"), "{shown}");
}

/// A warning (as `check` may report) says so in its data.
#[test]
fn severity_is_data() {
    let e = located("let x = 1;\n", 1, 5).with_level(Level::Warning);
    assert_eq!(diagnostic::policy_json(&e)["severity"], "warning");
    assert_eq!(diagnostic::policy_json(&e)["span"], 3);
}
