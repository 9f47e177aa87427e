//! Scale benchmark: bursar eval against a plain streaming parse of the same file, side by
//! side in the same run, at 10k / 100k / 1M runs, with peak memory; the same sizes written
//! as `run_groups` (a warehouse export), per byte beside runs; the end-to-end time of a
//! CI-sized (5,000-run) snapshot; and `check` of the default pack, start to exit. Run with
//! `cargo bench --bench scale`; `BURSAR_BENCH_SIZES=10000,100000` picks other sizes,
//! `BURSAR_BENCH_REPEAT` the runs per measurement (median reported).
//!
//! Then `bursar trends` over a generated series (`gen --sprints`) of
//! `BURSAR_BENCH_TRENDS_SPRINTS` (26) sprints of `BURSAR_BENCH_TRENDS_RUNS` (100,000) runs
//! each, against reading every file once with the streaming parse on as many processes
//! as trends has workers (both cores), with peak memory. `BURSAR_BENCH_TRENDS_RUNS=1000000`
//! is the memory check: trends keeps a small sample per sprint, so its peak memory is
//! that of the snapshots in flight (one per worker), whatever the number of sprints; the
//! series takes about 6.2 GB of disk in the temporary folder. `BURSAR_BENCH_TRENDS_SPRINTS=0`
//! skips it. On the same series in the same run, `bursar eval` of every sprint, as many
//! at a time as trends has workers, against trends: the bar is trends within
//! 1.2x of evaluating the sprints. `BURSAR_BENCH_ONLY=trends` runs only this part.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

const BURSAR: &str = env!("CARGO_BIN_EXE_bursar");

/// One run with the fields an aggregation needs; strings are skipped, not copied.
#[derive(Deserialize)]
#[allow(dead_code)]
struct BaselineRun {
    id: IgnoredAny,
    squad: IgnoredAny,
    workflow: IgnoredAny,
    variant: IgnoredAny,
    pool: IgnoredAny,
    input_tokens: u64,
    output_tokens: u64,
    cost: f64,
    outcome: IgnoredAny,
    started_at: IgnoredAny,
}

#[derive(Default)]
struct Totals {
    runs: u64,
    tokens: u64,
    cost: f64,
}

struct Top<'a>(&'a mut Totals);
struct RunsSeq<'a>(&'a mut Totals);

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a snapshot")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "runs" {
                map.next_value_seed(RunsSeq(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for RunsSeq<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RunsSeq<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("runs")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(run) = seq.next_element::<BaselineRun>()? {
            self.0.runs += 1;
            self.0.tokens += run.input_tokens + run.output_tokens;
            self.0.cost += run.cost;
        }
        Ok(())
    }
}

/// The baseline: serde_json streaming over `runs`, aggregating, nothing kept.
fn baseline(path: &Path) {
    let reader = BufReader::with_capacity(1 << 16, File::open(path).expect("snapshot exists"));
    let mut totals = Totals::default();
    let mut de = serde_json::Deserializer::from_reader(reader);
    de.deserialize_map(Top(&mut totals)).expect("valid JSON");
    println!(
        "{} runs, {} tokens, {:.2} cost",
        totals.runs, totals.tokens, totals.cost
    );
}

/// Runs a command to completion; returns wall time and peak resident memory.
fn measure(cmd: &mut Command) -> (Duration, u64) {
    measure_all(&mut [cmd])
}

/// Runs commands at the same time to completion; returns the wall time until the last
/// ends and the sum of their peak resident memories (an upper bound of what they held
/// together).
// Children are reaped by `wait4` (which also reports peak memory), not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn measure_all(cmds: &mut [&mut Command]) -> (Duration, u64) {
    measure_exiting(cmds, 1)
}

/// As [`measure_all`], for commands expected to exit with at most `max_exit` (2: an input
/// refused, for the error path).
#[allow(clippy::zombie_processes)]
fn measure_exiting(cmds: &mut [&mut Command], max_exit: i32) -> (Duration, u64) {
    let start = Instant::now();
    let pids: Vec<libc::pid_t> = cmds
        .iter_mut()
        .map(|cmd| {
            let child = cmd
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("command starts");
            child.id() as libc::pid_t
        })
        .collect();
    let mut peak = 0;
    for (pid, cmd) in pids.into_iter().zip(cmds.iter()) {
        let mut status = 0;
        // SAFETY: `rusage` is plain old data, and wait4 fills it for our own child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        assert_eq!(rc, pid, "wait4 failed");
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= max_exit,
            "{cmd:?} failed with status {status}"
        );
        // Linux reports ru_maxrss in KiB.
        peak += usage.ru_maxrss as u64 * 1024;
    }
    (start.elapsed(), peak)
}

