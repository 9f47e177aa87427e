//! Small text helpers shared by messages and renderers: plurals and sentence case.

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
