//! Case files as an attacker or a careless author leaves them (issue 18): links that lead
//! back up the tree or many times to one folder, FIFOs named `*.case` in a folder and as
//! the target of `--update`, subjects with spaces and quotes through `--update`, a case
//! that names nothing, a misspelled value name, and every message under
//! `--error-format json`.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::output::mkfifo;
use crate::support::policies;

/// `bursar test --policies <pack> ARGS...`, killed (and the test failed) if it hangs.
fn test(pack: &Path, args: &[&str]) -> Output {
    let mut all = vec![
        std::ffi::OsStr::new("test"),
        "--policies".as_ref(),
        pack.as_os_str(),
    ];
    all.extend(args.iter().map(std::ffi::OsStr::new));
    crate::support::bursar_guarded(&all)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The shipped pack and its cases, copied into a fresh folder.
fn pack_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    copy_tree(&policies(), &pack);
    (dir, pack)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The count line of a text report: `41 cases: 41 passed, 0 failed`.
fn totals(out: &Output) -> String {
    let stdout = text(&out.stdout);
    stdout
        .lines()
        .last()
        .unwrap_or_else(|| panic!("no output; stderr: {}", text(&out.stderr)))
        .to_owned()
}

fn shipped_case_count() -> usize {
    crate::support::case_files().len()
}

#[test]
fn links_back_up_the_tree_end_and_no_case_runs_twice() {
    let (_dir, pack) = pack_copy();
    let tests = pack.join("tests");
    // Two links from `tests/` back to itself, one to the pack above it.
    symlink(&tests, tests.join("again")).unwrap();
    symlink(".", tests.join("here")).unwrap();
    symlink("..", tests.join("up")).unwrap();
    let out = test(&pack, &["-q"]);
    let n = shipped_case_count();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(totals(&out), format!("{n} cases: {n} passed, 0 failed"));
}

#[test]
fn a_ladder_of_links_visits_each_folder_once() {
    // Each rung links twice to the next: 2^24 paths to the bottom, one real folder each.
    // (Outside the pack: the pack's own walk for modules is not what this tests.)
    let (dir, pack) = pack_copy();
    let top = dir.path().join("ladder");
    let mut rung = top.clone();
    std::fs::create_dir(&rung).unwrap();
    for i in 0..24 {
        let next = rung.join(format!("r{i}"));
        std::fs::create_dir(&next).unwrap();
        symlink(&next, rung.join("a")).unwrap();
        symlink(&next, rung.join("b")).unwrap();
        rung = next;
    }
    let case = crate::support::case_files().remove(0);
    std::fs::copy(&case, rung.join("deep.case")).unwrap();
    std::fs::copy(&case, top.join("top.case")).unwrap();
    let out = test(&pack, &["-q", top.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(totals(&out), "2 cases: 2 passed, 0 failed");
}

#[test]
fn a_fifo_named_like_a_case_in_a_folder_is_skipped_by_name_and_never_opened() {
    let (_dir, pack) = pack_copy();
    let fifo = pack.join("tests/pipe.case");
    mkfifo(&fifo);
    let out = test(&pack, &["-q"]);
    let n = shipped_case_count();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(totals(&out), format!("{n} cases: {n} passed, 0 failed"));
    assert!(
        stderr.contains("warning: skipped `")
            && stderr.contains("pipe.case`: a FIFO, not a case file"),
        "{stderr}"
    );
    // `--update` over the folder skips it the same way, rewriting nothing.
    let out = test(&pack, &["-q", "--update"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn update_refuses_a_fifo_case_before_opening_any() {
    let (_dir, pack) = pack_copy();
    let fifo = pack.join("tests/pipe.case");
    mkfifo(&fifo);
    let out = test(&pack, &["--update", fifo.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "pipe.case` is a FIFO, not a case file: `--update` rewrites case files in place"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A snapshot with top-ups whose ids need quoting in a case.
fn odd_subjects_case() -> String {
    let shipped = std::fs::read_to_string(policies().join("tests/topups-reasons.case")).unwrap();
    let at = shipped.find("--- snapshot").unwrap();
    let snapshot = shipped[at..]
        .replace("\"tu-2\"", "\"tu 2\"")
        .replace("\"tu-3\"", "\"tu\\\"3 =#x\"");
    format!("# ids with a space, a quote, `=` and `#`\nscope topups\n{snapshot}")
}

#[test]
fn subjects_with_spaces_and_quotes_survive_update_and_read_back() {
    let (dir, pack) = pack_copy();
    let case = dir.path().join("odd.case");
    std::fs::write(&case, odd_subjects_case()).unwrap();
    let case_arg = case.to_str().unwrap();
    let out = test(&pack, &["--update", case_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let updated = std::fs::read_to_string(&case).unwrap();
    assert!(updated.contains("topups \"tu 2\" approve\n"), "{updated}");
    assert!(
        updated.contains("topups \"tu\\\"3 =#x\" approve\n"),
        "{updated}"
    );
    // Read back as written, and held against the pack: it passes as it is.
    let out = test(&pack, &[case_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // A wrong expectation about the quoted subject fails, naming it.
    std::fs::write(
        &case,
        updated.replace("topups \"tu 2\" approve", "topups \"tu 2\" reject"),
    )
    .unwrap();
    let out = test(&pack, &[case_arg]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("topups tu 2"), "{stdout}");
}

#[test]
fn a_case_that_names_nothing_fails_and_update_fills_it_with_every_decision() {
    let (dir, pack) = pack_copy();
    let shipped = std::fs::read_to_string(policies().join("tests/topups-reasons.case")).unwrap();
    let snapshot = &shipped[shipped.find("--- snapshot").unwrap()..];
    let case = dir.path().join("new.case");
    std::fs::write(&case, format!("# not written yet\n{snapshot}")).unwrap();
    let case_arg = case.to_str().unwrap();
    let out = test(&pack, &[case_arg]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("the case names no policy, so it asserts nothing"),
        "{stdout}"
    );

    let out = test(&pack, &["--update", case_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let filled = std::fs::read_to_string(&case).unwrap();
    for line in [
        "allocation payments allocate\n",
        "health org healthy\n",
        "topups tu-5 reject\n",
    ] {
        assert!(filled.contains(line), "no `{line}` in\n{filled}");
    }
    let out = test(&pack, &[case_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn a_misspelled_value_name_is_answered_with_the_nearest_one() {
    let (dir, pack) = pack_copy();
    let shipped =
        std::fs::read_to_string(policies().join("tests/health-untagged-exact-020.case")).unwrap();
    let case = dir.path().join("typo.case");
    std::fs::write(
        &case,
        shipped.replacen("untagged_share=", "untagged_shar=", 1),
    )
    .unwrap();
    assert_ne!(std::fs::read_to_string(&case).unwrap(), shipped);
    let out = test(&pack, &[case.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout
            .contains("untagged_shar: expected 0.2, got no value; did you mean `untagged_share`?"),
        "{stdout}"
    );
}

#[test]
fn under_error_format_json_every_stderr_line_of_test_is_a_json_object() {
    let (dir, pack) = pack_copy();
    mkfifo(&pack.join("tests/pipe.case"));
    let broken = dir.path().join("broken.case");
    std::fs::write(&broken, "topups \"tu-1 ok\n--- snapshot\n{}\n").unwrap();
    let runs: [Vec<&str>; 4] = [
        vec!["-q"],
        vec!["--update"],
        vec![broken.to_str().unwrap()],
        vec!["--coverage", "--policy", "topup"],
    ];
    for args in runs {
        let mut all = vec!["--error-format", "json"];
        all.extend(&args);
        let out = test(&pack, &all);
        let stderr = text(&out.stderr);
        assert!(!stderr.is_empty(), "{args:?}: nothing on stderr");
        for line in stderr.lines() {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{args:?}: {e}: `{line}`"));
            assert!(value["message"].is_string(), "{args:?}: {line}");
        }
    }
}
