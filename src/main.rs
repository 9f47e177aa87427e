//! The `bursar` command: parses arguments, dispatches, maps the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

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
    let args = cli::Cli::parse();
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
            let text = match (error_format, err.downcast_ref::<bursar::Error>()) {
                (cli::ErrorFormat::Human, Some(e)) => {
                    format!("error: {}", bursar::render::diagnostic::render(e))
                }
                // Messages quote paths and values as given: escaped for the terminal.
                (cli::ErrorFormat::Human, None) => format!(
                    "error: {}\n",
                    bursar::text::escape_terminal(&format!("{err:#}"))
                ),
                (cli::ErrorFormat::Json, Some(e)) => {
                    format!("{}\n", bursar::render::diagnostic::json(e))
                }
                (cli::ErrorFormat::Json, None) => format!(
                    "{}\n",
                    serde_json::json!({"code": "error", "message": format!("{err:#}")})
                ),
            };
            cli::stderr::print(&text);
            ExitCode::from(cli::Status::Failed as u8)
        }
    }
}
