//! The `bursar` command: parses arguments, dispatches, maps the outcome to an exit code.

use std::process::ExitCode;

use bursar::cli;

// Counts bytes so a policy that hoards memory is stopped before the system kills us.
#[global_allocator]
static ALLOCATOR: cli::Counting = cli::Counting;

/// Stack for the worker thread: policies recurse as deep as `--max-call-levels` allows,
/// and a raised limit should end in a limit error, never a stack overflow (the CLI
/// refuses limits this stack cannot hold).
const STACK_BYTES: usize = cli::POLICY_STACK_BYTES;

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
            cli::stderr::print(&cli::error_text(&err, error_format));
            ExitCode::from(cli::Status::Failed as u8)
        }
    }
}
