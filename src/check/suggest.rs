//! "Did you mean": the known name closest to a misspelling, by edit distance.

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
            (distance(word, c), lengths, c)
        })
        // A word cut short or run on (`warning` for `warn`) is a slip too.
        .filter(|&(d, _, c)| {
            d <= most || (c.len() >= 3 && (word.starts_with(c) || c.starts_with(word)))
        })
        .min()
        .map(|(.., c)| c)
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
    }
}
