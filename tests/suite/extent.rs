//! Policies longer or wider than an error can be located in (Rhai's positions hold 16-bit
//! lines and columns): refused at load with the true size, never a panic or a wrong line.
//! The large files are generated here, not committed.

use std::path::Path;

use crate::support::bursar;

const HEADER: &str =
    "const POLICY = \"big\";\nconst DESCRIPTION = \"long\";\nconst DECIDES = \"squads\";\n";

/// A policy of `lines` lines: the header, filler (comments and blank lines, quick to
/// compile in a debug build), then `last` as the final line.
fn long_policy(lines: usize, last: &str) -> String {
    let mut text = String::from(HEADER);
    for i in 3..lines - 1 {
        text.push_str(if i % 2 == 0 { "// filler\n" } else { "\n" });
    }
    text.push_str(last);
    text.push('\n');
    text
}

/// Runs `check` and `eval` on the pack; returns their stderr after asserting exit 2 and
/// no panic.
fn refused(dir: &Path) -> Vec<String> {
    refused_as(dir, 2)
}

/// As `refused`, for a pack that reads but does not compile: a finding of `check` (exit 1).
fn found(dir: &Path) -> Vec<String> {
    refused_as(dir, 1)
}

fn refused_as(dir: &Path, check: i32) -> Vec<String> {
    let dir = dir.to_str().unwrap();
    let snapshot = "examples/sprint-2026-S24.json";
    [
        (bursar(&["check", "--policies", dir]), check),
        (
            bursar(&["eval", "--policies", dir, "--snapshot", snapshot]),
            2,
        ),
    ]
    .into_iter()
    .map(|(out, code)| {
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    })
    .collect()
}

#[test]
fn a_policy_past_line_65535_is_refused_at_load() {
    // A syntax error, a bad declaration, and the only `POLICY`, wrong, on line 65,536
    // (narrowed to Rhai's 16 bits, line 0: `Position::new` panicked on it).
    let line_0 = long_policy(65_536, "const POLICY = 5;").replacen("const POLICY", "// P", 1);
    for (lines, text) in [
        (70_000, long_policy(70_000, "let = ;")),
        (70_000, long_policy(70_000, "const DECIDES = 5;")),
        (65_536, line_0),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.rhai"), text).unwrap();
        for stderr in refused(dir.path()) {
            let expected = format!("big.rhai: the policy has {lines} lines, more than the 65534");
            assert!(stderr.contains(&expected), "{stderr}");
        }
    }
}

#[test]
fn a_module_past_line_65535_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lib")).unwrap();
    let module = (0..70_000)
        .map(|i| format!("const X{i} = {i};\n"))
        .collect::<String>();
    std::fs::write(dir.path().join("lib/big.rhai"), module).unwrap();
    let policy = format!("{HEADER}import \"lib/big\" as big;\n");
    std::fs::write(dir.path().join("p.rhai"), policy).unwrap();
    for stderr in refused(dir.path()) {
        assert!(stderr.contains("the module has 70000 lines"), "{stderr}");
    }
}

#[test]
fn a_line_wider_than_65535_characters_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let wide = format!("{HEADER}let s = \"{}\"; let = ;\n", "é".repeat(70_000));
    std::fs::write(dir.path().join("wide.rhai"), wide).unwrap();
    for stderr in refused(dir.path()) {
        assert!(
            stderr.contains("wide.rhai:4:1: this line of the policy is longer"),
            "{stderr}"
        );
    }
}

#[test]
fn the_last_line_allowed_is_located_truly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.rhai"), long_policy(65_534, "let = ;")).unwrap();
    for stderr in found(dir.path()) {
        assert!(stderr.contains("big.rhai:65534:5: "), "{stderr}");
    }
    let wide = format!("{HEADER}let s = \"{}\"; let = ;\n", "é".repeat(60_000));
    std::fs::write(dir.path().join("big.rhai"), wide).unwrap();
    for stderr in found(dir.path()) {
        assert!(stderr.contains("big.rhai:4:60017: "), "{stderr}");
    }
}