fn median(cmd: &mut dyn FnMut() -> (Duration, u64), repeat: usize) -> (Duration, u64) {
    let mut samples: Vec<(Duration, u64)> = (0..repeat).map(|_| cmd()).collect();
    samples.sort();
    let peak = samples.iter().map(|s| s.1).max().unwrap_or(0);
    (samples[samples.len() / 2].0, peak)
}

/// `bursar eval` of the whole pack, output discarded: what CI runs.
fn eval_command(policies: &Path, snapshot: &Path) -> Command {
    let mut cmd = Command::new(BURSAR);
    cmd.args([
        "eval",
        "--quiet",
        "--fail-on",
        "never",
        "--out",
        "/dev/null",
        "--policies",
    ])
    .arg(policies)
    .arg("--snapshot")
    .arg(snapshot);
    cmd
}

fn generate(dir: &Path, runs: u64) -> PathBuf {
    run_gen(
        dir,
        &format!("bench-{runs}.json"),
        &["--runs", &runs.to_string()],
    )
}

/// `runs` runs aggregated into `run_groups`, over enough squads and variants that most
/// groups hold a few runs: about 250 bytes a group, as warehouse exports are.
fn generate_groups(dir: &Path, runs: u64, grouped: bool) -> PathBuf {
    let runs = runs.to_string();
    let mut args = vec![
        "--runs",
        &runs,
        "--squads",
        "4000",
        "--families",
        "40",
        "--variants",
        "6",
    ];
    if grouped {
        args.push("--groups");
    }
    let name = if grouped { "groups" } else { "flat" };
    run_gen(dir, &format!("bench-{name}-{runs}.json"), &args)
}

/// Loading a snapshot alone: `bursar validate`.
fn validate_command(file: &Path) -> Command {
    let mut cmd = Command::new(BURSAR);
    cmd.arg("validate").arg(file);
    cmd
}

fn run_gen(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new(BURSAR)
        .arg("gen")
        .args(args)
        .args(["--seed", "7", "--out"])
        .arg(&path)
        .status()
        .expect("bursar gen runs");
    assert!(status.success(), "bursar gen failed");
    path
}

