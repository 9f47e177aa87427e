//! Memory of `bursar diff` on two large decisions documents (10^6 decisions each by
//! default), against reading one of them once through the same reader (`bursar explain`,
//! which reads, checks and models a document, then shows one decision), with the
//! documents' size: diff should hold a small multiple of what it reads. Run with
//! `cargo bench --bench diff_memory`; `BURSAR_BENCH_DECISIONS=100000` picks another size.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BURSAR: &str = env!("CARGO_BIN_EXE_bursar");

/// Runs a command to completion; returns wall time and peak resident memory.
// The child is reaped by `wait4` (which also reports peak memory), not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn measure(cmd: &mut Command) -> (Duration, u64) {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("command starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain old data, and wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1,
        "{cmd:?} failed with status {status}"
    );
    // Linux reports ru_maxrss in KiB.
    (start.elapsed(), usage.ru_maxrss as u64 * 1024)
}

/// Two documents of `n` decisions each, from the fixture pack's first decision; one
/// decision in ten has another value on the new side. Written decision by decision (as
/// `eval` pretty-prints them), so making a million does not take a tree of a million.
fn documents(dir: &Path, n: usize) -> (PathBuf, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = dir.join("seed.json");
    let status = Command::new(BURSAR)
        .args(["eval", "--snapshot"])
        .arg(root.join("tests/fixtures/diff/sprint.json"))
        .arg("--policies")
        .arg(root.join("tests/fixtures/diff/pack"))
        .args(["--fail-on", "never", "--out"])
        .arg(&seed)
        .status()
        .expect("bursar runs");
    assert!(status.success());
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&seed).unwrap()).unwrap();
    // Placeholders replaced in the text of each decision.
    const SUBJECT: &str = "@@subject@@";
    const MOVED: u64 = 987_654_321_123;
    let pretty = |d: &serde_json::Value| {
        let text = serde_json::to_string_pretty(d).unwrap();
        // Decisions sit two levels deep in the document.
        text.lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut template = doc["decisions"][0].clone();
    template["subject"] = SUBJECT.into();
    let same = pretty(&template);
    template["values"]["headcount"] = MOVED.into();
    let moved = pretty(&template);
    doc["decisions"] = serde_json::json!([]);
    doc["totals"]["decisions"] = n.into();
    let envelope = serde_json::to_string_pretty(&doc).unwrap();
    let (head, tail) = envelope
        .split_once("\"decisions\": []")
        .expect("the envelope lists decisions");
    let write = |name: &str, changed: bool| {
        let path = dir.join(name);
        let mut out = BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(out, "{head}\"decisions\": [").unwrap();
        for i in 0..n {
            let subject = format!("squad-{i:07}");
            let text = if changed && i % 10 == 0 {
                moved.replace(&MOVED.to_string(), &i.to_string())
            } else {
                same.clone()
            };
            let sep = if i + 1 < n { ",\n" } else { "\n" };
            write!(out, "{}{sep}", text.replace(SUBJECT, &subject)).unwrap();
        }
        write!(out, "  ]{tail}").unwrap();
        out.flush().unwrap();
        path
    };
    (write("old.json", false), write("new.json", true))
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    let n: usize = std::env::var("BURSAR_BENCH_DECISIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = documents(dir.path(), n);
    let sizes = [&old, &new].map(|p| std::fs::metadata(p).unwrap().len());
    let size = sizes[0] + sizes[1];
    // Each document read once through the reader `diff` uses (`explain` reads, checks
    // and models a whole document, then shows one decision).
    let reads = [&old, &new].map(|p| {
        measure(
            Command::new(BURSAR)
                .arg("explain")
                .arg(p)
                .arg("squad-0000000")
                .args(["--max-document-mb", "100000"]),
        )
    });
    let (diff_time, diff_peak) = measure(
        Command::new(BURSAR)
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(["--max-document-mb", "100000"]),
    );
    println!("{n} decisions a document, {:.0} MB both", mb(size));
    for ((name, (time, peak)), bytes) in ["old", "new"].iter().zip(reads).zip(sizes) {
        println!(
            "read {name} once (explain): {:>8.2?}  peak {:>7.0} MB  ({:.2}x its size)",
            time,
            mb(peak),
            peak as f64 / bytes as f64
        );
    }
    let once = reads.iter().map(|(_, peak)| peak).max().unwrap();
    println!(
        "diff both:               {:>8.2?}  peak {:>7.0} MB  ({:.2}x their size, {:.2}x \
         reading the larger once)",
        diff_time,
        mb(diff_peak),
        diff_peak as f64 / size as f64,
        diff_peak as f64 / *once as f64
    );
}
