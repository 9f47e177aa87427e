//! The `bursar` command: parses arguments, dispatches, maps the outcome to an exit code.

use std::process::ExitCode;

mod cli;

// Counts bytes so a policy that hoards memory is stopped before the system kills us.
#[global_allocator]
static ALLOCATOR: bursar::host::memory::Counting = bursar::host::memory::Counting;

/// Stack for the worker thread: policies recurse as deep as `--max-call-levels` allows,
/// and a raised limit should end in a limit error, never a stack overflow (the CLI
/// refuses limits this stack cannot hold).
const STACK_BYTES: usize = bursar::limits::POLICY_STACK_BYTES;

fn main() -> ExitCode {
    // First: whether stdout was closed at start, before anything else runs.
    cli::streams::guard();
    let args = match cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };
    let error_format = args.error_format;
    let worker = std::thread::Builder::new()
        .name("bursar".into())
        .stack_size(STACK_BYTES)
        .spawn(move || cli::run(args));
    let result = match worker {
        Ok(handle) => handle.join().unwrap_or_else(|_| {
            // The panic message is already on stderr; fail closed like any other error.
            Err(anyhow::anyhow!(
                "bursar stopped on an internal error (a bug: please report it)"
            ))
        }),
        Err(e) => Err(anyhow::anyhow!("cannot start the worker thread: {e}")),
    };
    match result {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) => {
            cli::stderr::print(&error_text(&err, error_format));
            ExitCode::from(cli::Status::Failed as u8)
        }
    }
}

/// The final error as stderr shows it: a diagnostic for people (coloured only on a
/// terminal, and not under `NO_COLOR`), or one JSON object per line for tools. What was
/// added around a library error (`while running the case ...`) comes first, as a line
/// of its own or as the object's `context`.
fn error_text(err: &anyhow::Error, format: cli::ErrorFormat) -> String {
    use bursar::render::diagnostic;
    use std::io::IsTerminal;

    let Some(e) = err.downcast_ref::<bursar::Error>() else {
        // Messages quote paths and values as given: escaped for the terminal.
        return match format {
            cli::ErrorFormat::Human => {
                format!(
                    "error: {}
",
                    bursar::text::escape_terminal(&format!("{err:#}"))
                )
            }
            cli::ErrorFormat::Json => format!("{}\n", diagnostic::other_json(&format!("{err:#}"))),
        };
    };
    // The chain lists the added context first, the library error last.
    let context: Vec<String> = err
        .chain()
        .take_while(|cause| cause.downcast_ref::<bursar::Error>().is_none())
        .map(ToString::to_string)
        .collect();
    match format {
        cli::ErrorFormat::Human => {
            let colour = std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let mut text = String::new();
            for line in &context {
                text.push_str(&format!("{}:\n", bursar::text::escape_terminal(line)));
            }
            text.push_str(&format!("error: {}", diagnostic::render_with(e, colour)));
            text
        }
        cli::ErrorFormat::Json => {
            let mut value = diagnostic::json(e);
            if !context.is_empty() {
                value["context"] = context.into();
            }
            format!("{value}\n")
        }
    }
}
