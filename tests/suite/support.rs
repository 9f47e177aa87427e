//! Shared helpers: paths, evaluating with the shipped pack, running the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bursar::decision::Document;
use bursar::limits::Limits;

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
    match bursar::eval::evaluate(snapshot, &policies(), Limits::default()) {
        Ok(e) => e.document,
        Err(err) => panic!(
            "evaluating {} failed:\n{}",
            snapshot.display(),
            bursar::render::diagnostic::render(&err)
        ),
    }
}

/// The document as `eval` writes it (`--format json`).
pub fn to_json(doc: &Document) -> String {
    bursar::render::to_string(&bursar::render::json::JsonEmitter, doc)
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
    files(&policies().join("tests"), bursar::testing::case::EXTENSION)
}

/// The snapshot of the shipped case `name` (`policies/tests/<name>.case`) as a file of
/// its own, for tests that hand a snapshot path to bursar: its bytes exactly as the case
/// holds them, under Cargo's temporary folder for integration tests.
pub fn case_snapshot(name: &str) -> PathBuf {
    let case_file = root().join(policies()).join(format!("tests/{name}.case"));
    let case = bursar::testing::Case::read(&case_file)
        .unwrap_or_else(|e| panic!("{}: {e}", case_file.display()));
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
