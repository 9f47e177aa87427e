//! The snapshot loaders against each other, the tree loader the oracle: the streaming
//! loader's verdicts (`loader`, `groups`), the problems it locates itself (`located`),
//! and under a memory budget (`error_path`). Helpers shared by them below.

use std::path::{Path, PathBuf};

use crate::Document;

mod error_path;
mod groups;
mod loader;
mod located;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn example() -> PathBuf {
    PathBuf::from("examples/sprint-2026-S24.json")
}

pub fn to_json(doc: &Document) -> String {
    crate::render::to_string(&crate::render::json::Json, doc)
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

/// The names of the shipped cases (`topups-reasons` for `policies/tests/topups-reasons.case`).
pub fn case_names() -> Vec<String> {
    files(Path::new("policies/tests"), "case")
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The snapshot of the shipped case `name` (`policies/tests/<name>.case`) as a file of
/// its own: its bytes exactly as the case holds them, under the system's temporary folder.
pub fn case_snapshot(name: &str) -> PathBuf {
    let case_file = root().join(format!("policies/tests/{name}.case"));
    let case = crate::testing::Case::read(&case_file)
        .unwrap_or_else(|e| panic!("{}: {e}", case_file.display()));
    let dir = std::env::temp_dir().join("bursar-unit-cases");
    std::fs::create_dir_all(&dir).expect("the temporary folder is writable");
    let path = dir.join(format!("{name}.json"));
    // Tests run on many threads: each writes its own file and renames it into place, so
    // a reader never sees half a snapshot.
    let mut file = tempfile::NamedTempFile::new_in(&dir).expect("a temporary file");
    std::io::Write::write_all(&mut file, case.snapshot.as_bytes()).expect("written");
    file.persist(&path).expect("renamed into place");
    path
}
