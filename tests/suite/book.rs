//! The manual (`docs/`, an mdBook) and the README stay whole: every relative link leads to
//! a file that exists and every `#anchor` to a heading of it, every page is in
//! `SUMMARY.md` and every entry there is a page, and every `bursar SUBCOMMAND --flag` in
//! the book's code blocks is one `bursar SUBCOMMAND --help` lists (as `ci_examples.rs`
//! checks the CI examples). Read as text: the links and command lines are what go stale.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::ci_examples::{flags_in, help, subcommands};
use crate::support;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn book_src() -> PathBuf {
    support::root().join("docs/src")
}

/// Every `.md` file under `dir`, sorted.
fn markdown_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(markdown_under(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// The README and every page of the book.
fn documents() -> Vec<PathBuf> {
    let mut docs = vec![support::root().join("README.md")];
    docs.extend(markdown_under(&book_src()));
    docs
}

/// The text outside fenced code blocks, with inline code removed, line by line.
fn prose(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            let mut kept = String::new();
            for (i, part) in line.split('`').enumerate() {
                if i % 2 == 0 {
                    kept.push_str(part);
                }
            }
            lines.push(kept);
        }
    }
    lines
}

/// The lines inside fenced code blocks.
fn code(text: &str) -> String {
    let mut fenced = false;
    let mut lines = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if fenced {
            lines.push_str(line);
            lines.push('\n');
        }
    }
    lines
}

/// The targets of inline links and images, `[text](target)`.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for line in prose(text) {
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            if let Some(end) = rest.find(')') {
                targets.push(rest[..end].to_owned());
                rest = &rest[end..];
            }
        }
    }
    targets
}

/// GitHub's and mdBook's heading id: lowercase, letters, digits, `-` and `_` kept, each
/// whitespace character a `-`, anything else dropped; a repeated id gets `-1`, `-2`...
fn heading_ids(text: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let Some(title) = line.strip_prefix('#') else {
            continue;
        };
        if fenced {
            continue;
        }
        let title = title.trim_start_matches('#');
        if !title.starts_with(' ') {
            continue;
        }
        let base: String = title
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                c if c.is_whitespace() => Some('-'),
                _ => None,
            })
            .collect();
        let mut id = base.clone();
        let mut n = 0;
        while ids.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        ids.insert(id);
    }
    ids
}

/// The broken relative links of one document, described.
fn broken_links(doc: &Path) -> Vec<String> {
    let text = read(doc);
    let dir = doc.parent().unwrap();
    let mut broken = Vec::new();
    for target in link_targets(&text) {
        if target.contains("://") || target.starts_with("mailto:") {
            continue;
        }
        let (path, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (target.as_str(), None),
        };
        let file = if path.is_empty() {
            doc.to_path_buf()
        } else {
            dir.join(path)
        };
        if !file.exists() {
            broken.push(format!("`{target}`: no file {}", file.display()));
            continue;
        }
        if let Some(anchor) = anchor {
            if !heading_ids(&read(&file)).contains(anchor) {
                broken.push(format!(
                    "`{target}`: no heading `#{anchor}` in {}",
                    file.display()
                ));
            }
        }
    }
    broken
}

#[test]
fn every_relative_link_leads_to_a_file_and_a_heading() {
    let mut broken = Vec::new();
    let mut links = 0;
    for doc in documents() {
        links += link_targets(&read(&doc)).len();
        for problem in broken_links(&doc) {
            broken.push(format!("{}: {problem}", doc.display()));
        }
    }
    assert!(links > 50, "the links were found: {links}");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_summary_lists_every_page_and_only_pages() {
    let src = book_src();
    let summary = src.join("SUMMARY.md");
    let listed: BTreeSet<PathBuf> = link_targets(&read(&summary))
        .iter()
        .map(|t| src.join(t))
        .collect();
    let pages: BTreeSet<PathBuf> = markdown_under(&src)
        .into_iter()
        .filter(|p| *p != summary)
        .collect();
    let missing: Vec<_> = listed.difference(&pages).collect();
    assert!(
        missing.is_empty(),
        "SUMMARY.md lists pages that do not exist: {missing:?}"
    );
    let unlisted: Vec<_> = pages.difference(&listed).collect();
    assert!(unlisted.is_empty(), "pages not in SUMMARY.md: {unlisted:?}");
}

/// Each command line of code blocks that starts with `bursar SUBCOMMAND` (after an
/// optional `$ ` prompt; `\` continuations joined), as (subcommand, its flags). Output
/// shown in code blocks is not a command, even where a sentence in it starts a line with
/// `bursar`; a lowercase word is a subcommand only if it is not followed by prose
/// punctuation. Synopses such as `[--out FILE]` and `--format json|text` count: the
/// brackets and alternatives are dropped.
fn commands(code: &str) -> Vec<(String, Vec<String>)> {
    let joined = code.replace("\\\n", " ");
    let mut found = Vec::new();
    for line in joined.lines() {
        let line = line.trim_start();
        let line = line.strip_prefix("$ ").unwrap_or(line);
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c == '[' || c == ']' || c == '|')
            .filter(|w| !w.is_empty())
            .collect();
        if words.first() != Some(&"bursar") {
            continue;
        }
        let Some(sub) = words.get(1) else { continue };
        if sub.starts_with('-') || !sub.chars().all(|c| c.is_ascii_lowercase()) {
            continue;
        }
        let flags = words[2..]
            .iter()
            .filter(|w| w.starts_with("--"))
            .map(|w| w.split('=').next().unwrap().to_owned())
            .collect();
        found.push((sub.to_string(), flags));
    }
    found
}

#[test]
fn every_command_in_the_book_has_its_subcommand_and_flags() {
    let subcommands = subcommands();
    let mut wrong = Vec::new();
    let mut seen = 0;
    for doc in markdown_under(&book_src()) {
        for (sub, flags) in commands(&code(&read(&doc))) {
            seen += 1;
            if !subcommands.contains(&sub) {
                wrong.push(format!(
                    "{}: `bursar {sub}` is not a command",
                    doc.display()
                ));
                continue;
            }
            let known = flags_in(&help(&[&sub, "--help"]));
            for flag in flags.iter().filter(|f| !known.contains(*f)) {
                wrong.push(format!("{}: `bursar {sub}` has no `{flag}`", doc.display()));
            }
        }
    }
    assert!(seen > 20, "the book's commands were found: {seen}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The README's first screen: the quick start's two commands (the bundled example, then
/// the whole suite, which is what `.ci/run` ends with) are its first two commands, and
/// the install command follows them.
#[test]
fn the_readme_runs_the_example_and_the_tests_first_then_installs() {
    let readme = read(&support::root().join("README.md"));
    let blocks: Vec<String> = readme
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|b| {
            b.split_once('\n')
                .map_or("", |(_, body)| body)
                .trim()
                .to_owned()
        })
        .collect();
    assert_eq!(
        blocks.get(1).map(String::as_str),
        Some("cargo install --locked --path .")
    );
    let quick: Vec<&str> = blocks.first().map_or(vec![], |b| b.lines().collect());
    assert_eq!(
        quick,
        [
            "cargo run --release -- eval --snapshot examples/sprint-2026-S24.json --policies policies/ --format text --fail-on never",
            "cargo test",
        ]
    );
    let ci = read(&support::root().join(".ci/run"));
    assert_eq!(ci.trim_end().lines().last(), Some("cargo test --locked"));
}
