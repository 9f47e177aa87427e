//! A decisions document read back for `diff` and `verify`: checked and parsed as
//! `document` does it (located errors; formats from 2 on), and kept also as its bytes
//! (what `verify` compares) and its JSON as written (so `diff` compares fields a later
//! format adds to `inputs`, which the model would drop).

use serde_json::Value;

use crate::decision::Document;

/// A document as read: its bytes, its JSON and its model.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub bytes: Vec<u8>,
    pub json: Value,
    pub document: Document,
}

/// Reads a decisions document from its bytes; `origin` names the file in messages.
pub fn read(bytes: Vec<u8>, origin: &str) -> crate::Result<Recorded> {
    let document = crate::document::parse(&bytes, origin)?;
    let json = serde_json::from_slice(&bytes).expect("`document::parse` parsed it as JSON");
    Ok(Recorded {
        bytes,
        json,
        document,
    })
}
