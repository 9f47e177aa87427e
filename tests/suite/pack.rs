//! What the decisions document records of a policy pack: every policy and every module it
//! may import, each with its digest, one digest over the whole pack, and the Rhai version,
//! so an auditor can tell exactly which code decided.

use std::path::Path;

use serde_json::Value;

use crate::support;

/// A one-policy pack whose policy takes its threshold from `lib/limits.rhai`.
fn pack_with_module(dir: &Path, cap: u32) {
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(
        dir.join("health.rhai"),
        "const POLICY = \"health\";\n\
         const DECIDES = \"org\";\n\
         import \"lib/limits\" as limits;\n\
         let d = decision(\"org\");\n\
         d.check(\"squads\", facts.squads.len(), \"<=\", limits::cap());\n\
         d.record(\"ok\", \"info\");\n",
    )
    .unwrap();
    write_module(dir, cap);
}

fn write_module(dir: &Path, cap: u32) {
    std::fs::write(
        dir.join("lib/limits.rhai"),
        format!("fn cap() {{ {cap} }}\n"),
    )
    .unwrap();
}

/// `bursar eval` on the example with the pack in `dir`: the document, parsed.
fn eval(dir: &Path) -> Value {
    let out = support::bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--policies",
        dir.to_str().unwrap(),
        "--fail-on",
        "never",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("a JSON document")
}

#[test]
fn editing_an_imported_module_changes_the_recorded_inputs() {
    let dir = tempfile::tempdir().unwrap();
    pack_with_module(dir.path(), 100);
    let before = eval(dir.path());
    write_module(dir.path(), 5);
    let after = eval(dir.path());
    // The module decides: the check's threshold moved with it.
    assert_ne!(before["decisions"], after["decisions"]);
    assert_ne!(
        before["inputs"], after["inputs"],
        "the module edit is not recorded"
    );
    assert_ne!(
        before["inputs"]["pack_sha256"],
        after["inputs"]["pack_sha256"]
    );
    let module = |doc: &Value| doc["inputs"]["modules"][0].clone();
    assert_eq!(module(&before)["file"], "lib/limits.rhai");
    assert_ne!(module(&before)["sha256"], module(&after)["sha256"]);
    // The policy itself did not change.
    assert_eq!(before["inputs"]["policies"], after["inputs"]["policies"]);
}

/// The lines `sha256sum` prints for these files, sorted by path bytes, hashed: computed
/// here by hand, not by the code under test.
fn sha256sum_of_sha256sum(dir: &Path, files: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let hex = |bytes: &[u8]| -> String { bytes.iter().map(|b| format!("{b:02x}")).collect() };
    let mut files = files.to_vec();
    files.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    let mut lines = String::new();
    for file in files {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        lines.push_str(&format!("{}  {file}\n", hex(&Sha256::digest(&bytes))));
    }
    hex(&Sha256::digest(lines.as_bytes()))
}

#[test]
#[cfg_attr(
    not(have_sha256sum),
    ignore = "needs sh, find, sort, xargs and sha256sum on PATH (coreutils, findutils)"
)]
fn the_pack_digest_is_the_sha256sum_of_its_files_sorted_by_path() {
    let dir = tempfile::tempdir().unwrap();
    pack_with_module(dir.path(), 100);
    // Sorting by bytes puts `Z` before `a` and `lib/` after `health.rhai`; a file that is
    // not `*.rhai` is not part of the pack.
    std::fs::create_dir_all(dir.path().join("lib/deeper")).unwrap();
    std::fs::write(dir.path().join("lib/deeper/Zed.rhai"), "fn z() { 1 }\n").unwrap();
    std::fs::write(dir.path().join("lib/a.rhai"), "fn a() { 2 }\n").unwrap();
    std::fs::write(dir.path().join("README.md"), "not a policy\n").unwrap();
    let doc = eval(dir.path());
    let files = [
        "health.rhai",
        "lib/limits.rhai",
        "lib/deeper/Zed.rhai",
        "lib/a.rhai",
    ];
    let expected = sha256sum_of_sha256sum(dir.path(), &files);
    assert_eq!(doc["inputs"]["pack_sha256"], expected.as_str());
    let modules: Vec<&str> = doc["inputs"]["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        modules,
        ["lib/a.rhai", "lib/deeper/Zed.rhai", "lib/limits.rhai"]
    );

    // The command the README gives auditors agrees.
    let shell = std::process::Command::new("sh")
        .arg("-c")
        .arg(
            "find -L . -name '*.rhai' -type f -printf '%P\\n' | LC_ALL=C sort \
             | xargs sha256sum | sha256sum",
        )
        .current_dir(dir.path())
        .output();
    match shell {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8(out.stdout).unwrap();
            assert_eq!(text.split_whitespace().next(), Some(expected.as_str()));
        }
        other => panic!(
            "`sh`, `find`, `sort`, `xargs` and `sha256sum` are needed for the shell half: {other:?}"
        ),
    }
}

#[test]
fn the_recorded_rhai_version_is_the_one_in_cargo_lock() {
    let lock = std::fs::read_to_string(support::root().join("Cargo.lock")).unwrap();
    let version = lock
        .split("[[package]]")
        .find(|entry| entry.contains("\nname = \"rhai\"\n"))
        .and_then(|entry| entry.lines().find_map(|l| l.strip_prefix("version = ")))
        .expect("rhai is in Cargo.lock")
        .trim_matches('"');
    assert_eq!(bursar::RHAI_VERSION, version);
    let doc = eval(&support::root().join("policies"));
    assert_eq!(doc["rhai"], version);
}

