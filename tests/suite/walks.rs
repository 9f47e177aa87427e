//! Walks of a policy pack (issue 18): each real folder and file visited once however many
//! links lead to it, link loops ended, named pipes among modules never opened, and an
//! import through a link still served.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Output;

use crate::support;

fn run_guarded(args: &[&str]) -> Output {
    support::bursar_guarded(args)
}

/// A pack of the shipped policies in `dir`, with `topups.rhai` importing `import`.
fn pack(dir: &Path, import: &str) {
    for entry in std::fs::read_dir(support::root().join("policies")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "rhai") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    let topups = dir.join("topups.rhai");
    let text = std::fs::read_to_string(&topups).unwrap();
    std::fs::write(&topups, format!("import \"{import}\" as m;\n{text}")).unwrap();
}

/// `lib/d0` .. `lib/d48`, each folder holding two links to the next, and the last a
/// module: 2^48 paths lead to it, one real file.
fn ladder(dir: &Path, rungs: usize) {
    for i in 0..=rungs {
        std::fs::create_dir_all(dir.join(format!("lib/d{i}"))).unwrap();
    }
    for i in 0..rungs {
        for name in ["a", "b"] {
            symlink(
                format!("../d{}", i + 1),
                dir.join(format!("lib/d{i}/{name}")),
            )
            .unwrap();
        }
    }
    std::fs::write(
        dir.join(format!("lib/d{rungs}/cap.rhai")),
        "fn cap() { 7 }\n",
    )
    .unwrap();
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The ladder: `check` lists the one module once, and an import through 48 links is
/// served (by `eval`), the walk costing what the folders hold, not one walk per path.
#[test]
fn links_that_fan_out_are_walked_once_per_real_folder() {
    let dir = tempfile::tempdir().unwrap();
    ladder(dir.path(), 48);
    let through: String = (0..48)
        .map(|i| if i % 2 == 0 { "a/" } else { "b/" })
        .collect();
    pack(dir.path(), &format!("lib/d0/{through}cap"));
    let p = dir.path().to_str().unwrap();
    let check = run_guarded(&["check", "--policies", p]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let listed = stdout(&check);
    assert_eq!(listed.matches("cap.rhai").count(), 1, "{listed}");
    assert!(listed.contains("lib/d48/cap.rhai"), "{listed}");
    let eval = run_guarded(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--policies",
        p,
    ]);
    assert!(
        matches!(eval.status.code(), Some(0 | 1)),
        "{}",
        stderr(&eval)
    );
    let doc: serde_json::Value = serde_json::from_slice(&eval.stdout).unwrap();
    let modules = doc["inputs"]["modules"].as_array().unwrap();
    assert_eq!(modules.len(), 1, "{modules:?}");
}

/// Links back up the tree (to the pack folder, to a parent, to itself) end the walk; an
/// import through them is served as the real path's module would be.
#[test]
fn link_loops_end() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("lib/inner")).unwrap();
    std::fs::write(dir.path().join("lib/inner/cap.rhai"), "fn cap() { 7 }\n").unwrap();
    symlink("..", dir.path().join("lib/inner/up")).unwrap();
    symlink("../..", dir.path().join("lib/inner/top")).unwrap();
    symlink(".", dir.path().join("lib/inner/here")).unwrap();
    symlink("loop", dir.path().join("lib/loop")).unwrap();
    pack(dir.path(), "lib/inner/up/inner/here/top/lib/inner/cap");
    let p = dir.path().to_str().unwrap();
    let check = run_guarded(&["check", "--policies", p]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert_eq!(
        stdout(&check).matches("cap.rhai").count(),
        1,
        "{}",
        stdout(&check)
    );
    let eval = run_guarded(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--policies",
        p,
    ]);
    assert!(
        matches!(eval.status.code(), Some(0 | 1)),
        "{}",
        stderr(&eval)
    );
    // Through the link to the pack folder, a policy is still a policy.
    pack(dir.path(), "lib/inner/top/health");
    let refused = run_guarded(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--policies",
        p,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("`health.rhai` is a policy"),
        "{}",
        stderr(&refused)
    );
}

/// A named pipe among the modules is never opened (opening it would block until someone
/// writes): `check` ends, and an import of it is refused naming it.
#[test]
fn a_named_pipe_among_modules_is_refused_by_name_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("lib")).unwrap();
    crate::output::mkfifo(&dir.path().join("lib/pipe.rhai"));
    pack(dir.path(), "lib/pipe");
    let p = dir.path().to_str().unwrap();
    let eval = run_guarded(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--policies",
        p,
    ]);
    assert_eq!(eval.status.code(), Some(2), "{}", stderr(&eval));
    let err = stderr(&eval);
    assert!(err.contains("lib/pipe"), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
}

/// Two names for one real module (a file link) are one module to an import, and the
/// file is read once: both names carry the same text and digest.
#[test]
fn a_file_reached_by_two_names_is_one_module() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("lib")).unwrap();
    std::fs::write(dir.path().join("lib/cap.rhai"), "fn cap() { 7 }\n").unwrap();
    symlink("cap.rhai", dir.path().join("lib/alias.rhai")).unwrap();
    pack(dir.path(), "lib/alias");
    let source =
        bursar::PackSource::read(dir.path(), &bursar::Limits::default()).expect("the pack reads");
    let modules: Vec<_> = source.modules().collect();
    assert_eq!(modules.len(), 2);
    assert_eq!(modules[0].sha256, modules[1].sha256);
    assert!(std::sync::Arc::ptr_eq(&modules[0].text, &modules[1].text));
}
