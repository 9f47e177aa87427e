//! Rendering, in the manner of ruff's emitters: one [`Emitter`] per output format of a
//! decisions document, each in its own file, and one file per other report (`impact`,
//! `check`). Renderers only turn a model into bytes: they read nothing and run nothing,
//! so each is pinned by snapshots over shared fixture documents.

pub mod check;
pub mod diagnostic;
pub mod impact;
pub mod json;
pub mod text;

use std::io;

use crate::decision::Document;

/// Writes a decisions document in one output format.
pub trait Emitter {
    fn emit(&self, out: &mut dyn io::Write, doc: &Document) -> io::Result<()>;
}

/// The output formats of a decisions document; each command picks the ones it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

impl Format {
    pub fn emitter(self) -> &'static dyn Emitter {
        match self {
            Self::Text => &text::TextEmitter,
            Self::Json => &json::JsonEmitter,
        }
    }
}

/// The whole rendering in memory, for commands that write their output whole.
pub fn to_string(emitter: &dyn Emitter, doc: &Document) -> String {
    let mut bytes = Vec::new();
    emitter
        .emit(&mut bytes, doc)
        .expect("emitting into memory does not fail");
    String::from_utf8(bytes).expect("emitters write UTF-8")
}