/// Run groups in a generated file (each has one `first_run_id`).
fn count_groups(path: &Path) -> usize {
    let bytes = std::fs::read(path).expect("generated");
    bytes
        .windows(14)
        .filter(|w| w == b"\"first_run_id\"")
        .count()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--baseline") {
        for file in &args[i + 1..] {
            baseline(Path::new(file));
        }
        return;
    }
    let sizes: Vec<u64> = std::env::var("BURSAR_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000,1000000".to_owned())
        .split(',')
        .map(|s| s.trim().parse().expect("sizes are integers"))
        .collect();
    let repeat: usize = std::env::var("BURSAR_BENCH_REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let dir = tempfile::tempdir().expect("a temporary folder");
    // The error path alone, for checking the loader without the rest of the run.
    if std::env::var_os("BURSAR_BENCH_ERROR_PATH_ONLY").is_some() {
        error_path(dir.path(), &sizes, repeat);
        return;
    }
    let me = std::env::current_exe().expect("own path");
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    if std::env::var("BURSAR_BENCH_ONLY").is_ok_and(|v| v == "trends") {
        trends_series(dir.path(), &me, &policies, repeat);
        return;
    }

    println!(
        "{:>9} {:>9} {:>11} {:>9} {:>7} {:>10} {:>11} {:>8}",
        "runs", "file MB", "baseline s", "eval s", "ratio", "eval MB", "mem/file", "ns/run"
    );
    for &runs in &sizes {
        let file = generate(dir.path(), runs);
        let file_bytes = std::fs::metadata(&file).expect("generated").len();
        let (base, _) = median(
            &mut || measure(Command::new(&me).arg("--baseline").arg(&file)),
            repeat,
        );
        let (eval, peak) = median(&mut || measure(&mut eval_command(&policies, &file)), repeat);
        println!(
            "{:>9} {:>9.1} {:>11.3} {:>9.3} {:>6.2}x {:>10.1} {:>10.2}x {:>8.0}",
            runs,
            file_bytes as f64 / 1e6,
            base.as_secs_f64(),
            eval.as_secs_f64(),
            eval.as_secs_f64() / base.as_secs_f64(),
            peak as f64 / 1e6,
            peak as f64 / file_bytes as f64,
            eval.as_nanos() as f64 / runs as f64
        );
        std::fs::remove_file(&file).ok();
    }

    // Run groups load as fast per byte as runs: both are streamed a record at a time.
    // Loading (`validate`) is compared with the same organisation's runs one by one:
    // the policies over its 4,000 squads cost the same either way, so evaluating would
    // compare the organisations, not the loaders.
    println!(
        "{:>9} {:>9} {:>9} {:>9} {:>10} {:>11} {:>13} {:>8}",
        "groups of", "groups", "file MB", "load s", "load MB", "ns/byte", "runs ns/byte", "ratio"
    );
    for &runs in &sizes {
        let file = generate_groups(dir.path(), runs, true);
        let flat = generate_groups(dir.path(), runs, false);
        let file_bytes = std::fs::metadata(&file).expect("generated").len();
        let flat_bytes = std::fs::metadata(&flat).expect("generated").len();
        let groups = count_groups(&file);
        let (load, peak) = median(&mut || measure(&mut validate_command(&file)), repeat);
        let (flat_load, _) = median(&mut || measure(&mut validate_command(&flat)), repeat);
        let ns_per_byte = load.as_nanos() as f64 / file_bytes as f64;
        let flat_ns = flat_load.as_nanos() as f64 / flat_bytes as f64;
        println!(
            "{:>9} {:>9} {:>9.1} {:>9.3} {:>10.1} {:>11.2} {:>13.2} {:>7.2}x",
            runs,
            groups,
            file_bytes as f64 / 1e6,
            load.as_secs_f64(),
            peak as f64 / 1e6,
            ns_per_byte,
            flat_ns,
            ns_per_byte / flat_ns
        );
        std::fs::remove_file(&file).ok();
        std::fs::remove_file(&flat).ok();
    }

    error_path(dir.path(), &sizes, repeat);

    let ci = generate(dir.path(), 5_000);
    let (e2e, peak) = median(
        &mut || measure(&mut eval_command(&policies, &ci)),
        repeat.max(11),
    );
    println!(
        "5000-run snapshot, process start to exit: {:.1} ms (peak {:.1} MB)",
        e2e.as_secs_f64() * 1e3,
        peak as f64 / 1e6
    );

    // `check` runs on every save in an editor: the default pack, start to exit.
    let (check, _) = median(
        &mut || {
            let mut cmd = Command::new(BURSAR);
            cmd.arg("check").arg("--policies").arg(&policies);
            measure(&mut cmd)
        },
        repeat.max(11),
    );
    println!(
        "check of the default pack, process start to exit: {:.1} ms",
        check.as_secs_f64() * 1e3
    );

    trends_series(dir.path(), &me, &policies, repeat);
}

/// The error path against the valid path, in the same run: `validate` of a snapshot, and
/// of the same snapshot with one field of its middle run misspelled (`squad` as
/// `squadd`), which the streaming loader refuses at its pointer by itself, without a tree
/// of the document. `BURSAR_BENCH_ERROR_PATH_ONLY=1` runs this table alone.
fn error_path(dir: &Path, sizes: &[u64], repeat: usize) {
    println!(
        "{:>9} {:>9} {:>10} {:>9} {:>10} {:>10} {:>9}",
        "runs", "valid s", "valid MB", "bad s", "bad MB", "time x", "memory x"
    );
    for &runs in sizes {
        let file = generate(dir, runs);
        let bad = dir.join(format!("bench-bad-{runs}.json"));
        let mut bytes = std::fs::read(&file).expect("generated");
        let runs_at = find(&bytes, b"\"runs\"", 0).expect("a runs array");
        let mut at = runs_at;
        for _ in 0..=runs / 2 {
            at = find(&bytes, b"\"squad\":", at + 1).expect("a run's squad");
        }
        bytes.splice(at..at + 7, b"\"squadd\"".iter().copied());
        std::fs::write(&bad, bytes).expect("written");
        let (valid, valid_peak) = median(&mut || measure(&mut validate_command(&file)), repeat);
        let (error, error_peak) = median(
            &mut || measure_exiting(&mut [&mut validate_command(&bad)], 2),
            repeat,
        );
        println!(
            "{:>9} {:>9.3} {:>10.1} {:>9.3} {:>10.1} {:>9.2}x {:>8.2}x",
            runs,
            valid.as_secs_f64(),
            valid_peak as f64 / 1e6,
            error.as_secs_f64(),
            error_peak as f64 / 1e6,
            error.as_secs_f64() / valid.as_secs_f64(),
            error_peak as f64 / valid_peak as f64
        );
        std::fs::remove_file(&file).ok();
        std::fs::remove_file(&bad).ok();
    }
}

