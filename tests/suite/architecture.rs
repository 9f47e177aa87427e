//! The layers of ARCHITECTURE.md hold: no module of `src/` imports one that imports it
//! back, between top-level modules or within a folder (`tests/import_cycles.py`).

use std::process::Command;

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let out = Command::new("python3")
        .arg("tests/import_cycles.py")
        .output()
        .expect("python3 runs (it is on every machine this project is built on)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
