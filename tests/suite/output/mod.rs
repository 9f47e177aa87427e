//! `--out` for every command that writes: `-` is stdout, devices, FIFOs and sockets are
//! written in place, links are followed, files are replaced atomically with their
//! permissions, temporary files are created exclusively, and inputs are never clobbered.
//! This file holds what the three test files share: the commands and how to run them.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::support;

mod inputs;
mod replacing;
mod special_files;

pub const EXAMPLE: &str = "examples/sprint-2026-S24.json";

/// A crate file as an absolute path, so commands can run in a temporary folder.
pub fn crate_path(rel: &str) -> String {
    support::root().join(rel).to_string_lossy().into_owned()
}

/// Every command that writes `--out`, on small inputs (the flag itself is added later).
pub fn writers() -> Vec<(&'static str, Vec<String>)> {
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (example, policies) = (crate_path(EXAMPLE), crate_path("policies"));
    vec![
        (
            "eval",
            args(&[
                "eval",
                "--quiet",
                "--fail-on",
                "never",
                "--snapshot",
                &example,
                "--policies",
                &policies,
            ]),
        ),
        (
            "impact",
            args(&[
                "impact",
                "--quiet",
                "--policies",
                &policies,
                "--against",
                &policies,
                &example,
            ]),
        ),
        ("gen", args(&["gen", "--runs", "300", "--seed", "3"])),
        ("check", args(&["check", "--policies", &policies])),
    ]
}

/// Runs `bursar` in `dir`, with `--out out` when given.
pub fn run_in(dir: &Path, args: &[String], out: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bursar"));
    command.args(args).current_dir(dir);
    if let Some(out) = out {
        command.args(["--out", out]);
    }
    command.output().expect("the bursar binary runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What `args` writes to stdout: the document every destination must receive whole.
pub fn document(args: &[String]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), args, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!out.stdout.is_empty());
    out.stdout
}

/// Names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn mkfifo(path: &Path) {
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    let made = unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) };
    assert_eq!(made, 0, "mkfifo: {}", std::io::Error::last_os_error());
}

/// A test that needs root is marked `ignore` where the build does not run as root
/// (`have_root`); where it runs, failing to act as root is a failure, never a pass.
pub fn need_root(what: &str, err: std::io::Error) {
    panic!("{what} needs root (run the tests as root, as CI does): {err}");
}
