//! Which outside engines the test suite can reach on this machine, as `cfg` flags, so a
//! test that cannot run here is reported by the runner as *ignored* (with its reason),
//! never as a pass.
//!
//! Tests mark themselves with `#[cfg_attr(not(have_duckdb), ignore = "...")]`. Under
//! `CI=true` every flag is set whatever is installed: there a missing engine is a failure
//! (`.ci/run` installs them), not a skip. The library does not use these flags.

use std::process::Command;

/// (cfg flag, Python module that must import) for the engines tests drive through Python.
const PYTHON: &[(&str, &str)] = &[
    ("have_duckdb", "duckdb"),
    ("have_pyspark", "pyspark"),
    ("have_chdb", "chdb"),
    ("have_datafusion", "datafusion"),
    ("have_otel_sdk", "opentelemetry.exporter.otlp.json.file"),
    ("have_litellm", "litellm"),
];

/// (cfg flag, program that must be on PATH).
const PROGRAMS: &[(&str, &str)] = &[("have_chromium", "chromium"), ("have_java", "java")];

/// (cfg flag, programs that must all be on PATH): the shell half of the pack digest test.
const TOOLS: &[(&str, &[&str])] = &[(
    "have_sha256sum",
    &["sh", "find", "sort", "xargs", "sha256sum"],
)];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rerun-if-env-changed=PATH");
    for (flag, _) in PYTHON.iter().chain(PROGRAMS) {
        println!("cargo::rustc-check-cfg=cfg({flag})");
    }
    for (flag, _) in TOOLS {
        println!("cargo::rustc-check-cfg=cfg({flag})");
    }
    println!("cargo::rustc-check-cfg=cfg(have_root)");
    // Set by `cargo fuzz` (fuzz/): the fuzz target reaches the loaders (src/lib.rs).
    println!("cargo::rustc-check-cfg=cfg(fuzzing)");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let found = python_modules();
    for (flag, module) in PYTHON {
        if ci || found.iter().any(|m| m == module) {
            println!("cargo:rustc-cfg={flag}");
        }
    }
    for (flag, program) in PROGRAMS {
        if ci || on_path(program) {
            println!("cargo:rustc-cfg={flag}");
        }
    }
    for (flag, programs) in TOOLS {
        if ci || programs.iter().all(|p| on_path(p)) {
            println!("cargo:rustc-cfg={flag}");
        }
    }
    // Making a device node needs root: a test that does is ignored elsewhere.
    if ci || is_root() {
        println!("cargo:rustc-cfg=have_root");
    }
}

/// Whether the build runs as root (`id -u` says 0), as the tests will.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

/// The modules of `PYTHON` that `python3` finds, in one interpreter start. Also asks
/// cargo to look again when a package is installed (the folders packages go into).
fn python_modules() -> Vec<String> {
    let names: Vec<&str> = PYTHON.iter().map(|(_, m)| *m).collect();
    let script = format!(
        "import importlib.util as u, sysconfig, site\n\
         for p in {{sysconfig.get_paths()['purelib'], sysconfig.get_paths()['platlib']}}: print('path', p)\n\
         for m in {names:?}:\n\
         \x20   try:\n\
         \x20       ok = u.find_spec(m) is not None\n\
         \x20   except Exception:\n\
         \x20       ok = False\n\
         \x20   if ok: print('have', m)\n"
    );
    let Ok(out) = Command::new("python3").args(["-c", &script]).output() else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut found = Vec::new();
    for line in text.lines() {
        if let Some(path) = line.strip_prefix("path ") {
            // A top-level entry appears in this folder when a package is installed.
            if std::path::Path::new(path).is_dir() {
                println!("cargo:rerun-if-changed={path}");
            }
        } else if let Some(module) = line.strip_prefix("have ") {
            found.push(module.to_owned());
        }
    }
    found
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
