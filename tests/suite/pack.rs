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
