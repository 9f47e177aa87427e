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
/// decision in ten has another value on the new side.
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
    let template = doc["decisions"][0].clone();
    let mut write = |name: &str, moved: bool| {
        let decisions: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                let mut d = template.clone();
                d["subject"] = format!("squad-{i:07}").into();
                if moved && i % 10 == 0 {
                    d["values"]["headcount"] = (i as u64).into();
                }
                d
            })
            .collect();
        doc["decisions"] = decisions.into();
        doc["totals"]["decisions"] = n.into();
        let path = dir.join(name);
        let mut out = BufWriter::new(std::fs::File::create(&path).unwrap());
        serde_json::to_writer_pretty(&mut out, &doc).unwrap();
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
    let size = std::fs::metadata(&old).unwrap().len() + std::fs::metadata(&new).unwrap().len();
    let (read_time, read_peak) = measure(
        Command::new(BURSAR)
            .arg("explain")
            .arg(&old)
            .arg("squad-0000000"),
    );
    let (diff_time, diff_peak) = measure(Command::new(BURSAR).arg("diff").arg(&old).arg(&new));
    println!("{n} decisions a document, {:.0} MB both", mb(size));
    println!(
        "read one once (explain): {:>8.2?}  peak {:>7.0} MB  ({:.1}x its size)",
        read_time,
        mb(read_peak),
        read_peak as f64 / (size as f64 / 2.0)
    );
    println!(
        "diff both:               {:>8.2?}  peak {:>7.0} MB  ({:.1}x their size)",
        diff_time,
        mb(diff_peak),
        diff_peak as f64 / size as f64
    );
}
