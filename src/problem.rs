//! A problem found in an input, located by JSON Pointer, so every one can be reported at once.

use std::fmt;

/// Most problems listed for one input; past this the rest are counted, not listed.
pub const MAX_PROBLEMS: usize = 200;

/// One thing wrong with an input document, at a JSON Pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: a JSON Pointer into the document (`/runs/3/cost`), empty for the whole.
    pub pointer: String,
    /// What is wrong there.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

/// Orders by pointer in document order: `/runs/2` before `/runs/10`.
impl Ord for Problem {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        fn key(p: &str) -> Vec<(u64, &str)> {
            // Indices sort numerically and before names at the same depth.
            p.split('/')
                .map(|t| match t.parse::<u64>() {
                    Ok(n) => (n, ""),
                    Err(_) => (u64::MAX, t),
                })
                .collect()
        }
        key(&self.pointer)
            .cmp(&key(&other.pointer))
            .then_with(|| self.message.cmp(&other.message))
    }
}

impl PartialOrd for Problem {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)
    }
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds a JSON Pointer from a base and a token.
pub(crate) fn pointer(base: &str, token: impl fmt::Display) -> String {
    format!("{base}/{}", escape_token(&token.to_string()))
}
