//! `bursar definitions`: the Rhai definition files editors read are the engine's own API,
//! every fact field of the table included, with the return types Rhai's generator loses
//! for functions that can fail put back.

use crate::support::bursar;

fn written() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("defs");
    let run = bursar(&["definitions", "--out", out.to_str().unwrap()]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (dir, out)
}

#[test]
fn the_api_is_written_with_its_types() {
    let (_dir, out) = written();
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let api = read("__static__.d.rhai");
    for line in [
        "fn decision(_: string) -> Decision;",
        "fn decisions(_: string) -> array;",
        "fn check(_: Decision, _: string, _: ?, _: string, _: ?) -> bool;",
        "fn get squads(_: Facts) -> array;",
    ] {
        assert!(
            api.lines().any(|l| l == line),
            "`{line}` missing from __static__.d.rhai"
        );
    }
    for file in std::fs::read_dir(&out).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        assert!(
            !text.contains("EvalAltResult"),
            "a broken return type:\n{text}"
        );
        assert!(
            !text.contains("bursar::"),
            "a Rust path reached an editor:\n{text}"
        );
    }
    assert!(read("__scope__.d.rhai").contains("const facts: Facts;"));
    // Every field of the table policies read can be completed: a unit test beside the
    // host (`src/host/tests.rs`), which reads the table.
}

#[test]
fn a_file_in_the_way_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("defs");
    std::fs::write(&file, "mine").unwrap();
    let run = bursar(&["definitions", "--out", file.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("is not a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}
