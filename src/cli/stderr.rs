//! Messages on stderr that never stop the run: progress, printed script lines, the failure
//! summary and the final error. `eprintln!` panics when stderr is a pipe whose reader has
//! gone (`2>&1 | head`); a message nobody can read is dropped instead, and the exit code
//! still says what happened.

use std::io::Write;

/// Writes `text` to stderr as it is, ignoring a closed or broken stderr.
pub fn print(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// Writes `text` and a newline.
pub fn line(text: &str) {
    print(&format!("{text}\n"));
}

/// The lines the policies printed, each escaped: they are the policies' text, and escaped
/// they cannot pose as bursar's (move the cursor, rewrite a line already written).
pub fn policies_printed(lines: &[String]) {
    for line in lines {
        self::line(&crate::text::escape_terminal(line));
    }
}
