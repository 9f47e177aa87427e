//! The one trait every output format implements: a model (a decisions document, an impact
//! report...) in, bytes out.

use std::io;

/// Writes one kind of model in one output format.
pub trait Emitter<T: ?Sized> {
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
