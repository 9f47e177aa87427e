//! The `bursar` command: parses arguments, dispatches, maps the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) => {
            let text = match err.downcast_ref::<bursar::Error>() {
                Some(e) => bursar::diagnostic::render(e),
                None => format!("{err:#}\n"),
            };
            eprint!("error: {text}");
            ExitCode::from(cli::Status::Failed as u8)
        }
    }
}
