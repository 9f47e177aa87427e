//! `bursar impact --against git:REV[:PATH]`: the old pack read at a revision of a git
//! repository made here, with git itself: no checkout (the working tree and index are
//! left as they were), the module changed since the revision named, the JSON report valid
//! against the diff schema it shares with `diff`. Needs `git`, which CI has: without it
//! these tests fail rather than skip.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::diff::{stderr, stdout, valid};
use crate::support::{self, bursar};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=bursar",
            "-c",
            "user.email=bursar@example.com",
        ])
        .args(args)
        .output()
        .expect("git runs (it is needed for these tests)");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A repository with the fixture pack under `governance/pack` committed, then its module
/// edited in the working tree (two people are enough now).
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pack = crate::diff::edited(dir.path(), "pack", "pack", &[]);
    std::fs::create_dir(dir.path().join("governance")).unwrap();
    std::fs::rename(&pack, dir.path().join("governance/pack")).unwrap();
    std::fs::copy(
        support::root().join(crate::diff::SPRINT),
        dir.path().join("sprint.json"),
    )
    .unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "governance"]);
    git(dir.path(), &["commit", "-q", "-m", "the pack in force"]);
    let module = dir.path().join("governance/pack/lib/staffing.rhai");
    let text = std::fs::read_to_string(&module).unwrap();
    std::fs::write(
        &module,
        text.replace("MIN_HEADCOUNT = 3", "MIN_HEADCOUNT = 2"),
    )
    .unwrap();
    dir
}

fn impact(repo: &Path, pack: &str, against: &str, format: &str) -> std::process::Output {
    let sprint = repo.join("sprint.json");
    bursar(&[
        "impact",
        "--policies",
        repo.join(pack).to_str().unwrap(),
        "--against",
        against,
        sprint.to_str().unwrap(),
        "--format",
        format,
        "-q",
    ])
}

#[test]
fn the_old_pack_is_read_at_the_revision_without_a_checkout() {
    let repo = repository();
    let status = git(repo.path(), &["status", "--porcelain"]);
    for against in [
        "git:HEAD",
        "git:HEAD:governance/pack",
        "git:HEAD:/governance/pack/",
    ] {
        let out = impact(repo.path(), "governance/pack", against, "json");
        assert_eq!(out.status.code(), Some(1), "{against}: {}", stderr(&out));
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        valid(&json);
        assert_eq!(json["old"]["dir"], "git:HEAD:governance/pack");
        assert_eq!(json["old"]["modules"][0]["file"], "lib/staffing.rhai");
        assert_ne!(
            json["old"]["modules"][0]["sha256"],
            json["new"]["modules"][0]["sha256"]
        );
        assert_eq!(json["old"]["policies"], json["new"]["policies"]);
        let changed = &json["snapshots"][0]["changed"];
        assert_eq!(changed.as_array().unwrap().len(), 1, "{changed}");
        assert_eq!(changed[0]["subject"], "search");
        assert_eq!(changed[0]["checks"][0]["old"]["threshold"], 3);
        assert_eq!(changed[0]["checks"][0]["new"]["threshold"], 2);
    }
    // Nothing was checked out: the edit is still there, and nothing else changed.
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), status);
    assert!(
        std::fs::read_to_string(repo.path().join("governance/pack/lib/staffing.rhai"))
            .unwrap()
            .contains("MIN_HEADCOUNT = 2")
    );

    let text = impact(repo.path(), "governance/pack", "git:HEAD", "text");
    let text = stdout(&text).replace(&repo.path().display().to_string(), "[REPO]");
    insta::assert_snapshot!("impact_git_text", text);
}

#[test]
fn a_revision_or_path_git_does_not_know_exits_2() {
    let repo = repository();
    for (against, words) in [
        (
            "git:no-such-branch",
            "`git ls-tree -r -z no-such-branch:governance/pack` failed: not a valid object name",
        ),
        (
            "git:HEAD:elsewhere",
            "`git ls-tree -r -z HEAD:elsewhere` failed: not a valid object name",
        ),
        ("git:", "names no revision"),
    ] {
        let out = impact(repo.path(), "governance/pack", against, "text");
        assert_eq!(out.status.code(), Some(2), "{against}");
        assert!(stderr(&out).contains(words), "{against}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn the_impact_json_report_is_valid_against_the_diff_schema() {
    let pack = crate::impact::edited_pack(
        "promotion.rhai",
        "const MIN_USES = 10;",
        "const MIN_USES = 8;",
    );
    let out = bursar(&[
        "impact",
        "--policies",
        pack.path().to_str().unwrap(),
        "--against",
        "policies",
        "examples/sprint-2026-S24.json",
        "--format",
        "json",
        "--details",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    valid(&serde_json::from_slice(&out.stdout).unwrap());
}
