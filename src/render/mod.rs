//! Rendering, in the manner of ruff's emitters: one [`Emitter`] trait, one file per output
//! format of a decisions document (`text`, `json`; JSON serves every model), and one file
//! per other report (`impact`, `check`, error `diagnostic`s). Renderers only turn a model
//! into bytes: they read nothing and run nothing, so each is pinned by snapshots over
//! shared fixture documents.

pub mod check;
pub mod dashboard;
mod dashboard_answer;
mod dashboard_sections;
mod dashboard_tables;
pub mod diagnostic;
pub mod diff_markdown;
pub mod diff_text;
mod emitter;
pub mod explain_text;
pub mod failures;
pub mod github;
pub mod impact;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod svg;
pub mod test_coverage;
pub mod test_junit;
pub mod test_text;
pub mod text;
pub mod trends_text;
pub mod verify;

use crate::decision::Document;
pub use emitter::{to_string, Context, Emitter};

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
            Self::Text => Box::new(text::TextEmitter),
            Self::Json => Box::new(json::JsonEmitter),
            Self::Junit => Box::new(junit::JunitEmitter::new(context)),
            Self::Sarif => Box::new(sarif::SarifEmitter::new(context)),
            Self::Github => Box::new(github::GithubEmitter::new(&context.policies)),
            Self::Markdown => Box::new(markdown::MarkdownEmitter::new(context.fail_on)),
        }
    }
}
