//! Declares a command's formats in one line: every command's `--format` is its own
//! `clap::ValueEnum` (so `--help` and a wrong name list exactly its formats), and this
//! writes that enum and its default, which were otherwise copied into each command.

/// `formats!("text", Text, Json)` declares `enum Format { Text, Json }` for `--format`,
/// `text` when the flag is not given; a variant's `///` comment is its `--help` line.
macro_rules! formats {
    ($default:literal, $($(#[$doc:meta])* $variant:ident),+ $(,)?) => {
        /// The formats this command writes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        enum Format {
            $($(#[$doc])* $variant),+
        }

        impl $crate::cli::args::Formats for Format {
            const DEFAULT: &'static str = $default;
        }
    };
}

pub(crate) use formats;
