//! What an explained error says: the message, its code and what to do about it, as the
//! translations of Rhai's errors build it.

use crate::error::Code;

/// What an error says: the message, its code, and what to do about it.
pub(super) struct Said {
    pub(super) message: String,
    pub(super) code: Code,
    pub(super) hint: Option<String>,
}

impl Said {
    /// A message with its code and no hint.
    pub(super) fn new(code: Code, message: impl Into<String>) -> Self {
        Said {
            message: message.into(),
            code,
            hint: None,
        }
    }

    /// The same, with what to do about it.
    pub(super) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}
