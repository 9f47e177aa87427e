//! GitHub Actions workflow commands: an `::error` (deny) or `::warning` (warn) annotation
//! per decision, on the policy line that decided it, grouped per policy, then the counts.
//! The runner reads every line a step prints as a possible command, so nothing from the
//! inputs reaches a line unescaped: a summary with a line break could otherwise start a
//! command of its own.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::decision::{self, Check, Decision, Document, Severity};
use crate::render::Emitter;
use crate::text::count;

pub struct DecisionsGithub {
    /// The pack folder as the user named it: annotations name files as the repository
    /// reaches them, since that is how GitHub matches them to a pull request's files.
    policies: PathBuf,
}

impl DecisionsGithub {
    pub fn new(policies: &Path) -> Self {
        Self {
            policies: policies.to_owned(),
        }
    }

    fn annotate(&self, out: &mut dyn io::Write, doc: &Document, d: &Decision) -> io::Result<()> {
        let command = match d.severity {
            Severity::Deny => "error",
            Severity::Warn => "warning",
            Severity::Info => return Ok(()),
        };
        let mut properties = Vec::new();
        match located_check(d) {
            Some(check) => {
                properties.push(format!("file={}", property(&self.path(&check.file))));
                if let Some(line) = check.line {
                    properties.push(format!("line={line}"));
                    if let Some(column) = check.column {
                        properties.push(format!("col={column}"));
                    }
                }
            }
            // A decision recorded without checks: the `record` call that decided it.
            None if d.site.is_some() => {
                let site = d.site.as_ref().expect("matched on it");
                properties.push(format!("file={}", property(&self.path(&site.file))));
                properties.push(format!("line={}", site.line));
                properties.push(format!("col={}", site.column));
            }
            // Else it still belongs to its policy's file.
            None => {
                if let Some(policy) = doc.inputs.policies.iter().find(|p| p.name == d.policy) {
                    properties.push(format!("file={}", property(&self.path(&policy.file))));
                }
            }
        }
        let title = format!("{}: {}", d.policy, d.subject);
        properties.push(format!("title={}", property(&title)));
        writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            data(&d.explanation.summary)
        )
    }

    /// A file of the pack as the user reaches it, with `/` between folders on every
    /// system and no `./` steps, which GitHub would not match to a repository path.
    fn path(&self, file: &str) -> String {
        let mut path = String::new();
        for component in self.policies.join(file).components() {
            let part = match component {
                Component::CurDir => continue,
                Component::Prefix(prefix) => prefix.as_os_str().to_string_lossy(),
                Component::RootDir => {
                    path.push('/');
                    continue;
                }
                Component::ParentDir => "..".into(),
                Component::Normal(name) => name.to_string_lossy(),
            };
            if !path.is_empty() && !path.ends_with('/') {
                path.push('/');
            }
            path.push_str(&part);
        }
        path
    }
}

impl Emitter<Document> for DecisionsGithub {
    fn emit(&self, out: &mut dyn io::Write, doc: &Document) -> io::Result<()> {
        for policy in doc.policies() {
            writeln!(out, "::group::{}", data(policy))?;
            let decisions = || doc.decisions.iter().filter(|d| d.policy == policy);
            for d in decisions() {
                self.annotate(out, doc, d)?;
            }
            // Plain text, but it starts with a digit or `no`: never read as a command.
            let t = decision::totals(decisions());
            if t.decisions == 0 {
                writeln!(out, "no decisions")?;
            } else {
                writeln!(
                    out,
                    "{}: {} deny, {} warn, {} info",
                    count(t.decisions, "decision"),
                    t.deny,
                    t.warn,
                    t.info
                )?;
            }
            writeln!(out, "::endgroup::")?;
        }
        let t = &doc.totals;
        // The sprint is plain text here, escaped all the same so that a line break in it
        // cannot put a command on the next line.
        writeln!(
            out,
            "bursar: {} deny, {} warn, {} info in sprint {}",
            t.deny,
            t.warn,
            t.info,
            data(&doc.sprint)
        )
    }
}

/// Where a decision is shown: its first failing check (what made it warn or deny), else
/// its last check (where it concluded).
fn located_check(d: &Decision) -> Option<&Check> {
    let checks = &d.explanation.checks;
    checks.iter().find(|c| !c.pass).or(checks.last())
}

/// A command's message, escaped as the runner unescapes it: `%`, CR and LF.
fn data(text: &str) -> String {
    escape(text, false)
}

/// A command's property value: as a message, and `:` and `,`, which end a value.
fn property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            ':' if property => escaped.push_str("%3A"),
            ',' if property => escaped.push_str("%2C"),
            c => escaped.push(c),
        }
    }
    escaped
}
