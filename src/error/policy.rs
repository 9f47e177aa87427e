//! Something wrong with a policy, at compile time or while it ran, located in its file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rhai::Position;

use super::code::Code;
use super::level::Level;
use super::span::token_width;

/// Something wrong with a policy: at compile time or while it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The policy (or module) file as the user would name it.
    pub path: PathBuf,
    /// The line, from 1, when the error is located.
    pub line: Option<usize>,
    /// The column, from 1, when the error is located.
    pub column: Option<usize>,
    /// What is wrong, in the author's words.
    pub message: String,
    /// The file's text, for rendering the offending line.
    pub source_text: Option<Arc<str>>,
    /// The last lines the policy printed before it failed (its `print`/`debug` output is
    /// otherwise lost with the run), and how many it printed in all.
    pub printed: Vec<String>,
    /// How many lines the policy printed in all (`printed` keeps the last of them).
    pub printed_total: usize,
    /// A stable name for the kind of mistake (`unknown-field`, `syntax`...), for editors
    /// and `--error-format json`.
    pub code: Option<Code>,
    /// What to do about it, in the author's words ("did you mean `success_rate`?").
    pub hint: Option<String>,
    /// How many characters from `column` the mistake spans: the token there, measured
    /// from the source when the error is located, unless a builder said otherwise.
    pub span: Option<usize>,
    /// An error stops the run; `check` may also report warnings.
    pub level: Level,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for PolicyError {}

impl PolicyError {
    pub(crate) fn new(path: &Path, message: impl Into<String>) -> Box<Self> {
        Box::new(Self {
            path: path.to_owned(),
            line: None,
            column: None,
            message: message.into(),
            source_text: None,
            printed: Vec::new(),
            printed_total: 0,
            code: None,
            hint: None,
            span: None,
            level: Level::Error,
        })
    }

    pub(crate) fn with_code(mut self: Box<Self>, code: Code) -> Box<Self> {
        self.code = Some(code);
        self
    }

    pub(crate) fn with_hint(mut self: Box<Self>, hint: impl Into<String>) -> Box<Self> {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn with_span(mut self: Box<Self>, chars: usize) -> Box<Self> {
        self.span = Some(chars);
        self
    }

    #[cfg(test)]
    pub(crate) fn with_level(mut self: Box<Self>, level: Level) -> Box<Self> {
        self.level = level;
        self
    }

    /// The text of the line the error is on, when its source is known.
    pub fn source_line(&self) -> Option<&str> {
        let line = self.line?.checked_sub(1)?;
        self.source_text.as_deref()?.lines().nth(line)
    }

    /// The span of the token at the error's column, measured from the source.
    fn measure(mut self: Box<Self>) -> Box<Self> {
        if let (Some(code), Some(column)) = (self.source_line(), self.column) {
            self.span = Some(token_width(code, column));
        }
        self
    }

    /// Placed at a line and column bursar found itself (not narrowed to Rhai's 16 bits).
    pub(crate) fn at_line(
        mut self: Box<Self>,
        line: usize,
        column: usize,
        source: Option<&Arc<str>>,
    ) -> Box<Self> {
        self.line = Some(line);
        self.column = Some(column);
        self.source_text = source.cloned();
        self.measure()
    }

    pub(crate) fn at(mut self: Box<Self>, pos: Position, source: Option<&Arc<str>>) -> Box<Self> {
        self.line = pos.line();
        self.column = pos.position();
        self.source_text = source.cloned();
        self.measure()
    }
}
