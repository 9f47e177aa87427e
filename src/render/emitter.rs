//! The one trait every output format implements: a model (a decisions document, an impact
//! report...) in, bytes out; and the context a format is given beside the model.

use std::io;
use std::path::PathBuf;

use crate::decision::Severity;

/// Writes one kind of model in one output format.
pub trait Emitter<T: ?Sized> {
    /// Writes `item` to `out`.
    fn emit(&self, out: &mut dyn io::Write, item: &T) -> io::Result<()>;
}

/// The whole rendering in memory, for commands that write their output whole.
pub fn to_string<T: ?Sized>(emitter: &dyn Emitter<T>, item: &T) -> String {
    let mut bytes = Vec::new();
    emitter
        .emit(&mut bytes, item)
        .expect("emitting into memory does not fail");
    String::from_utf8(bytes).expect("emitters write UTF-8")
}

/// What a format may need beyond the document, set by the command from its flags: the
/// library never guesses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// Decisions at or above this severity fail the run (`--fail-on`); `None`: never.
    pub fail_on: Option<Severity>,
    /// The policy pack folder as the user named it, for formats that link to a policy
    /// file (`policies`, `governance/pack`).
    pub policies: PathBuf,
}
