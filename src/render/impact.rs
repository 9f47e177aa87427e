//! The impact report as text: which policy files differ, then per snapshot its differences
//! grouped by policy, marked like a diff, then the totals. (Its JSON is `json`'s.) Every
//! name and value from the packs and snapshots is escaped for the terminal.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::io;

use super::emitter::Emitter;
use crate::impact::{PackInfo, Report, SnapshotImpact};
use crate::render::diff::text::{Summaries, listing};
use crate::text::{count, escape_terminal as esc, plural};

pub struct ImpactText;

impl Emitter<Report> for ImpactText {
    fn emit(&self, out: &mut dyn io::Write, report: &Report) -> io::Result<()> {
        out.write_all(text(report).as_bytes())
    }
}

/// The human-readable view: which policy files differ, then per snapshot a header
/// and its differences grouped by policy, then the totals.
fn text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "new pack `{}` against `{}`: {}",
        esc(&report.new.dir),
        esc(&report.old.dir),
        pack_changes(&report.old, &report.new)
    );
    for s in &report.snapshots {
        render_snapshot(&mut out, s);
    }
    let t = &report.totals;
    let _ = write!(
        out,
        "\n{} of {} snapshot{} change{}: {} outcome{} changed, {} added, {} removed",
        t.snapshots_changed,
        t.snapshots,
        plural(t.snapshots),
        // The verb agrees with the noun: "of 1 snapshot changes", "of 40 snapshots change".
        if t.snapshots == 1 { "s" } else { "" },
        t.changed,
        plural(t.changed),
        t.added,
        t.removed
    );
    if let Some(n) = t.values_changed {
        let _ = write!(out, ", {n} with values changed");
    }
    out.push('\n');
    out
}

/// Which policy files differ between the packs, by name and digest.
fn pack_changes(old: &PackInfo, new: &PackInfo) -> String {
    let policies = |p: &PackInfo| -> BTreeMap<String, String> {
        p.policies
            .iter()
            .map(|d| (d.name.clone(), d.sha256.clone()))
            .collect()
    };
    // A module alone can change decisions: it is named by its file, marked as a module.
    let modules = |p: &PackInfo| -> BTreeMap<String, String> {
        p.modules
            .iter()
            .map(|m| (format!("module {}", m.file), m.sha256.clone()))
            .collect()
    };
    let mut parts = changes(&policies(old), &policies(new));
    parts.extend(changes(&modules(old), &modules(new)));
    if parts.is_empty() {
        "identical policy files".to_owned()
    } else {
        parts.join(", ")
    }
}

/// `NAME added`, `NAME changed`, `NAME removed`, from two maps of name to digest.
fn changes(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Vec<String> {
    let mut parts = Vec::new();
    for (name, sha) in new {
        match old.get(name) {
            None => parts.push(format!("{} added", esc(name))),
            Some(o) if o != sha => parts.push(format!("{} changed", esc(name))),
            Some(_) => {}
        }
    }
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        parts.push(format!("{} removed", esc(name)));
    }
    parts
}

/// One line per listed difference, marked like a diff: `~` changed, `+` added,
/// `-` removed, `*` same outcome with different values.
fn render_snapshot(out: &mut String, s: &SnapshotImpact) {
    let d = &s.diff;
    let _ = write!(out, "\n{} (sprint {}): ", esc(&s.path), esc(&s.sprint));
    if d.is_empty() {
        let _ = writeln!(out, "no change, {}", count(d.unchanged, "decision"));
        return;
    }
    let _ = write!(
        out,
        "{} outcome{} changed, {} added, {} removed",
        d.changed.len(),
        plural(d.changed.len()),
        d.added.len(),
        d.removed.len()
    );
    if let Some(list) = &d.values_changed {
        let _ = write!(out, ", {} with values changed", list.len());
    }
    let _ = writeln!(out, ", {} unchanged", d.unchanged);

    out.push_str(&listing(d, Summaries::First));
}

#[cfg(test)]
#[path = "impact_tests.rs"]
mod tests;
