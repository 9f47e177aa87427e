//! The error a command ended with, as stderr shows it: for people or for tools.

/// The final error as stderr shows it: a diagnostic for people (coloured only on a
/// terminal, and not under `NO_COLOR`), or one JSON object per line for tools. What was
/// added around a library error (`while running the case ...`) comes first, as a line
/// of its own or as the object's `context`.
pub fn error_text(err: &anyhow::Error, format: super::ErrorFormat) -> String {
    use crate::render::diagnostic;
    use std::io::IsTerminal;

    let Some(e) = err.downcast_ref::<crate::Error>() else {
        // Messages quote paths and values as given: escaped for the terminal.
        return match format {
            super::ErrorFormat::Human => {
                format!(
                    "error: {}
",
                    crate::text::escape_terminal(&format!("{err:#}"))
                )
            }
            super::ErrorFormat::Json => {
                format!("{}\n", diagnostic::other_json(&format!("{err:#}")))
            }
        };
    };
    // The chain lists the added context first, the library error last.
    let context: Vec<String> = err
        .chain()
        .take_while(|cause| cause.downcast_ref::<crate::Error>().is_none())
        .map(ToString::to_string)
        .collect();
    match format {
        super::ErrorFormat::Human => {
            let colour = std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let mut text = String::new();
            for line in &context {
                text.push_str(&format!("{}:\n", crate::text::escape_terminal(line)));
            }
            text.push_str(&format!("error: {}", diagnostic::render_with(e, colour)));
            text
        }
        super::ErrorFormat::Json => {
            let mut value = diagnostic::json(e);
            if !context.is_empty() {
                value["context"] = context.into();
            }
            format!("{value}\n")
        }
    }
}
