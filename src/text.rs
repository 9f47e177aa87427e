//! Small text helpers shared by messages and renderers: plurals, sentence case, and
//! escaping text for a terminal.

use std::borrow::Cow;
use std::fmt::Write;

/// `1 run`, `2 runs`: the noun with an `s` unless there is exactly one.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `""` for one, `"s"` otherwise.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The text with its first character in lower case: library messages are lowercase,
/// as the house style asks, whatever the library they came from wrote.
pub fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Text from a snapshot, a policy or a file name, made safe to print to a terminal:
/// control characters (C0, DEL, C1) and bidirectional formatting characters become
/// visible escapes (`\n`, `\u{1b}`, `\u{202e}`), everything else (CJK, emoji, accents)
/// stays as written. Without it a subject could move the cursor, recolour the log, ring
/// the bell, reorder what a reader sees, or start a line that looks like bursar's own.
/// Human-readable outputs pass every value through here and measure widths afterwards.
pub fn escape_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Whether a character must not reach a terminal as it is: it controls the terminal (or
/// the line) rather than showing a glyph, or reorders the characters around it.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Appends `c` to `out`, as its visible escape if it [`needs_escape`].
pub fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if needs_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}
