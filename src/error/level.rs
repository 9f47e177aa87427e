//! How serious a diagnostic is: an error stops the run, a warning does not. (How much a
//! policy's decision matters is `decision::Severity`, another question.)

/// How serious a diagnostic is; errors unless said otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// It stops the run.
    #[default]
    Error,
    /// It is reported, and the run goes on.
    Warning,
}

impl Level {
    /// The word used in the human and JSON forms (`error`, `warning`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
