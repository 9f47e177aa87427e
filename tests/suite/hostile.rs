//! Inputs that could hang bursar or make it read without end (issue 8, class 3): a
//! snapshot in a FIFO is read once by every command, an endless stream stops at the
//! snapshot size limit, and a policy past the policy size limit is refused before Rhai
//! spends time quadratic in its size compiling it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::output::mkfifo;
use crate::support::{bursar, example, root};

fn run_guarded(args: &[&str]) -> Output {
    crate::support::bursar_guarded(args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts exit 2 without a panic; returns stderr.
fn refused(out: &Output, what: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    err
}

/// A document that parses but is no valid snapshot: the streaming loader gives up on it
/// and the tree loader lists its problems, the path that once opened the file again.
const INVALID: &str = "{\"schema_version\": 1, \"squads\": []}\n";

/// A policy case whose snapshot is invalid, for `bursar test`.
const INVALID_CASE: &str = "topups tu-1 none\n--- snapshot\n{\"squads\": 5}\n";

/// Every command that reads a snapshot, reading `path`.
fn snapshot_commands(path: &str) -> Vec<Vec<String>> {
    let owned = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        owned(&["validate", path]),
        owned(&["eval", "--policies", "policies", "--snapshot", path]),
        owned(&[
            "impact",
            "--policies",
            "policies",
            "--against",
            "policies",
            path,
        ]),
    ]
}

#[test]
fn an_invalid_snapshot_in_a_fifo_is_read_once_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("snapshot.json");
    mkfifo(&fifo);
    let fifo_arg = fifo.to_str().unwrap().to_owned();
    let mut commands: Vec<(Vec<String>, String)> = snapshot_commands(&fifo_arg)
        .into_iter()
        .map(|c| (c, INVALID.to_owned()))
        .collect();
    commands.push((
        vec![
            "test".into(),
            "--policies".into(),
            "policies".into(),
            fifo_arg.clone(),
        ],
        INVALID_CASE.to_owned(),
    ));
    for (args, text) in commands {
        // One writer, once: a command that opened the FIFO a second time would wait for
        // a writer that never comes.
        let path = fifo.clone();
        let writer = std::thread::spawn(move || {
            let mut pipe = std::fs::OpenOptions::new().write(true).open(path).unwrap();
            // The reader may give up early (exit 2): a broken pipe is its right.
            let _ = pipe.write_all(text.as_bytes());
        });
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_guarded(&args);
        writer.join().unwrap();
        let err = refused(&out, args[0]);
        assert!(err.contains("snapshot.json"), "{}: {err}", args[0]);
    }
}

