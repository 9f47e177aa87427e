//! Rendering, in the manner of ruff's emitters: one [`Emitter`] trait, and a folder or file
//! per thing rendered: the decisions document's formats (`decisions/`), the policy test
//! report (`testing/`), the diff (`diff/`), the trends report and its dashboard (`trends/`),
//! `explain`, `verify`, `impact`, `check`'s listing and error `diagnostic`s; `json` serves
//! every model. Renderers only turn a model into bytes: they read nothing and run nothing,
//! so each is pinned by snapshots over shared fixture documents.

pub mod check;
pub mod decisions;
pub mod diagnostic;
pub mod diff;
mod emitter;
pub mod explain;
pub mod impact;
pub mod json;
pub mod testing;
pub mod trends;
pub mod verify;

use crate::decision::Document;
pub use emitter::{Context, Emitter, to_string};

/// The output formats of a decisions document; each command picks the ones it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for a person.
    Text,
    /// The decisions document itself, as JSON.
    Json,
    /// JUnit XML, a test case per decision.
    Junit,
    /// SARIF, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// Markdown, for a pull request comment or a job summary.
    Markdown,
}

impl Format {
    /// The renderer of this format, given what it may need beyond the document.
    pub fn emitter(self, context: &Context) -> Box<dyn Emitter<Document>> {
        match self {
            Self::Text => Box::new(decisions::text::DecisionsText),
            Self::Json => Box::new(json::Json),
            Self::Junit => Box::new(decisions::junit::DecisionsJunit::new(context)),
            Self::Sarif => Box::new(decisions::sarif::DecisionsSarif::new(context)),
            Self::Github => Box::new(decisions::github::DecisionsGithub::new(&context.policies)),
            Self::Markdown => {
                Box::new(decisions::markdown::DecisionsMarkdown::new(context.fail_on))
            }
        }
    }
}
