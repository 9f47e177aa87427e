//! The authoring guide (`policies/README.md`) is the engine's own account of itself: it
//! must equal what `bursar guide` writes now, and its worked example must pass its cases.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use bursar::Limits;
use bursar::{Case, TestRunner as Runner};

use crate::support::{bursar, root};

const EXAMPLE: &str = "examples/new-rule";

/// The engine's half (the guide equals the committed file) is a unit test in
/// src/guide.rs; this is the command's half.
#[test]
fn the_committed_guide_is_what_the_engine_writes() {
    let committed = std::fs::read_to_string(root().join("policies/README.md"))
        .expect("policies/README.md is committed");
    // `bursar guide` writes exactly that.
    let out = bursar(&["guide"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);
}

#[test]
fn the_worked_example_passes_its_cases_and_check() {
    let out = bursar(&["test", "--policies", EXAMPLE]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("2 cases: 2 passed, 0 failed"), "{stdout}");
    let out = bursar(&["check", "--policies", EXAMPLE]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What coverage counts, all reached by the example's cases: every declared outcome, and
/// the check both passing and failing.
#[test]
fn the_worked_example_cases_reach_every_outcome_and_both_sides_of_the_check() {
    let runner = Runner::open(Path::new(EXAMPLE), Limits::default()).unwrap();
    let files = crate::support::files(&PathBuf::from(EXAMPLE).join("tests"), "case");
    let (mut outcomes, mut sides) = (BTreeSet::new(), BTreeSet::new());
    for file in files {
        let case = Case::read(&file).unwrap();
        let (report, document) = runner.run(&case).unwrap();
        assert!(report.passed(), "{}", file.display());
        for d in document.decisions {
            outcomes.insert(d.outcome);
            sides.extend(d.explanation.checks.iter().map(|c| c.pass));
        }
    }
    assert_eq!(
        outcomes,
        BTreeSet::from(["over".to_owned(), "within".to_owned()])
    );
    assert_eq!(sides, BTreeSet::from([false, true]));
}

/// The guide's step 6 done literally: `overspend.rhai` beside the shipped policies and
/// the example's cases into the pack's `tests/`. Every case, the shipped ones and the new
/// ones, passes: a case judges the policies it names, and the shipped cases do not name
/// `overspend`.
#[test]
fn adding_the_worked_example_to_the_shipped_pack_leaves_every_case_passing() {
    let out = bursar(&["guide"]);
    assert_eq!(out.status.code(), Some(0));
    let guide = String::from_utf8(out.stdout).unwrap();
    assert!(
        guide.contains("6. Copy the policy and its cases into the pack"),
        "the step this test follows is no longer in the guide"
    );
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("policies");
    std::fs::create_dir_all(pack.join("tests")).unwrap();
    let copy_files = |from: &Path, to: &Path, ext: &str| {
        for file in crate::support::files(from, ext) {
            std::fs::copy(&file, to.join(file.file_name().unwrap())).unwrap();
        }
    };
    copy_files(&root().join("policies"), &pack, "rhai");
    copy_files(&root().join("policies/tests"), &pack.join("tests"), "case");
    let shipped = crate::support::case_files().len();
    // The step itself.
    std::fs::copy(
        root().join(EXAMPLE).join("overspend.rhai"),
        pack.join("overspend.rhai"),
    )
    .unwrap();
    let example_tests = root().join(EXAMPLE).join("tests");
    copy_files(&example_tests, &pack.join("tests"), "case");
    let added = crate::support::files(&example_tests, "case").len();
    assert!(added > 0);

    let out = bursar(&["test", "--policies", pack.to_str().unwrap(), "-q"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let n = shipped + added;
    assert!(
        stdout.contains(&format!("{n} cases: {n} passed, 0 failed")),
        "{stdout}"
    );
    let out = bursar(&["check", "--policies", pack.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
