//! The words of an expectation line. A word is split at white space; a word, or the value
//! after its first `=`, that starts with a double quote is a JSON string (`"tu 2"`,
//! `name="a b"`), so any subject, policy, value name or value can be written, and
//! `--update` quotes exactly what would not read back as itself. A quote elsewhere is a
//! character like any other (`missing=["a","b"]`).

/// One word: its text with quotes removed, and where its first unquoted `=` was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// Whether any part was quoted: a quoted `scope` or `none` is a name, not a keyword.
    pub quoted: bool,
    /// Byte offset in `text` of the first `=` written outside quotes.
    pub equals: Option<usize>,
}

impl Word {
    /// `name=value` split at the first unquoted `=`.
    pub fn pair(&self) -> Option<(&str, &str)> {
        self.equals
            .map(|at| (&self.text[..at], &self.text[at + 1..]))
    }

    /// The word as it was meant: unquoted keywords compare equal to `keyword`.
    pub fn is_keyword(&self, keyword: &str) -> bool {
        !self.quoted && self.text == keyword
    }
}

/// The words of `line`, or what is wrong with its quoting.
pub fn split(line: &str) -> Result<Vec<Word>, String> {
    let mut words = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        let mut word = Word {
            text: String::new(),
            quoted: false,
            equals: None,
        };
        // A quote opens a string only where a part starts: the word, or its value.
        let mut part_starts = true;
        while let Some(c) = rest.chars().next() {
            if c.is_whitespace() {
                break;
            }
            if c == '"' && part_starts {
                let (text, len) = quoted(rest)?;
                word.text.push_str(&text);
                word.quoted = true;
                rest = &rest[len..];
                part_starts = false;
                continue;
            }
            part_starts = c == '=' && word.equals.is_none();
            if part_starts {
                word.equals = Some(word.text.len());
            }
            word.text.push(c);
            rest = &rest[c.len_utf8()..];
        }
        words.push(word);
        rest = rest.trim_start();
    }
    Ok(words)
}

/// The JSON string at the start of `text` (which starts with `"`): its value and length.
fn quoted(text: &str) -> Result<(String, usize), String> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => {
                let written = &text[..=i];
                return serde_json::from_str::<String>(written)
                    .map(|s| (s, i + 1))
                    .map_err(|_| format!("`{written}` is not a valid quoted string"));
            }
            _ => {}
        }
    }
    Err(format!(
        "a quote is not closed: `{}`",
        crate::text::escape_terminal(text)
    ))
}

/// `text` as a word that reads back as itself: as it is when it can be, else quoted (empty,
/// white space, control characters, `=`, a leading quote or `#`, or one of `keywords`).
pub fn quote(text: &str, keywords: &[&str]) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(['#', '"'])
        && !keywords.contains(&text)
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '=');
    if plain {
        text.to_owned()
    } else {
        serde_json::Value::String(text.to_owned()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_reads_back_as_itself() {
        for text in [
            "tu 2",
            "",
            "a\"b",
            "x=y",
            "#c",
            "tab\there",
            "new\nline",
            "\u{FFFE}",
            "é",
        ] {
            let words = split(&quote(text, &[])).unwrap();
            assert_eq!(words.len(), 1, "{text:?}");
            assert_eq!(words[0].text, text);
            assert_eq!(words[0].equals, None);
        }
        let words = split(&format!("{}={}", quote("a=b", &[]), quote("c d", &[]))).unwrap();
        assert_eq!(words[0].pair(), Some(("a=b", "c d")));
        // A quote inside a word is a character: JSON values read as written.
        let words = split(r#"missing=["a","b"] x"y"#).unwrap();
        assert_eq!(words[0].pair(), Some(("missing", r#"["a","b"]"#)));
        assert_eq!(words[1].text, r#"x"y"#);
    }
}
