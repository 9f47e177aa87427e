//! Whatever the input, every command that reads one ends in exit 0, 1 or 2, never a
//! panic or an abort, and writes nothing but its output: random bytes and valid-looking
//! inputs (valid snapshots, policies and cases with a few edits) fed to `validate`,
//! `eval`, `impact`, `check` and `test`, each run in an empty folder whose listing is
//! compared afterwards. `PROPTEST_CASES` runs more.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use serde_json::Value;

use crate::support::root;

/// A small valid snapshot with one of everything (the loaders' unit tests start from the
/// same file).
fn base() -> Value {
    serde_json::from_str(include_str!("../fixtures/base-snapshot.json")).unwrap()
}

/// Limits that stop any generated policy quickly in a debug build.
const LIMITS: [&str; 4] = ["--max-operations", "200000", "--timeout-ms", "3000"];

/// One edit to a valid input's bytes.
#[derive(Debug, Clone)]
enum Edit {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (
            any::<usize>(),
            prop::sample::select(
                b"{}[](),;:.\"\\'`#$0123456789-+*/=<>!&|eE ntfu\n\xff\xc3".to_vec()
            )
        )
            .prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<usize>(), 1..40usize).prop_map(|(i, n)| Edit::Delete(i, n)),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let n = bytes.len().max(1);
        match *edit {
            Edit::Truncate(i) => bytes.truncate(i % n),
            Edit::Flip(i, b) => {
                if !bytes.is_empty() {
                    bytes[i % n] = b;
                }
            }
            Edit::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
            Edit::Delete(i, k) => {
                let i = (i % n).min(bytes.len());
                let j = (i + k).min(bytes.len());
                bytes.drain(i..j);
            }
        }
    }
    bytes
}

/// Random bytes, or a valid input with a few edits (most stay valid-looking JSON or Rhai).
fn input(valid: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..300),
        1 => Just(valid.clone()),
        3 => prop::collection::vec(edit(), 1..4).prop_map(move |edits| apply(valid.clone(), &edits)),
    ]
}

fn valid_snapshot() -> Vec<u8> {
    serde_json::to_vec_pretty(&base()).unwrap()
}

fn valid_policy() -> Vec<u8> {
    std::fs::read(root().join("policies/topups.rhai")).unwrap()
}

/// Every file and folder under `dir`, by path within it.
fn listing(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            found.insert(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            }
        }
    }
    found
}

/// Runs one command in the empty folder `cwd`, with `stdin` on standard input; checks
/// the exit, stderr, and that the folder holds at most `out.txt` afterwards (and nothing
/// after a failure: output is written whole or not at all).
fn run(cwd: &Path, args: &[&str], stdin: &[u8]) -> Result<(), TestCaseError> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(args)
        // `validate` runs no policy.
        .args(if args[0] == "validate" {
            &[][..]
        } else {
            &LIMITS[..]
        })
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    // The command may exit before reading it all (exit 2): a broken pipe is its right.
    let _ = pipe.write_all(stdin);
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    prop_assert!(
        matches!(code, Some(0..=2)),
        "`bursar {}` ended with {:?}: {}",
        args.join(" "),
        out.status,
        stderr
    );
    prop_assert!(!stderr.contains("panicked"), "{}", stderr);
    let left = listing(cwd);
    let allowed: BTreeSet<String> = if code == Some(2) {
        BTreeSet::new()
    } else {
        ["out.txt".to_owned()].into()
    };
    prop_assert!(
        left.is_subset(&allowed),
        "`bursar {}` (exit {:?}) left {:?}",
        args.join(" "),
        code,
        left
    );
    for name in left {
        std::fs::remove_file(cwd.join(name)).unwrap();
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_command_ends_in_0_1_or_2_and_writes_only_its_output(
        snapshot in input(valid_snapshot()),
        policy in input(valid_policy()),
    ) {
        let inputs = tempfile::tempdir().unwrap();
        let cwd = tempfile::tempdir().unwrap();
        let snap = inputs.path().join("snapshot.json");
        std::fs::write(&snap, &snapshot).unwrap();
        let pack = inputs.path().join("pack");
        std::fs::create_dir_all(pack.join("tests")).unwrap();
        std::fs::write(pack.join("topups.rhai"), &policy).unwrap();
        let mut case = b"topups tu-1 none\n--- snapshot\n".to_vec();
        case.extend_from_slice(&snapshot);
        std::fs::write(pack.join("tests/one.case"), &case).unwrap();
        let before = listing(inputs.path());

        let shipped = root().join("policies");
        let (snap, pack, shipped) = (snap.to_str().unwrap(), pack.to_str().unwrap(), shipped.to_str().unwrap());
        let out = cwd.path().join("out.txt");
        let out = out.to_str().unwrap();
        let commands: [(&[&str], &[u8]); 7] = [
            (&["validate", snap], b""),
            (&["validate", "-"], &snapshot),
            (&["eval", "--policies", pack, "--snapshot", snap, "--out", out], b""),
            (&["eval", "--policies", shipped, "--snapshot", "-", "--out", out, "--format", "text"], &snapshot),
            (&["impact", "--policies", pack, "--against", shipped, snap, "--out", out], b""),
            (&["check", "--policies", pack, "--out", out], b""),
            (&["test", "--policies", pack, "--out", out], b""),
        ];
        for (args, stdin) in commands {
            run(cwd.path(), args, stdin)?;
        }
        prop_assert_eq!(listing(inputs.path()), before, "an input folder changed");
    }
}
