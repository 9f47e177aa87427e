//! Rendering, in the manner of ruff's emitters: one [`Emitter`] trait, one file per output
//! format of a decisions document (`text`, `json`; JSON serves every model), and one file
//! per other report (`impact`, `check`, error `diagnostic`s). Renderers only turn a model
//! into bytes: they read nothing and run nothing, so each is pinned by snapshots over
//! shared fixture documents.

pub mod check;
pub mod diagnostic;
mod emitter;
pub mod impact;
pub mod json;
pub mod text;

use crate::decision::Document;
pub use emitter::{to_string, Emitter};

/// The output formats of a decisions document; each command picks the ones it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

impl Format {
    pub fn emitter(self) -> &'static dyn Emitter<Document> {
        match self {
            Self::Text => &text::TextEmitter,
            Self::Json => &json::JsonEmitter,
        }
    }
}
