//! An `--out` that is an input is refused before anything runs, and a failing run
//! leaves no temporary file and the previous file as it was.

use std::fs;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

use super::{EXAMPLE, crate_path, names, run_in, stderr};
use crate::support;

/// A copy of the example and of the pack in a temporary folder, to try clobbering.
fn inputs_in(dir: &Path) {
    let snapshot = dir.join("sprint.json");
    fs::copy(crate_path(EXAMPLE), &snapshot).unwrap();
    let pack = dir.join("pack");
    fs::create_dir_all(pack.join("lib")).unwrap();
    for file in support::files(Path::new("policies"), "rhai") {
        fs::copy(&file, pack.join(file.file_name().unwrap())).unwrap();
    }
    // A module file, not imported by any policy: still part of the pack being read.
    fs::write(pack.join("lib/limits.rhai"), "export const MAX = 1;\n").unwrap();
    std::os::unix::fs::symlink("sprint.json", dir.join("link")).unwrap();
    fs::hard_link(&snapshot, dir.join("hard.json")).unwrap();
}

/// Every file under `dir` with its bytes, to show that nothing changed.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            all.extend(contents(&path));
        } else if meta.is_symlink() {
            all.push((
                path.clone(),
                fs::read_link(&path).unwrap().into_os_string().into_vec(),
            ));
        } else {
            all.push((path.clone(), fs::read(&path).unwrap()));
        }
    }
    all.sort();
    all
}

#[test]
fn an_out_that_is_an_input_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    inputs_in(dir.path());
    let before = contents(dir.path());
    let eval = |out: &str| -> Vec<String> {
        [
            "eval",
            "--quiet",
            "--fail-on",
            "never",
            "--snapshot",
            "sprint.json",
        ]
        .iter()
        .chain(&["--policies", "pack", "--out", out])
        .map(|s| s.to_string())
        .collect()
    };
    let impact = |out: &str| -> Vec<String> {
        [
            "impact",
            "--quiet",
            "--policies",
            "pack",
            "--against",
            "./pack",
            "sprint.json",
        ]
        .iter()
        .chain(&["--out", out])
        .map(|s| s.to_string())
        .collect()
    };
    let cases = [
        ("sprint.json", "the snapshot `sprint.json`"),
        ("./sprint.json", "the snapshot `sprint.json`"),
        ("link", "the snapshot `sprint.json`"),
        ("hard.json", "the snapshot `sprint.json`"),
        ("pack/topups.rhai", "`pack/topups.rhai`"),
        ("pack/../pack/lib/limits.rhai", "`pack/lib/limits.rhai`"),
    ];
    for (out, named) in cases {
        for args in [eval(out), impact(out)] {
            let result = run_in(dir.path(), &args, None);
            let err = stderr(&result);
            assert_eq!(result.status.code(), Some(2), "{args:?}: {err}");
            assert!(
                err.contains(&format!("`{out}`")),
                "{args:?} names --out: {err}"
            );
            assert!(err.contains(named), "{args:?} names the input: {err}");
            assert!(result.stdout.is_empty());
            assert!(contents(dir.path()) == before, "{args:?} changed a file");
        }
    }
    // Refused before evaluating: a policy that stops the run with its own message
    // would say so had it run.
    fs::write(
        dir.path().join("pack/zz_tripwire.rhai"),
        "const POLICY = \"tripwire\";\nconst DESCRIPTION = \"x\";\nconst READS = [];\n\
         throw \"the pack was evaluated\";\n",
    )
    .unwrap();
    let tripwire = contents(dir.path());
    let result = run_in(dir.path(), &eval("sprint.json"), None);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(2), "{err}");
    assert!(
        !err.contains("the pack was evaluated"),
        "it ran first: {err}"
    );
    assert!(contents(dir.path()) == tripwire);
}

#[test]
fn a_failing_run_leaves_no_temporary_file_and_the_previous_file_as_it_was() {
    let failing = [
        vec![
            "eval",
            "--snapshot",
            "tests/errors/snapshots/unknown-squad.json",
        ],
        vec![
            "impact",
            "--policies",
            "policies",
            "--against",
            "policies",
            "tests/errors/snapshots/unknown-squad.json",
        ],
        vec!["gen", "--runs", "10", "--sprint", "2026-S99"],
    ];
    for args in failing {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.json");
        fs::write(&out, "previous").unwrap();
        let result = support::bursar(
            &args
                .iter()
                .copied()
                .chain(["--out", out.to_str().unwrap()])
                .collect::<Vec<_>>(),
        );
        assert_eq!(
            result.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&result)
        );
        assert_eq!(names(dir.path()), ["out.json"], "{args:?}");
        assert_eq!(fs::read_to_string(&out).unwrap(), "previous", "{args:?}");
    }
}
