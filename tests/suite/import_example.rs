//! The manual's three commands from telemetry to `eval` (`docs/src/data/import.md`, the block after
//! `<!-- import-example -->`), run as written on the committed example.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::root;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The command lines of the README's import example.
fn readme_commands() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(root().join("docs/src/data/import.md")).unwrap();
    let (_, after) = readme
        .split_once("<!-- import-example -->\n```sh\n")
        .expect("the manual has the import example");
    let (block, _) = after.split_once("```").unwrap();
    block
        .lines()
        // A trailing `# exits 1: ...` is for the reader (and book_commands.rs), not an argument.
        .map(|l| l.split(" #").next().unwrap_or(l))
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

#[test]
fn readme_import_example_runs_from_telemetry_to_eval() {
    let commands = readme_commands();
    assert_eq!(commands.len(), 3, "three commands: {commands:?}");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("examples/import"),
        &dir.path().join("examples/import"),
    );
    copy_dir(&root().join("policies"), &dir.path().join("policies"));
    let mut codes = Vec::new();
    for command in &commands {
        assert_eq!(command[0], "bursar");
        let out = Command::new(env!("CARGO_BIN_EXE_bursar"))
            .args(&command[1..])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{command:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        codes.push(out.status.code());
    }
    assert_eq!(
        codes[..2],
        [Some(0), Some(0)],
        "import and validate succeed"
    );
    let snapshot: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("sprint.json")).unwrap()).unwrap();
    let ids: Vec<&str> = snapshot["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "claude-code:4f1c2a9e",
            "litellm:trace:wf-7f3a",
            "litellm:trace:wf-9c01",
            "otlp:0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331",
            "otlp:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174",
        ]
    );
    let decisions: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("decisions.json")).unwrap()).unwrap();
    assert_eq!(decisions["sprint"], "2026-S24");
    assert!(bursar::validate_decisions(&decisions).is_empty());
}

#[test]
fn the_example_base_and_output_follow_the_snapshot_schema() {
    // The provenance object is part of the schema: an imported snapshot validates.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.json");
    let run = crate::support::bursar(&[
        "import",
        "--base",
        "examples/import/base.json",
        "--otlp",
        "examples/import/otlp.jsonl",
        "--mapping",
        "examples/import/mapping.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["provenance"]["tool"], "bursar import");
    let mut broken = doc.clone();
    broken["provenance"]["sources"][0]["sha256"] = Value::from("not a digest");
    std::fs::write(&out, broken.to_string()).unwrap();
    let check = crate::support::bursar(&["validate", out.to_str().unwrap()]);
    assert_eq!(
        check.status.code(),
        Some(2),
        "a provenance off the schema is refused"
    );
    assert!(String::from_utf8_lossy(&check.stderr).contains("/provenance/sources/0/sha256"));
}

/// The committed example carries nothing of the machine that wrote it (LiteLLM's
/// failure payloads hold a traceback naming its installed files).
#[test]
fn example_carries_no_machine_paths() {
    let dir = root().join("examples/import");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for machine in [
            "site-packages",
            "/root/",
            "/home/",
            "/tmp/",
            "/Users/",
            "/work/",
        ] {
            assert!(
                !text.contains(machine),
                "{} names `{machine}`",
                path.display()
            );
        }
    }
}
