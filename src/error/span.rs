//! How much of a source line a diagnostic underlines: Rhai gives only where a mistake
//! starts, so the token that starts there (a name, a number, a string literal, an
//! operator) is measured from the text.

/// Operators and punctuation of more than one character, longest first, so `**=` wins
/// over `**` and `*`.
const OPERATORS: &[&str] = &[
    "**=", "<<=", ">>=", "...", "..=", "==", "!=", ">=", "<=", "&&", "||", "??", "?.", "?[", "+=",
    "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>", "::", "..", "=>", "->",
];

/// The width, in characters, of the token that starts at `column` (1-based, in
/// characters) of `line`: at least 1, so a caret always shows.
pub fn token_width(line: &str, column: usize) -> usize {
    let rest: Vec<char> = line.chars().skip(column.saturating_sub(1)).collect();
    let Some(&first) = rest.first() else {
        return 1;
    };
    let width = if first.is_alphanumeric() || first == '_' {
        // A name or a number; a number's decimal point and exponent belong to it.
        let number = first.is_ascii_digit();
        rest.iter()
            .take_while(|c| c.is_alphanumeric() || **c == '_' || (number && **c == '.'))
            .count()
    } else if matches!(first, '"' | '`' | '\'') {
        quoted(&rest, first)
    } else {
        let text: String = rest.iter().take(3).collect();
        OPERATORS
            .iter()
            .find(|op| text.starts_with(*op))
            .map_or(1, |op| op.chars().count())
    };
    width.max(1)
}

/// A string literal's width, both quotes included; to the end of the line when it is
/// not closed there.
fn quoted(rest: &[char], quote: char) -> usize {
    let mut escaped = false;
    for (i, &c) in rest.iter().enumerate().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' if quote != '`' => escaped = true,
            _ if c == quote => return i + 1,
            _ => {}
        }
    }
    rest.len()
}

#[cfg(test)]
#[path = "span_tests.rs"]
mod tests;