#[test]
fn a_check_made_in_a_module_names_the_module_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("lib")).unwrap();
    std::fs::write(
        dir.path().join("health.rhai"),
        "const POLICY = \"health\";\n\
         import \"lib/checks\" as checks;\n\
         let d = decision(\"org\");\n\
         checks::small(d, facts.squads.len());\n\
         d.record(\"ok\", \"info\");\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("lib/checks.rhai"),
        "// Shared checks.\nfn small(d, n) {\n    d.check(\"squads\", n, \"<=\", 50)\n}\n",
    )
    .unwrap();
    let doc = eval(dir.path());
    let check = &doc["decisions"][0]["explanation"]["checks"][0];
    assert_eq!(check["file"], "lib/checks.rhai");
    assert_eq!(check["line"], 3);
    assert_eq!(check["column"], 7);
    assert_eq!(check["at"], "lib/checks.rhai:3:7");
    let problems = bursar::validate_decisions(&doc);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn a_pack_runs_the_bytes_it_read_whatever_happens_on_disk_after() {
    use bursar::{Host, PackSource};
    let dir = tempfile::tempdir().unwrap();
    pack_with_module(dir.path(), 100);
    let source = PackSource::read(dir.path(), &bursar::Limits::default()).unwrap();
    // Changed, then gone: an engine built afterwards still compiles and serves what was read.
    write_module(dir.path(), 5);
    std::fs::remove_dir_all(dir.path()).unwrap();
    let host = Host::new(&source, bursar::Limits::default());
    let pack = host.load_pack().expect("compiles from memory");
    let loaded = bursar::load_snapshot(&support::example()).unwrap();
    let evaluation = bursar::evaluate_loaded(&host, &pack, loaded).expect("runs");
    let check = &evaluation.document.decisions[0].explanation.checks[0];
    assert_eq!(check.threshold, 100);
    assert_eq!(
        evaluation.document.inputs.modules[0].file,
        "lib/limits.rhai"
    );
}

#[test]
fn check_lists_the_modules_it_compiled() {
    let dir = tempfile::tempdir().unwrap();
    pack_with_module(dir.path(), 100);
    let out = support::bursar(&["check", "--policies", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.ends_with("1 module compiled, for policies to import:\n     lib/limits.rhai\n"),
        "{stdout}"
    );
}

#[test]
fn check_compiles_modules_no_policy_imports_yet() {
    let dir = tempfile::tempdir().unwrap();
    pack_with_module(dir.path(), 100);
    std::fs::write(dir.path().join("lib/unused.rhai"), "fn broken( {\n").unwrap();
    let out = support::bursar(&["check", "--policies", dir.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let at = format!("{}:1:", dir.path().join("lib/unused.rhai").display());
    assert!(stderr.starts_with(&format!("error: {at}")), "{stderr}");
}

#[test]
fn a_pack_read_into_memory_can_be_shared_by_threads() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<bursar::PackSource>();
}

/// `impact` compares whole packs: a change to a module alone is named in the header and
/// in the report's digests, not passed off as "identical policy files".
#[test]
fn impact_names_a_module_that_changed_alone() {
    let (old, new) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // The example has 12 squads: a cap of 100 passes, a cap of 5 fails the check.
    pack_with_module(old.path(), 100);
    pack_with_module(new.path(), 5);
    let impact = |format: &str| {
        support::bursar(&[
            "impact",
            "--policies",
            new.path().to_str().unwrap(),
            "--against",
            old.path().to_str().unwrap(),
            "--format",
            format,
            "-q",
            "examples/sprint-2026-S24.json",
        ])
    };
    let text = impact("text");
    let text = String::from_utf8_lossy(&text.stdout);
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.ends_with(": module lib/limits.rhai changed"),
        "{header}"
    );
    let json: Value = serde_json::from_slice(&impact("json").stdout).unwrap();
    assert_ne!(json["new"]["pack_sha256"], json["old"]["pack_sha256"]);
    assert_eq!(json["new"]["policies"], json["old"]["policies"]);
    assert_eq!(json["new"]["modules"][0]["file"], "lib/limits.rhai");
    assert_ne!(
        json["new"]["modules"][0]["sha256"],
        json["old"]["modules"][0]["sha256"]
    );
}

/// A policy that is a named pipe is refused by name, by `eval` and `check` alike: reading
/// it would block, and skipping it would lose a policy while the run exits 0.
#[cfg(unix)]
#[test]
fn a_policy_that_is_a_named_pipe_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("squads.rhai"),
        "const POLICY = \"squads\";\n",
    )
    .unwrap();
    let pipe = dir.path().join("budget.rhai");
    crate::output::mkfifo(&pipe);
    let pack = dir.path().to_str().unwrap();
    let expected = format!(
        "error: {}: the policy is not a regular file (a named pipe, a device or a socket cannot be read as one)\n",
        pipe.display()
    );
    let eval = support::bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--policies",
        pack,
    ]);
    let check = support::bursar(&["check", "--policies", pack]);
    for out in [eval, check] {
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&out.stderr), expected);
        assert!(out.stdout.is_empty());
    }
}

/// A policy whose file name is not UTF-8 is refused, not left out of the pack: skipping
/// it would lose a policy while the run exits 0.
#[cfg(target_os = "linux")] // macOS refuses such names when the file is created
#[test]
fn a_policy_whose_name_is_not_utf8_is_refused() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("squads.rhai"),
        "const POLICY = \"squads\";\n",
    )
    .unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.rhai");
    std::fs::write(dir.path().join(odd), "const POLICY = \"cafe\";\n").unwrap();
    let pack = dir.path().to_str().unwrap();
    let out = support::bursar(&["check", "--policies", pack]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: {}/caf\u{fffd}.rhai: the file name is not valid UTF-8, so the pack cannot name it (rename it)\n",
            dir.path().display()
        )
    );
}
