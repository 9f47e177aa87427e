//! Every command the book shows is run, and every output it shows is what bursar prints.
//!
//! In `docs/src/**`, a ```` ```console ```` block is a session: each `$ ` line (with `\`
//! continuations) is a command, and the lines up to the next `$ ` are what it prints
//! (stdout, then stderr). A ```` ```sh ```` block is commands only. Each runs with `sh` in
//! a fresh folder per page holding copies of `examples/`, `policies/` and
//! `tests/fixtures/`, with this build's `bursar` first on `PATH`; a page's commands share
//! that folder, in order, as a reader following the page would, and a block whose info
//! string says `file=NAME` is written there as `NAME` (an exceptions file, say).
//! A command exits 0 unless its line ends with a comment saying `# exits N`. In shown
//! output a line that is only `...` stands for any number of lines, and `...` inside a
//! line for any text. Any other block that shows a `bursar` command must say why it is
//! not run: the info string `synopsis` (a usage line, with placeholders) or `norun` with
//! the reason in an HTML comment on the line before the fence (`<!-- norun: ... -->`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support;

/// One fenced block: where it is, its info string, its lines, the line before its fence.
struct Block {
    at: String,
    info: String,
    lines: Vec<String>,
    before: String,
}

/// One command to run: the command line, its expected exit code, the output shown.
struct Step {
    command: String,
    exit: i32,
    shown: Option<Vec<String>>,
}

fn pages() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|e| e.expect("readable entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "md") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&support::root().join("docs/src"), &mut out);
    out
}

fn blocks(page: &Path) -> Vec<Block> {
    let text = std::fs::read_to_string(page).expect("the page reads");
    let name = page
        .strip_prefix(support::root())
        .unwrap_or(page)
        .display()
        .to_string();
    let mut out: Vec<Block> = Vec::new();
    let mut open: Option<Block> = None;
    let mut previous = String::new();
    for (i, line) in text.lines().enumerate() {
        match (open.take(), line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    at: format!("{name}:{}", i + 1),
                    info: info.trim().to_owned(),
                    lines: Vec::new(),
                    before: previous.clone(),
                })
            }
            (Some(block), Some(_)) => out.push(block),
            (Some(mut block), None) => {
                block.lines.push(line.to_owned());
                open = Some(block);
            }
            (None, None) => {}
        }
        previous = line.to_owned();
    }
    assert!(open.is_none(), "{name}: a code block is never closed");
    out
}

/// Whether a line, as a reader would type it, runs bursar (or `cargo run`, which is).
fn runs_bursar(line: &str) -> bool {
    let line = line.trim_start().trim_start_matches("$ ");
    line.starts_with("bursar ") || line.starts_with("cargo run")
}

/// The exit code a command line's trailing `# exits N` comment promises, else 0.
fn expected_exit(line: &str) -> i32 {
    line.rsplit_once("# exits ").map_or(0, |(_, n)| {
        let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().expect("`# exits N` names a number")
    })
}

/// The block's commands, `\` continuations joined, each with the lines shown after it.
fn steps(block: &Block) -> Vec<Step> {
    let console = block.info == "console";
    let mut out: Vec<Step> = Vec::new();
    let mut pending = String::new();
    for line in &block.lines {
        let command = if console {
            line.strip_prefix("$ ")
        } else {
            Some(line.as_str())
        };
        match command {
            Some(c) if pending.is_empty() && c.trim_start().starts_with('#') => {}
            Some(c) if pending.is_empty() && c.trim().is_empty() => {}
            Some(_) | None if !pending.is_empty() => pending.push_str(line.trim_start()),
            Some(c) => pending.push_str(c),
            None => {
                let step = out.last_mut().unwrap_or_else(|| {
                    panic!("{}: output shown before any `$ ` command", block.at)
                });
                step.shown.get_or_insert_with(Vec::new).push(line.clone());
                continue;
            }
        }
        if let Some(joined) = pending.strip_suffix('\\') {
            pending = format!("{} ", joined.trim_end());
            continue;
        }
        if !pending.is_empty() {
            out.push(Step {
                exit: expected_exit(&pending),
                command: std::mem::take(&mut pending),
                shown: None,
            });
        }
    }
    assert!(pending.is_empty(), "{}: a `\\` continues nothing", block.at);
    out
}

/// Whether `actual` is what `shown` shows: a line `...` is any number of lines, `...`
/// inside a line any text; trailing spaces and blank lines at the end do not count.
fn matches(shown: &[String], actual: &[&str]) -> bool {
    match shown.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "..." => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line_matches(first, line) && matches(rest, more)),
    }
}

