//! The part of a policy's source shown under a diagnostic: the line the mistake is on and
//! one line either side, escaped for the terminal, cut to a window around the column when
//! a line is very long, and numbered with the file's true line numbers (Rhai's positions
//! stop at 65,535; this does not). miette reads it as its source code.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::error::PolicyError;
use crate::text::{needs_escape, push_escaped};

/// Widest slice of a source line shown under an error, in characters.
const SHOWN_CHARS: usize = 100;
/// Marks a line cut short at either end (ASCII, like the rest of the drawing).
const ELIDED: &str = "...";

/// A few lines of a policy's source, ready for miette, and where the mistake is in them.
#[derive(Debug)]
pub struct Excerpt {
    text: String,
    /// The file's 0-based line number of the excerpt's first line.
    first_line: usize,
    /// The mistake's 0-based column in the file, in characters.
    column: usize,
    /// Where the mistake is in `text`, in bytes.
    pub span: SourceSpan,
}

impl Excerpt {
    /// The excerpt for an error located in a source it carries; `None` when it has no
    /// line (or the line is past the end of the file).
    pub fn of(e: &PolicyError) -> Option<Excerpt> {
        let text = e.source_text.as_deref()?;
        let mut line = e.line?.checked_sub(1)?;
        let mut column = e.column.unwrap_or(1).max(1) - 1;
        let lines: Vec<&str> = text.lines().collect();
        // Rhai places "the file ended" on the line after the last: shown at the end of
        // the last line, where the missing `;` or `}` would go.
        if line == lines.len() && line > 0 {
            line -= 1;
            column = usize::MAX;
        }
        let code = *lines.get(line)?;
        let chars: Vec<char> = code.chars().collect();
        // miette draws nothing under an empty span past the end of a line: a mistake
        // found there is shown under the line's last character.
        let column = column.min(chars.len().saturating_sub(1));
        let start = if chars.len() <= SHOWN_CHARS {
            0
        } else {
            column
                .saturating_sub(SHOWN_CHARS / 2)
                .min(chars.len() - SHOWN_CHARS)
        };
        let first_line = line.saturating_sub(1);
        let mut out = String::new();
        let mut span = SourceSpan::from((0, 0));
        for (i, other) in lines
            .iter()
            .enumerate()
            .skip(first_line)
            .take(line + 2 - first_line)
        {
            if i > first_line {
                out.push('\n');
            }
            if i == line {
                // The span stops at the window's edge (a column past the end of the
                // line marks the end of the line).
                let end = (start + SHOWN_CHARS).min(chars.len());
                let width = e.span.unwrap_or(1);
                let mut scratch = String::new();
                let from = out.len() + shown(&mut scratch, &chars, start, column.min(end));
                scratch.clear();
                let to = out.len() + shown(&mut scratch, &chars, start, (column + width).min(end));
                span = SourceSpan::from((from, to - from));
                shown(&mut out, &chars, start, chars.len());
            } else {
                let chars: Vec<char> = other.chars().collect();
                shown(&mut out, &chars, start, chars.len());
            }
        }
        Some(Excerpt {
            text: out,
            first_line,
            column,
            span,
        })
    }
}

/// Appends the window of `chars` that starts at `start` as shown, up to the character
/// `upto` (or the window's end); returns the bytes appended. Tabs stay tabs (miette
/// widens them and the underline alike); other control and bidi characters show escaped.
fn shown(out: &mut String, chars: &[char], start: usize, upto: usize) -> usize {
    let before = out.len();
    let end = (start + SHOWN_CHARS).min(chars.len());
    if start > 0 && start < chars.len() {
        out.push_str(ELIDED);
    }
    for &c in chars.iter().take(upto.min(end)).skip(start) {
        if c != '\t' && needs_escape(c) {
            push_escaped(out, c);
        } else {
            out.push(c);
        }
    }
    if upto >= chars.len() && end < chars.len() {
        out.push_str(ELIDED);
    }
    out.len() - before
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            *inner.span(),
            self.first_line + inner.line(),
            self.column,
            inner.line_count(),
        )))
    }
}
