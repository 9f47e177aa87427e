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
    Text,
    Json,
    Junit,
    Sarif,
    Github,
    Markdown,
}

impl Format {
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

/// The paths and names the integration tests import from before the renderers were
/// grouped by what they render; the narrowing of the library surface retires them.
#[doc(hidden)]
pub mod old_paths {
    pub mod failures {
        pub use crate::render::decisions::failures::FailuresText as FailureSummary;
    }
    pub use super::decisions::junit;
    pub use super::decisions::markdown;
    pub use super::trends::{dashboard, svg};
    pub mod diff_markdown {
        pub use crate::render::diff::markdown::{DiffMarkdown, MAX_CHARS};
    }
    pub mod explain_text {
        pub use crate::render::explain::ExplainText as ExplainTextEmitter;
    }
    pub mod test_junit {
        pub use crate::render::testing::junit::TestsJunit as TestJunitEmitter;
    }
    pub mod test_text {
        pub use crate::render::testing::text::TestsText as TestTextEmitter;
    }
}
#[doc(hidden)]
pub use old_paths::*;
