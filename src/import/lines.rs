//! Reading a source one line at a time (JSON Lines): each line bounded in size, the
//! whole source digested as it streams by, so a file is read once and never held whole.

use std::io::BufRead;

use sha2::{Digest, Sha256};

use super::error::{ImportError, Result};

/// Longest line read: an exporter's batch. Past it the source is refused, so a stream
/// with no newline (`/dev/zero`) stops here.
pub const MAX_LINE_BYTES: usize = 256 << 20;

/// What a source was, for provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digested {
    pub sha256: String,
    pub lines: u64,
}

/// Calls `each` with every non-blank line (1-based number, bytes without the newline).
pub fn for_each_line(
    mut reader: impl BufRead,
    origin: &str,
    mut each: impl FnMut(u64, &[u8]) -> Result<()>,
) -> Result<Digested> {
    let mut hasher = Sha256::new();
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let read = std::io::Read::take(&mut reader, MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| ImportError::Source {
                origin: origin.to_owned(),
                message: e.to_string(),
            })?;
        if read == 0 {
            break;
        }
        number += 1;
        hasher.update(&line);
        if line.len() > MAX_LINE_BYTES {
            return Err(ImportError::Record {
                origin: origin.to_owned(),
                line: number,
                message: format!("line longer than {} MiB", MAX_LINE_BYTES >> 20),
            });
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        each(number, text)?;
    }
    Ok(Digested {
        sha256: crate::digest::hex(&hasher.finalize()),
        lines: number,
    })
}

/// A serde error in a line, as `origin:line:column: message`.
pub fn json_error(origin: &str, line: u64, e: &serde_json::Error) -> ImportError {
    let text = e.to_string();
    // serde_json ends its messages with its own position; ours comes first.
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m)
        .to_owned();
    let message = if e.is_eof() {
        format!("the line ends before its JSON does (truncated?): {message}")
    } else {
        message
    };
    ImportError::Record {
        origin: origin.to_owned(),
        line,
        message: format!("column {}: {message}", e.column()),
    }
}