fn line_matches(shown: &str, actual: &str) -> bool {
    let (shown, actual) = (shown.trim_end(), actual.trim_end());
    let mut pieces = shown.split("...");
    let first = pieces.next().unwrap_or("");
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    for (i, piece) in pieces.iter().enumerate() {
        if i + 1 == pieces.len() {
            return rest.ends_with(piece);
        }
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// A fresh folder with the files the book's commands name.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let copy = |from: &str| {
        let status = Command::new("cp")
            .args(["-R", &support::root().join(from).display().to_string()])
            .arg(dir.path().join(from))
            .status()
            .expect("cp runs");
        assert!(status.success(), "cannot copy {from}");
    };
    std::fs::create_dir(dir.path().join("tests")).expect("a tests folder");
    for from in ["examples", "policies", "tests/fixtures"] {
        copy(from);
    }
    dir
}

/// The file a block's info string says it is (`file=NAME`).
fn file_name(block: &Block) -> Option<&str> {
    block
        .info
        .split(',')
        .find_map(|w| w.trim().strip_prefix("file="))
}

fn run(block: &Block, dir: &Path) -> Vec<String> {
    let bin = Path::new(env!("CARGO_BIN_EXE_bursar"))
        .parent()
        .expect("the binary's folder")
        .to_owned();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("a PATH");
    let mut failures = Vec::new();
    for step in steps(block) {
        let out = Command::new("sh")
            .args(["-c", &step.command])
            .current_dir(dir)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .output()
            .expect("sh runs");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.code() != Some(step.exit) {
            failures.push(format!(
                "{}: `{}` exited {:?}, the book says {}:\n{printed}",
                block.at,
                step.command,
                out.status.code(),
                step.exit
            ));
            continue;
        }
        let Some(shown) = &step.shown else { continue };
        let lines: Vec<&str> = printed.trim_end().lines().collect();
        let mut shown = shown.clone();
        while shown.last().is_some_and(|l| l.trim().is_empty()) {
            shown.pop();
        }
        if !matches(&shown, &lines) {
            failures.push(format!(
                "{}: `{}` prints\n{printed}\nthe book shows\n{}",
                block.at,
                step.command,
                shown.join("\n")
            ));
        }
    }
    failures
}

fn marked(block: &Block) -> Option<bool> {
    let words: Vec<&str> = block.info.split(',').map(str::trim).collect();
    if words.contains(&"synopsis") {
        return Some(true);
    }
    if words.contains(&"norun") {
        let reason = block.before.trim();
        return Some(reason.starts_with("<!-- norun: ") && reason.len() > "<!-- norun:  -->".len());
    }
    None
}

#[test]
fn every_command_and_output_in_the_book_is_what_bursar_does() {
    let (mut ran, mut not_run, mut failures) = (0, 0, Vec::new());
    for page in pages() {
        let mut dir: Option<tempfile::TempDir> = None;
        for block in blocks(&page) {
            if let Some(name) = file_name(&block) {
                let dir = dir.get_or_insert_with(workspace);
                std::fs::write(dir.path().join(name), block.lines.join("\n") + "\n")
                    .expect("the block's file writes");
                continue;
            }
            let shows_bursar = block.lines.iter().any(|l| runs_bursar(l));
            match marked(&block) {
                Some(true) => not_run += 1,
                Some(false) => failures.push(format!(
                    "{}: a `norun` block needs `<!-- norun: REASON -->` on the line before it",
                    block.at
                )),
                None if block.info == "console" || (block.info == "sh" && shows_bursar) => {
                    ran += 1;
                    failures.extend(run(&block, dir.get_or_insert_with(workspace).path()));
                }
                None if shows_bursar => failures.push(format!(
                    "{}: a block shows a `bursar` command but is neither run (```console, \
                     ```sh) nor marked `synopsis` or `norun`",
                    block.at
                )),
                None => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The counts as the book stands: a block that stops being run must be noticed here.
    assert_eq!(
        (ran, not_run),
        (11, 8),
        "(blocks run, blocks marked not run)"
    );
}

#[test]
fn shown_output_matches_with_elisions_only() {
    let shown = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(matches(&shown(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&shown(&["a", "...", "b"]), &["a", "b"]));
    assert!(matches(&shown(&["x: 1, ..."]), &["x: 1, y: 2"]));
    assert!(matches(&shown(&["x (...), z"]), &["x (a, b), z"]));
    assert!(!matches(&shown(&["a", "d"]), &["a", "b", "d"]));
    assert!(!matches(&shown(&["x: 2, ..."]), &["x: 1, y: 2"]));
    assert!(!matches(&shown(&["a"]), &["a", "b"]));
}
