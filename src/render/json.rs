//! The decisions document as pretty JSON with a trailing newline, the format
//! `schemas/decisions.schema.json` describes: the same inputs give the same bytes.

use std::io;

use super::Emitter;
use crate::decision::Document;

pub struct JsonEmitter;

impl Emitter for JsonEmitter {
    fn emit(&self, out: &mut dyn io::Write, doc: &Document) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, doc)?;
        out.write_all(b"\n")
    }
}
