//! Any model as pretty JSON with a trailing newline: for a decisions document, the format
//! `schemas/decisions.schema.json` describes. Keys come in declaration order and numbers
//! as serde_json writes them, so the same inputs give the same bytes.

use std::io;

use serde::Serialize;

use super::emitter::Emitter;

pub struct Json;

impl<T: Serialize + ?Sized> Emitter<T> for Json {
    fn emit(&self, out: &mut dyn io::Write, item: &T) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, item)?;
        out.write_all(b"\n")
    }
}
