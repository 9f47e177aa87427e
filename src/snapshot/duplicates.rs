//! Repeated keys in a JSON object, at any depth. JSON leaves their meaning open (RFC 8259
//! §4: most readers keep the last, some the first), and serde_json's tree keeps the last
//! silently, so a second `"runs": []` would drop every run. Both loaders refuse them: the
//! streaming loader gives up, the tree loader reports each one here.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::problem::escape_token;

/// A key written twice in one object: where each occurrence starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The JSON Pointer of the repeated member (the same for both occurrences).
    pub pointer: String,
    /// The key as JSON reads it (escapes decoded: `"a"` and `"\u0061"` are one key).
    pub key: String,
    /// Byte offsets in the text of the first and the second occurrence of the key.
    pub first: usize,
    pub second: usize,
}

/// An object's keys so far with where each starts. Most objects have a dozen keys or
/// fewer: a list searched in place costs less than hashing each key (a million runs go
/// through here); past `INDEXED` keys a map keeps a hostile object of many keys linear.
#[derive(Default)]
struct Keys<'a> {
    list: Vec<(Cow<'a, str>, usize)>,
    index: HashMap<Cow<'a, str>, usize>,
}

const INDEXED: usize = 16;

impl<'a> Keys<'a> {
    /// Records `key` at `at`; returns where it first was when it is a repeat.
    fn insert(&mut self, key: Cow<'a, str>, at: usize) -> Option<usize> {
        if self.list.len() < INDEXED {
            if let Some((_, first)) = self.list.iter().find(|(k, _)| *k == key) {
                return Some(*first);
            }
            self.list.push((key, at));
            return None;
        }
        if self.index.is_empty() {
            self.index.extend(self.list.drain(..));
        }
        match self.index.get(&key) {
            Some(&first) => Some(first),
            None => {
                self.index.insert(key, at);
                None
            }
        }
    }
}

/// A container being read: an object's keys so far, or an array's index.
enum Frame<'a> {
    Object { keys: Keys<'a>, expecting_key: bool },
    Array { index: usize },
}

/// Every repeated key in `text`, a JSON document that already parsed (so it is valid,
/// which this scan relies on), at most `limit`, in document order. Pointers start with
/// `base` (`""` for a whole document).
pub fn find(text: &[u8], base: &str, limit: usize) -> Vec<Duplicate> {
    let mut found = Vec::new();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    // `tokens[d]`: the member or index of `stack[d]` being read.
    let mut tokens: Vec<String> = Vec::new();
    let mut i = 0;
    while i < text.len() && found.len() < limit {
        match text[i] {
            b'{' => {
                stack.push(Frame::Object {
                    keys: Keys::default(),
                    expecting_key: true,
                });
                tokens.push(String::new());
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                tokens.push("0".to_owned());
            }
            b'}' | b']' => {
                stack.pop();
                tokens.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { expecting_key, .. }) => *expecting_key = true,
                Some(Frame::Array { index }) => {
                    *index += 1;
                    if let Some(token) = tokens.last_mut() {
                        *token = index.to_string();
                    }
                }
                None => {}
            },
            b'"' => {
                let start = i;
                i = string_end(text, i);
                if let Some(Frame::Object {
                    keys,
                    expecting_key: expecting_key @ true,
                }) = stack.last_mut()
                {
                    *expecting_key = false;
                    let key = decode(&text[start..i]);
                    let token = escape_token(&key);
                    if let Some(first) = keys.insert(key.clone(), start) {
                        let parents: String = tokens[..tokens.len() - 1]
                            .iter()
                            .map(|t| format!("/{t}"))
                            .collect();
                        found.push(Duplicate {
                            pointer: format!("{base}{parents}/{token}"),
                            key: key.into_owned(),
                            first,
                            second: start,
                        });
                    }
                    if let Some(last) = tokens.last_mut() {
                        *last = token;
                    }
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The index just past the string that starts at `start` (its opening quote).
fn string_end(text: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    text.len()
}

/// A key's text, with its quotes, as JSON reads it: borrowed when it has no escapes.
fn decode(quoted: &[u8]) -> Cow<'_, str> {
    let inner = &quoted[1..quoted.len().saturating_sub(1).max(1)];
    match std::str::from_utf8(inner) {
        Ok(plain) if !plain.contains('\\') => Cow::Borrowed(plain),
        _ => Cow::Owned(
            serde_json::from_slice::<String>(quoted)
                .unwrap_or_else(|_| String::from_utf8_lossy(inner).into_owned()),
        ),
    }
}

/// The 1-based line and column (in characters) of a byte offset, for messages.
pub fn line_column(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |n| n + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_found_at_any_depth_with_their_pointer() {
        let text = br#"{"a": 1, "b": [{"x": 1}, {"x": 2, "y/~": 3, "y/~": 4}], "\u0061": 5}"#;
        let found = find(text, "", 10);
        let pointers: Vec<&str> = found.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["/b/1/y~1~0", "/a"]);
        assert_eq!(found[1].first, 1);
        assert_eq!(&text[found[1].second..found[1].second + 3], br#""\u"#);
    }

    #[test]
    fn distinct_keys_and_strings_that_look_like_keys_pass() {
        let text = br#"{"a": "a", "s": ["a", "a"], "o": {"a": {"a": 1}}, "e": "\"a\""}"#;
        assert!(find(text, "", 10).is_empty());
    }

    #[test]
    fn repeats_are_found_in_objects_past_the_indexed_size() {
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{i}\": {i}, "));
        }
        text.push_str("\"k3\": 0, \"k39\": 0}");
        let found = find(text.as_bytes(), "/o", 10);
        let pointers: Vec<&str> = found.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["/o/k3", "/o/k39"]);
        assert_eq!(found[0].first, text.find("\"k3\"").unwrap());
    }
}
