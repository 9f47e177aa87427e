//! How large a file Rhai can locate an error in: its positions hold lines and columns in
//! 16 bits, so past line or column 65,535 every error, check and decision would point at
//! the wrong place (or nowhere). Such a file is refused when the pack is read.

use std::path::Path;

use super::PolicyError;

/// The most lines a file may have: Rhai places the end of a file after its final newline
/// on one line more, which must still fit in 16 bits.
pub const MAX_LINES: usize = u16::MAX as usize - 1;
/// The longest line, in characters (Rhai's columns count characters).
pub const MAX_COLUMNS: usize = u16::MAX as usize - 1;

/// Refuses a policy or module (`what`) that has more lines, or a longer line, than an
/// error in it could be located on.
pub fn locatable(path: &Path, text: &str, what: &str) -> Result<(), Box<PolicyError>> {
    let lines = text.lines().count();
    if lines > MAX_LINES {
        return Err(PolicyError::new(
            path,
            format!(
                "the {what} has {lines} lines, more than the {MAX_LINES} an error can be \
                 located in: move code into modules (`import`)"
            ),
        ));
    }
    for (i, line) in text.split('\n').enumerate() {
        // A byte count under the limit is enough; an error may point just past the end.
        if line.len() > MAX_COLUMNS && line.chars().count() > MAX_COLUMNS {
            return Err(PolicyError::new(
                path,
                format!(
                    "this line of the {what} is longer than the {MAX_COLUMNS} characters an \
                     error can be located in: break it into shorter lines"
                ),
            )
            .at_line(i + 1, 1, None));
        }
    }
    Ok(())
}
