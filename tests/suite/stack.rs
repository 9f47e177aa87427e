//! Raised recursion and nesting limits: the largest values the command line accepts end
//! runaway recursion and deep nesting in the limit error (exit 2), never a stack-overflow
//! abort; a value the stack cannot hold is refused before anything runs.

use std::path::Path;

use crate::support::bursar;

const HEADER: &str =
    "const POLICY = \"deep\";\nconst DESCRIPTION = \"recurses\";\nconst DECIDES = \"squads\";\n";

/// The largest `--max-call-levels` accepted at a depth, read from the refusal of a
/// value far too large (so the test follows the bound `--help` states).
fn most_call_levels(dir: &Path, depth: usize) -> usize {
    let out = run(dir, 1_000_000_000, depth, "check");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail = stderr
        .split("at most ")
        .nth(1)
        .expect("the refusal states the bound");
    tail.split(' ').next().unwrap().parse().unwrap()
}

fn most_expr_depth(dir: &Path, calls: usize) -> usize {
    let out = run(dir, calls, 1_000_000_000, "check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail = stderr
        .split("or at most ")
        .nth(1)
        .expect("the refusal states the bound");
    tail.split(' ').next().unwrap().parse().unwrap()
}

fn run(dir: &Path, calls: usize, depth: usize, command: &str) -> std::process::Output {
    let dir = dir.to_str().unwrap();
    let (calls, depth) = (calls.to_string(), depth.to_string());
    let mut args = vec![command, "--policies", dir, "--max-call-levels", &calls];
    args.extend(["--max-expr-depth", &depth]);
    if command == "eval" {
        args.extend(["--snapshot", "examples/sprint-2026-S24.json"]);
    }
    bursar(&args)
}

/// Writes the policy and runs it at the limits; asserts the limit error, not an abort.
fn assert_limit_error(body: &str, calls: usize, depth: usize, expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deep.rhai"), format!("{HEADER}{body}")).unwrap();
    let out = run(dir.path(), calls, depth, "eval");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "calls {calls}, depth {depth}: {stderr}"
    );
    assert!(
        stderr.contains(expected),
        "calls {calls}, depth {depth}: {stderr}"
    );
}

#[test]
fn the_most_call_levels_allowed_end_runaway_recursion_in_the_limit_error() {
    let dir = tempfile::tempdir().unwrap();
    for depth in [16, 64] {
        let calls = most_call_levels(dir.path(), depth);
        // Every call level holds a call nested as deep as the depth allows.
        let nested = depth / 2 - 4;
        let body = format!(
            "fn f(v) {{ {}f(v + 1){} }}\nf(0);\n",
            "(".repeat(nested),
            " + v)".repeat(nested)
        );
        assert_limit_error(&body, calls, depth, "nested function calls");
        let closure = "fn f(v) { [1].map(|x| f(v + x)) }\nf(0);\n";
        assert_limit_error(closure, calls, depth, "nested function calls");
    }
}

#[test]
fn the_deepest_nesting_allowed_ends_in_the_limit_error() {
    let dir = tempfile::tempdir().unwrap();
    let calls = 48;
    let depth = most_expr_depth(dir.path(), calls);
    // Nesting past the limit is refused when compiling...
    let deep = format!("let x = {}1;\n", "- ".repeat(depth * 2));
    assert_limit_error(&deep, calls, depth, "nest deeper than the limit");
    // ...nesting just under it runs (a decision is then missing, not the stack)...
    let under = format!(
        "let v = facts.squads.len();\nlet x = {}v{};\nlet y = {}v{};\n",
        "(".repeat(depth / 2 - 4),
        " + v)".repeat(depth / 2 - 4),
        "{ v; ".repeat(depth / 2 - 8),
        "}".repeat(depth / 2 - 8)
    );
    assert_limit_error(&under, calls, depth, "made no decision");
    // ...and recursion nested just under it stops at the call limit.
    let nested = depth / 2 - 4;
    let body = format!(
        "fn f(v) {{ {}f(v + 1){} }}\nf(0);\n",
        "(".repeat(nested),
        " + v)".repeat(nested)
    );
    assert_limit_error(&body, calls, depth, "nested function calls");
}

#[test]
fn limits_the_stack_cannot_hold_are_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let runaway = format!("{HEADER}fn f(v) {{ f(v + 1) }}\nf(0);\n");
    std::fs::write(dir.path().join("deep.rhai"), runaway).unwrap();
    for (calls, depth) in [(100_000, 64), (48, 100_000), (10_000, 10_000)] {
        let out = run(dir.path(), calls, depth, "eval");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("needs more stack than policies run on"),
            "{stderr}"
        );
    }
}
