//! Small text helpers shared by messages and renderers: plurals, sentence case,
//! escaping text for a terminal, and "did you mean": the known name closest to a
//! misspelling, by edit distance (for `check` and a running policy alike).

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

/// A share (0 to 1) as a whole percentage: `0.375` is `38%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// `""` for one, `"s"` otherwise.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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

/// Levenshtein distance in characters, adjacent swaps counting one (`sucess` → `success`
/// is one edit, `tokesn` → `tokens` too).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// The candidate closest to `word`, if one is close enough to be a slip of the keyboard
/// (at most a third of the word's length in edits, and at least one, or one a prefix of
/// the other).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let most = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            let lengths = word.chars().count().abs_diff(c.chars().count());
            (distance(word, c), lengths, !same_letters(word, c), c)
        })
        // A word cut short or run on (`warning` for `warn`) is a slip too.
        .filter(|&(d, _, _, c)| {
            d <= most || (c.len() >= 3 && (word.starts_with(c) || c.starts_with(word)))
        })
        .min()
        .map(|(.., c)| c)
}

/// Whether the two hold the same characters in another order (`=>` and `>=`): a swap is
/// the likelier slip than a different character.
fn same_letters(a: &str, b: &str) -> bool {
    let sorted = |s: &str| {
        let mut chars: Vec<char> = s.chars().collect();
        chars.sort_unstable();
        chars
    };
    sorted(a) == sorted(b)
}

/// `did you mean `x`? ` or nothing, to start a hint.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates).map_or_else(String::new, |c| format!("did you mean `{c}`? "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name_within_reach() {
        let names = ["success_rate", "successes", "uses", "exploration_tokens"];
        assert_eq!(closest("sucess_rate", names), Some("success_rate"));
        assert_eq!(
            closest("exploraton_tokens", names),
            Some("exploration_tokens")
        );
        assert_eq!(closest("usse", names), Some("uses"));
        assert_eq!(closest("headcount", names), None);
        // A swap is one edit, and a word of the same length is the likelier slip.
        assert_eq!(closest("=<", [">=", ">", "<=", "<"]), Some("<="));
        assert_eq!(closest("warning", ["info", "warn", "deny"]), Some("warn"));
        assert_eq!(closest("=>", [">=", "==", "<="]), Some(">="));
    }

    /// A string built to attack a terminal (as tests/suite/terminal.rs's `HOSTILE`):
    /// colour, a bell, a newline, a carriage return, bidi overrides and isolates, a C1
    /// control and DEL, then CJK that must stay as written.
    const HOSTILE: &str = "x\u{1b}[31mred\u{1b}[0m\u{7}bell\nforged row\r\u{202e}txt\u{2066}\u{200f}\u{61c}\u{85}\u{7f} 漢字";

    #[test]
    fn escaping_makes_controls_and_bidi_visible_and_keeps_other_text() {
        assert_eq!(
            escape_terminal(HOSTILE),
            "x\\u{1b}[31mred\\u{1b}[0m\\u{7}bell\\nforged row\\r\\u{202e}txt\\u{2066}\\u{200f}\\u{61c}\\u{85}\\u{7f} 漢字"
        );
        assert_eq!(
            escape_terminal("\t\u{202a}\u{2069}\u{200e}"),
            "\\t\\u{202a}\\u{2069}\\u{200e}"
        );
        // Ordinary text, CJK and emoji included, is left alone (and not copied).
        assert!(matches!(
            escape_terminal("プラットフォーム → ok ✓"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
