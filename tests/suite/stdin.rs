//! `-` is standard input wherever a snapshot is read, and a path that is not a regular
//! file (a pipe, `/dev/stdin`) is read once: the digest covers exactly the bytes read.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::{self, bursar};

/// Runs `bursar` from the crate root with `input` on its standard input.
fn bursar_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(args)
        .current_dir(support::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the bursar binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written from another thread: bursar may stop reading early, or write a lot first.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn example_bytes() -> Vec<u8> {
    std::fs::read(support::root().join(support::example())).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn validate_reads_a_dash_as_standard_input() {
    let out = bursar_with_stdin(&["validate", "-"], &example_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("<stdin>: valid snapshot of sprint 2026-S24"),
        "{stdout}"
    );
}

#[test]
fn eval_from_standard_input_gives_the_document_of_the_file() {
    let from_file = bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    let args = ["eval", "--snapshot", "-", "--fail-on", "never"];
    let from_stdin = bursar_with_stdin(&args, &example_bytes());
    assert_eq!(from_stdin.status.code(), Some(0), "{}", stderr(&from_stdin));
    assert_eq!(
        String::from_utf8_lossy(&from_stdin.stdout),
        String::from_utf8_lossy(&from_file.stdout)
    );

    // The digest covers the bytes read, a byte-order mark included.
    let mut marked = b"\xEF\xBB\xBF".to_vec();
    marked.extend_from_slice(&example_bytes());
    let out = bursar_with_stdin(&args, &marked);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["inputs"]["snapshot_sha256"],
        format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&marked)).as_str()
    );
}

/// A broken snapshot sends the loader to the tree path, which must not read the input a
/// second time: a pipe gives its bytes once.
#[test]
fn a_pipe_is_read_once_even_when_the_snapshot_is_broken() {
    let mut doc: Value = serde_json::from_slice(&example_bytes()).unwrap();
    doc["runs"][3]["squad"] = Value::from("ghost");
    let bytes = serde_json::to_vec_pretty(&doc).unwrap();
    for path in ["-", "/dev/stdin"] {
        let out = bursar_with_stdin(&["validate", path], &bytes);
        let stderr = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{path}: {stderr}");
        assert!(
            stderr.contains("1 problem:\n  /runs/3/squad: unknown squad `ghost`"),
            "{path}: {stderr}"
        );
    }
    let out = bursar_with_stdin(&["eval", "--snapshot", "-"], &bytes[..bytes.len() / 2]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr(&out);
    assert!(stderr.starts_with("error: <stdin>:"), "{stderr}");
    assert!(stderr.contains("unexpected end of file"), "{stderr}");
}

#[test]
fn impact_reads_standard_input_at_most_once() {
    let args = ["impact", "--policies", "policies", "--against", "policies"];
    let mut once = args.to_vec();
    once.extend(["-", "examples/sprint-2026-S24.json"]);
    let out = bursar_with_stdin(&once, &example_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\n<stdin> (sprint 2026-S24)"), "{stdout}");

    let mut twice = args.to_vec();
    twice.extend(["-", "-"]);
    let out = bursar_with_stdin(&twice, &example_bytes());
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr(&out);
    assert!(stderr.contains("can be read only once"), "{stderr}");
}

/// One of each reads in the singular.
#[test]
fn validate_counts_in_words() {
    let one = serde_json::json!({
        "schema_version": 1,
        "sprint": {"id": "S1", "start": "2026-11-16", "end": "2026-11-29"},
        "squads": [{"id": "payments", "headcount": 7}],
        "budgets": {"central_tokens": 1000, "exploration": []},
        "topups": [{"id": "tu-1", "squad": "payments", "tokens": 5, "status": "granted", "reason": null, "justification": null, "approved_by": null}],
        "catalog": [{"workflow": "w", "variant": "A", "status": "standard"}],
        "runs": [{"id": "r-1", "squad": "payments", "workflow": null, "variant": null, "pool": "central", "input_tokens": 1, "output_tokens": 1, "cost": 0, "outcome": "success", "started_at": "2026-11-17T10:00:00Z"}],
        "run_groups": [{"squad": "payments", "workflow": null, "variant": null, "pool": "central", "outcome": "failure", "count": 1, "input_tokens": 1, "output_tokens": 1, "cost_micros": 0, "first_started_at": "2026-11-17T10:00:00Z", "first_run_id": "r-2"}]
    });
    let out = bursar_with_stdin(&["validate", "-"], &serde_json::to_vec(&one).unwrap());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "<stdin>: valid snapshot of sprint S1 (1 squad, 1 run, 1 run group, 1 top-up, 1 catalog entry)\n"
    );
}
