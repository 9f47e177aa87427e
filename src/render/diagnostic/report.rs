//! One policy error drawn by miette: the source excerpt with the mistake underlined and
//! the hint below it, in an ASCII theme, coloured only when the caller says the reader is
//! a terminal. The first line, `file:line:col: message`, is bursar's own, so it reads the
//! same in a log, an editor's error list and after the `error: ` the CLI puts before it.

use std::fmt::{self, Write};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::excerpt::Excerpt;
use crate::error::{Level, PolicyError};
use crate::text::escape_terminal as esc;

/// A policy error as miette sees it.
#[derive(Debug)]
struct Report<'a> {
    error: &'a PolicyError,
    excerpt: Option<Excerpt>,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&esc(&self.error.to_string()))
    }
}

impl std::error::Error for Report<'_> {}

impl Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.error.level {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let hint = self.error.hint.as_deref()?;
        Some(Box::new(esc(hint).into_owned()))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt.as_ref().map(|e| e as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let excerpt = self.excerpt.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, excerpt.span),
        )))
    }
}

/// The error's first line, then what miette draws under it: the excerpt and the hint.
pub fn render(error: &PolicyError, colour: bool) -> String {
    let theme = if colour {
        GraphicalTheme::ascii()
    } else {
        GraphicalTheme::none()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_wrap_lines(false)
        .with_context_lines(1)
        .tab_width(4);
    let report = Report {
        error,
        excerpt: Excerpt::of(error),
    };
    let mut drawn = String::new();
    if handler.render_report(&mut drawn, &report).is_err() {
        // miette could not read the excerpt: the message alone still says it all.
        return format!("{report}\n");
    }
    // miette's own first line repeats the message (indented, with an icon): the line
    // above replaces it. The message is escaped, so it is exactly one line.
    let below = drawn.split_once('\n').map_or("", |(_, rest)| rest);
    let mut out = format!("{report}\n");
    for line in below.lines() {
        // miette pads some lines with spaces; trailing space is noise in logs and diffs.
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}