/// Where `needle` next occurs in `hay` at or after `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// A generated series of `sprints` snapshots of `runs` runs each; the snapshots, in the
/// order `gen` wrote them (the manifest `series.json` left out).
fn generate_series(dir: &Path, sprints: usize, runs: u64) -> Vec<PathBuf> {
    let out = dir.join(format!("series-{sprints}x{runs}"));
    let status = Command::new(BURSAR)
        .args([
            "gen",
            "--sprints",
            &sprints.to_string(),
            "--scenario",
            "entrenched",
        ])
        .args(["--runs", &runs.to_string(), "--seed", "7", "--out-dir"])
        .arg(&out)
        .status()
        .expect("bursar gen runs");
    assert!(status.success(), "bursar gen --sprints failed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
        .expect("the series folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json") && !p.ends_with("series.json"))
        .collect();
    files.sort();
    assert_eq!(
        files.len(),
        sprints,
        "one snapshot per sprint in {}",
        out.display()
    );
    files
}

/// `bursar trends` over a series against reading each file once, the files split over
/// as many streaming-parse processes as trends has workers.
fn trends_series(dir: &Path, me: &Path, policies: &Path, repeat: usize) {
    let env = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(default)
    };
    let sprints = env("BURSAR_BENCH_TRENDS_SPRINTS", 26) as usize;
    let runs = env("BURSAR_BENCH_TRENDS_RUNS", 100_000);
    if sprints == 0 {
        return;
    }
    let jobs = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let files = generate_series(dir, sprints, runs);
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(f).expect("generated").len())
        .collect();
    let bytes: u64 = sizes.iter().sum();
    // Memory is bounded by the snapshots in flight: compare it with one file, not the series.
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let (base, base_peak) = median(
        &mut || {
            let mut cmds: Vec<Command> = files
                .chunks(files.len().div_ceil(jobs))
                .map(|chunk| {
                    let mut cmd = Command::new(me);
                    cmd.arg("--baseline").args(chunk);
                    cmd
                })
                .collect();
            let mut refs: Vec<&mut Command> = cmds.iter_mut().collect();
            measure_all(&mut refs)
        },
        repeat,
    );
    let (trends, peak) = median(
        &mut || {
            let mut cmd = Command::new(BURSAR);
            cmd.args([
                "trends",
                "--quiet",
                "--format",
                "json",
                "--out",
                "/dev/null",
            ])
            .args(["--jobs", &jobs.to_string(), "--policies"])
            .arg(policies)
            .args(&files);
            measure(&mut cmd)
        },
        repeat,
    );
    let (eval, _) = median(&mut || eval_each(&files, policies, jobs), repeat);
    println!(
        "\ntrends: {sprints} sprints x {runs} runs ({:.1} MB), {jobs} jobs",
        bytes as f64 / 1e6
    );
    println!(
        "{:>14} {:>10} {:>7} {:>12} {:>11} {:>16}",
        "read once s", "trends s", "ratio", "trends MB", "read MB", "largest file MB"
    );
    println!(
        "{:>14.3} {:>10.3} {:>6.2}x {:>12.1} {:>11.1} {:>16.1}",
        base.as_secs_f64(),
        trends.as_secs_f64(),
        trends.as_secs_f64() / base.as_secs_f64(),
        peak as f64 / 1e6,
        base_peak as f64 / 1e6,
        largest as f64 / 1e6
    );
    println!(
        "{:>14} {:>10} {:>7}  (bar: 1.20x)",
        "eval each s", "trends s", "ratio"
    );
    println!(
        "{:>14.3} {:>10.3} {:>6.2}x",
        eval.as_secs_f64(),
        trends.as_secs_f64(),
        trends.as_secs_f64() / eval.as_secs_f64()
    );
}

/// `bursar eval` of every file, `jobs` processes at a time (each worker takes the next
/// file when its last ends, as trends' workers do); the wall time until the last ends.
fn eval_each(files: &[PathBuf], policies: &Path, jobs: usize) -> (Duration, u64) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let status = eval_command(policies, file)
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .status()
                        .expect("bursar eval runs");
                    assert!(
                        status.code().is_some_and(|c| c <= 1),
                        "eval of {} failed: {status}",
                        file.display()
                    );
                }
            });
        }
    });
    (start.elapsed(), 0)
}
