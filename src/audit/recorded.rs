//! A decisions document read back for `diff` and `verify`: read and checked as `document`
//! does it (located errors; formats from 2 on), kept also as its header as written (so
//! `diff` compares fields a later format adds, which the model would drop) and, for
//! `verify`, its bytes.

use serde_json::Value;

use crate::decision::Document;

/// A document as read: its model, its inputs as written, and its bytes when kept.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The bytes as read (what `verify` compares); empty when not kept.
    pub bytes: Vec<u8>,
    /// The header as written: every field but `decisions`.
    pub json: Value,
    pub document: Document,
}

/// Reads a decisions document from its bytes; `origin` names the file in messages.
/// `keep_bytes` keeps them for a byte comparison; `diff` drops them, so memory holds the
/// model alone.
pub fn read(bytes: Vec<u8>, origin: &str, keep_bytes: bool) -> crate::Result<Recorded> {
    let (document, json) = crate::audit::document::parse_value(&bytes, origin)?;
    Ok(Recorded {
        bytes: if keep_bytes { bytes } else { Vec::new() },
        json,
        document,
    })
}
