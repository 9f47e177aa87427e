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
