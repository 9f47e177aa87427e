//! Closed and broken standard streams: every command ends in exit 0, 1 or 2, never a
//! panic (101), and a document that could not be written is exit 2, not a silent loss.

use std::process::{Command, Output, Stdio};

use crate::support::root;

const SNAPSHOT: &str = "examples/sprint-2026-S24.json";

/// Every command that writes, with its exit code when all goes well (eval flags the
/// example's `deny` decisions).
fn commands() -> Vec<(Vec<&'static str>, i32)> {
    vec![
        (vec!["eval", "--snapshot", SNAPSHOT], 1),
        (vec!["eval", "--snapshot", SNAPSHOT, "--format", "text"], 1),
        (vec!["validate", SNAPSHOT], 0),
        (vec!["check"], 0),
        (vec!["test"], 0),
        (vec!["gen", "--runs", "2000"], 0),
        (
            vec![
                "impact",
                "--policies",
                "policies",
                "--against",
                "policies",
                SNAPSHOT,
            ],
            0,
        ),
    ]
}

/// A pipe whose reader is already gone: every write to it fails with `EPIPE`.
fn broken_pipe() -> Stdio {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: `pipe` fills both descriptors, each then owned by exactly one `OwnedFd`.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(reader);
    Stdio::from(writer)
}

fn run(args: &[&str], stdout: Stdio, stderr: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .output()
        .unwrap()
}

/// Runs `args` with a standard stream closed by the shell (`>&-`, `2>&-`).
fn run_closed(args: &[&str], redirect: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" \"$@\" {redirect}"))
        .arg(env!("CARGO_BIN_EXE_bursar"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn a_stdout_closed_at_start_fails_with_exit_2_instead_of_losing_the_document() {
    for (args, _) in commands() {
        let out = run_closed(&args, ">&-");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: cannot write to stdout: it is closed"),
            "{args:?}: {stderr}"
        );
    }
    // Nothing needs stdout with --out: the run goes on.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.json");
    let file = file.to_str().unwrap();
    let out = run_closed(&["eval", "--snapshot", SNAPSHOT, "--out", file], ">&-");
    assert_eq!(out.status.code(), Some(1));
    assert!(std::path::Path::new(file).exists());
}

#[test]
fn a_stdout_whose_reader_is_gone_stops_quietly() {
    for (args, code) in commands() {
        let out = run(&args, broken_pipe(), Stdio::piped());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_closed_or_broken_stderr_changes_no_exit_code() {
    let bad = vec!["eval", "--snapshot", "no-such-snapshot.json"];
    let mut all = commands();
    all.push((bad, 2));
    all.push((vec!["check", "--policies", "no-such-folder"], 2));
    for (args, code) in all {
        // The summary, the progress and the final error have nowhere to go.
        let out = run(&args, Stdio::null(), broken_pipe());
        assert_eq!(out.status.code(), Some(code), "{args:?} with stderr broken");
        let out = run_closed(&args, ">/dev/null 2>&-");
        assert_eq!(out.status.code(), Some(code), "{args:?} with stderr closed");
    }
}
