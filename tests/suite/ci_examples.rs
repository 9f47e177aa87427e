//! The CI examples users copy (`examples/ci/github-actions.yml`, `.pre-commit-hooks.yaml`)
//! run commands and flags this bursar has: every `bursar SUBCOMMAND --flag` in them is
//! checked against `bursar SUBCOMMAND --help`. Read as text, not parsed as YAML: no YAML
//! crate for two files, and the command lines are what goes stale.

use std::collections::BTreeSet;

use crate::support::{self, bursar};

const WORKFLOW: &str = "examples/ci/github-actions.yml";
const HOOKS: &str = ".pre-commit-hooks.yaml";

fn read(path: &str) -> String {
    std::fs::read_to_string(support::root().join(path))
        .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Every word starting with `--` in a help text.
fn flags_in(help: &str) -> BTreeSet<String> {
    help.split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']')
        .filter(|w| w.starts_with("--"))
        .map(|w| w.split(['=', '<']).next().unwrap().to_owned())
        .collect()
}

fn help(args: &[&str]) -> String {
    let out = bursar(args);
    assert_eq!(out.status.code(), Some(0), "bursar {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The subcommands `bursar --help` lists.
fn subcommands() -> BTreeSet<String> {
    help(&["--help"])
        .split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("Options:").next())
        .expect("bursar --help lists its commands")
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// Each `bursar SUBCOMMAND ...` in the file (comments skipped, `\` continuations joined),
/// as (subcommand, the words after it).
fn commands(text: &str) -> Vec<(String, Vec<String>)> {
    let mut joined = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        match line.trim_end().strip_suffix('\\') {
            Some(head) => current.push_str(head),
            None => {
                current.push_str(line);
                joined.push(std::mem::take(&mut current));
            }
        }
    }
    let mut found = Vec::new();
    for line in joined {
        let words: Vec<&str> = line.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            if *word == "bursar" {
                if let Some(sub) = words.get(i + 1) {
                    let rest = words[i + 2..].iter().map(|w| w.to_string()).collect();
                    found.push((sub.to_string(), rest));
                }
            }
        }
    }
    found
}

fn check_file(path: &str) -> Vec<(String, Vec<String>)> {
    let commands = commands(&read(path));
    let subcommands = subcommands();
    for (sub, words) in &commands {
        assert!(
            subcommands.contains(sub),
            "{path}: `bursar {sub}` is not a command of bursar ({subcommands:?})"
        );
        let known = flags_in(&help(&[sub, "--help"]));
        for word in words.iter().filter(|w| w.starts_with("--")) {
            let flag = word.split('=').next().unwrap();
            assert!(
                known.contains(flag),
                "{path}: `bursar {sub}` has no `{flag}` ({known:?})"
            );
        }
    }
    commands
}

#[test]
fn the_workflow_evaluates_once_with_flags_eval_has() {
    let commands = check_file(WORKFLOW);
    let evals: Vec<&Vec<String>> = commands
        .iter()
        .filter(|(sub, _)| sub == "eval")
        .map(|(_, words)| words)
        .collect();
    assert_eq!(evals.len(), 1, "{WORKFLOW}: one evaluation: {commands:?}");
    let line = evals[0].join(" ");
    for wanted in [
        "--format json",
        "--out decisions.json",
        "--report sarif=bursar.sarif",
        "--report markdown=summary.md",
        "--report junit=junit.xml",
        "--fail-on deny",
    ] {
        assert!(line.contains(wanted), "{WORKFLOW}: no `{wanted}` in {line}");
    }
    let text = read(WORKFLOW);
    for wanted in [
        "github/codeql-action/upload-sarif@",
        "sarif_file: bursar.sarif",
        "cat summary.md >> \"$GITHUB_STEP_SUMMARY\"",
        "cargo install --locked --path .",
    ] {
        assert!(text.contains(wanted), "{WORKFLOW}: no `{wanted}`");
    }
    // The exit code is kept and applied in the last step, after the uploads.
    let last_step = text.rsplit("- name:").next().unwrap();
    assert!(
        last_step.contains("steps.eval.outputs.code") && last_step.contains("exit \"$CODE\""),
        "{WORKFLOW}: the last step fails the job with eval's code:\n{last_step}"
    );
}

#[test]
fn the_pre_commit_hook_runs_bursar_check() {
    let commands = check_file(HOOKS);
    let text = read(HOOKS);
    assert!(text.contains("- id: bursar-check\n"), "{text}");
    assert!(text.contains("\n  entry: bursar check\n"), "{text}");
    assert!(
        commands.iter().any(|(sub, _)| sub == "check"),
        "{commands:?}"
    );
}
