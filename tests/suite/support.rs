//! Shared helpers: paths, evaluating with the shipped pack, running the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bursar::Document;
use bursar::Limits;

/// The crate root; `cargo test` runs integration tests from it, so relative paths work.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped policy pack: the tests exercise exactly what users get.
pub fn policies() -> PathBuf {
    PathBuf::from("policies")
}

pub fn example() -> PathBuf {
    PathBuf::from("examples/sprint-2026-S24.json")
}

/// Evaluates a snapshot with the shipped pack and default limits.
pub fn evaluate(snapshot: &Path) -> Document {
    match bursar::evaluate(snapshot, &policies(), Limits::default()) {
        Ok(e) => e.document,
        Err(err) => panic!(
            "evaluating {} failed:\n{}",
            snapshot.display(),
            bursar::render_error(&err)
        ),
    }
}

/// The document as `eval` writes it (`--format json`).
pub fn to_json(doc: &Document) -> String {
    bursar::render(
        &*bursar::Format::Json.emitter(&bursar::RenderContext::default()),
        doc,
    )
}

/// Runs the `bursar` binary from the crate root.
pub fn bursar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the bursar binary runs")
}

/// Directories (sorted) directly under `dir`.
pub fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Files (sorted) directly under `dir` with the extension `ext`.
pub fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

/// The shipped pack's case files (`policies/tests/*.case`), sorted.
pub fn case_files() -> Vec<PathBuf> {
    files(&policies().join("tests"), "case")
}

/// The snapshot of the shipped case `name` (`policies/tests/<name>.case`) as a file of
/// its own, for tests that hand a snapshot path to bursar: its bytes exactly as the case
/// holds them, under Cargo's temporary folder for integration tests.
pub fn case_snapshot(name: &str) -> PathBuf {
    let case_file = root().join(policies()).join(format!("tests/{name}.case"));
    let case =
        bursar::Case::read(&case_file).unwrap_or_else(|e| panic!("{}: {e}", case_file.display()));
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cases");
    std::fs::create_dir_all(&dir).expect("the temporary folder is writable");
    let path = dir.join(format!("{name}.json"));
    // Tests run on many threads: each writes its own file and renames it into place, so
    // a reader never sees half a snapshot.
    let mut file = tempfile::NamedTempFile::new_in(&dir).expect("a temporary file");
    std::io::Write::write_all(&mut file, case.snapshot.as_bytes()).expect("written");
    file.persist(&path).expect("renamed into place");
    path
}

/// The names of the shipped cases (`topups-reasons` for `policies/tests/topups-reasons.case`).
pub fn case_names() -> Vec<String> {
    case_files()
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// Longest a command under test may run before it is taken to hang (a FIFO opened, a
/// walk that never ends): generous, since a debug build on a loaded machine is slow.
#[cfg(unix)]
pub const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(120);

/// Runs bursar with `args` from the crate root, stdin closed, killing it (and failing the
/// test) if it runs past `HANG_GUARD`. Its output is read as it comes, so a full pipe
/// cannot stall it into looking hung, while a watchdog thread keeps time.
#[cfg(unix)]
pub fn bursar_guarded<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    use std::process::Stdio;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    let child = Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the bursar binary runs");
    let pid = child.id() as i32;
    let (done, killed) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let watchdog = {
        let (done, killed) = (done.clone(), killed.clone());
        std::thread::spawn(move || {
            let start = Instant::now();
            while !done.load(Ordering::SeqCst) {
                if start.elapsed() > HANG_GUARD {
                    killed.store(true, Ordering::SeqCst);
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let out = child.wait_with_output().expect("output");
    done.store(true, Ordering::SeqCst);
    watchdog.join().unwrap();
    let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
    assert!(
        !killed.load(Ordering::SeqCst),
        "`bursar {}` hung",
        shown.join(" ")
    );
    out
}