#[test]
fn an_endless_stream_stops_at_the_snapshot_size_limit() {
    let at_limit = "`/dev/zero`: the snapshot is larger than the limit of 1 MiB (raise it with --max-snapshot-mb)";
    for mut args in snapshot_commands("/dev/zero") {
        args.extend(["--max-snapshot-mb".to_owned(), "1".to_owned()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = refused(&run_guarded(&args), args[0]);
        assert!(err.contains(at_limit), "{}: {err}", args[0]);
    }
    // A case carries a snapshot: the same limit bounds it.
    let out = run_guarded(&[
        "test",
        "--policies",
        "policies",
        "/dev/zero",
        "--max-snapshot-mb",
        "1",
    ]);
    let err = refused(&out, "test");
    assert!(
        err.contains("`/dev/zero`: the case is larger than the limit of 1 MiB"),
        "{err}"
    );
    // Standard input, endless too.
    let out = Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(["eval", "--snapshot", "-", "--max-snapshot-mb", "1"])
        .current_dir(root())
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    let err = refused(&out, "eval from stdin");
    assert!(
        err.contains("`<stdin>`: the snapshot is larger than the limit of 1 MiB"),
        "{err}"
    );
}

/// The example snapshot padded with trailing whitespace to `size` bytes: valid, whatever
/// its size.
fn padded_example(dir: &Path, size: usize) -> PathBuf {
    let mut text = std::fs::read(root().join(example())).unwrap();
    text.resize(size, b'\n');
    let path = dir.join("padded.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_snapshot_is_refused_one_byte_past_the_limit_and_read_at_it() {
    let dir = tempfile::tempdir().unwrap();
    let at = padded_example(dir.path(), 1 << 20);
    let at = at.to_str().unwrap();
    let out = bursar(&["validate", at, "--max-snapshot-mb", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let past = padded_example(dir.path(), (1 << 20) + 1);
    let past = past.to_str().unwrap();
    for args in snapshot_commands(past) {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--max-snapshot-mb", "1"]);
        let err = refused(&bursar(&args), args[0]);
        assert!(
            err.contains("padded.json`: the snapshot is larger than the limit of 1 MiB"),
            "{}: {err}",
            args[0]
        );
    }
}

#[test]
fn the_size_limits_are_recorded_in_the_document() {
    let out = bursar(&[
        "eval",
        "--snapshot",
        example().to_str().unwrap(),
        "--max-snapshot-mb",
        "7",
        "--max-policy-kb",
        "9",
        "--fail-on",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["limits"]["max_snapshot_mb"], 7);
    assert_eq!(doc["limits"]["max_policy_kb"], 9);
    let defaults: serde_json::Value = serde_json::to_value(bursar::Limits::default()).unwrap();
    assert_eq!(defaults["max_snapshot_mb"], 1024);
    assert_eq!(defaults["max_policy_kb"], 64);
}

const HEADER: &str = "const POLICY = \"big\";\n";

/// A policy of exactly `size` bytes: one map literal with as many distinct keys as fit,
/// the shape that costs Rhai's parser the most per byte (each key is compared with every
/// earlier one).
fn map_policy(size: usize) -> String {
    let mut text = format!("{HEADER}let m = #{{");
    let tail = "};\n";
    let mut i = 0;
    loop {
        let entry = format!("k{i}:0,");
        if text.len() + entry.len() + tail.len() > size {
            break;
        }
        text.push_str(&entry);
        i += 1;
    }
    text.push_str(tail);
    text.push_str(&" ".repeat(size - text.len()));
    text
}

fn check(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--policies", dir.to_str().unwrap()];
    args.extend(extra);
    run_guarded(&args)
}

#[test]
fn a_policy_past_the_size_limit_is_refused_before_it_is_compiled() {
    let dir = tempfile::tempdir().unwrap();
    // A megabyte of constants: minutes to compile before the limit, refused at once now.
    let mut huge = String::from(HEADER);
    for i in 0..80_000 {
        huge.push_str(&format!("const C{i} = {i};\n"));
    }
    assert!(huge.len() > 1 << 20);
    std::fs::write(dir.path().join("big.rhai"), &huge).unwrap();
    let snapshot = example();
    let snapshot = snapshot.to_str().unwrap();
    let p = dir.path().to_str().unwrap();
    for args in [
        vec!["check", "--policies", p],
        vec!["eval", "--policies", p, "--snapshot", snapshot],
        vec!["impact", "--policies", p, "--against", "policies", snapshot],
    ] {
        let err = refused(&run_guarded(&args), args[0]);
        assert!(
            err.contains("big.rhai: the policy is larger than the limit of 64 KiB (raise it with --max-policy-kb"),
            "{}: {err}",
            args[0]
        );
    }
}

#[test]
fn the_policy_size_limit_is_exact_and_binds_modules_too() {
    let dir = tempfile::tempdir().unwrap();
    let limit = 16 << 10;
    std::fs::write(dir.path().join("big.rhai"), map_policy(limit)).unwrap();
    let out = check(dir.path(), &["--max-policy-kb", "16"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(dir.path().join("big.rhai"), map_policy(limit + 1)).unwrap();
    let err = refused(&check(dir.path(), &["--max-policy-kb", "16"]), "check");
    assert!(
        err.contains("big.rhai: the policy is larger than the limit of 16 KiB"),
        "{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lib")).unwrap();
    std::fs::write(dir.path().join("lib/table.rhai"), map_policy((1 << 10) + 1)).unwrap();
    std::fs::write(dir.path().join("p.rhai"), HEADER).unwrap();
    let err = refused(&check(dir.path(), &["--max-policy-kb", "1"]), "check");
    assert!(
        err.contains("table.rhai: the module is larger than the limit of 1 KiB"),
        "{err}"
    );
}

#[test]
fn a_policy_at_the_default_size_limit_compiles() {
    // One of the costliest shapes (one map literal: each key compared with every earlier
    // one) at exactly the default limit still compiles: the limit refuses nothing less.
    let dir = tempfile::tempdir().unwrap();
    let default = bursar::Limits::default().max_policy_kb as usize * 1024;
    std::fs::write(dir.path().join("big.rhai"), map_policy(default)).unwrap();
    let out = check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_library_keeps_the_snapshot_limit_it_records() {
    use bursar::Limits;
    let dir = tempfile::tempdir().unwrap();
    let past = padded_example(dir.path(), (1 << 20) + 1);
    let limits = Limits {
        max_snapshot_mb: 1,
        ..Limits::default()
    };
    // No size limit in the load options: the limits recorded still bind.
    let result = bursar::evaluate(&past, Path::new("policies"), limits);
    match result {
        Err(e @ bursar::Error::OverLimit { .. }) => {
            assert!(e.to_string().contains("limit of 1 MiB"), "{e}")
        }
        Err(e) => panic!("expected the size limit, got {e}"),
        Ok(_) => panic!("a snapshot past the recorded limit was evaluated"),
    }
}

#[test]
fn a_fifo_named_twice_among_impacts_snapshots_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("snapshot.json");
    mkfifo(&fifo);
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut pipe = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        let bytes = std::fs::read(root().join(example())).unwrap();
        let _ = pipe.write_all(&bytes);
    });
    let fifo = fifo.to_str().unwrap();
    let args = [
        "impact",
        "--policies",
        "policies",
        "--against",
        "policies",
        fifo,
        fifo,
    ];
    let out = run_guarded(&args);
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2 snapshots"), "{text}");
}
