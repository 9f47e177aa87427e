//! The diff report as text for a terminal: what differs in the inputs, the counts, then
//! the differences grouped by policy and marked like a diff (`~` outcome changed, `+`
//! added, `-` removed, `*` same outcome, something else differs), each check that differs
//! under its decision, and the values that changed with `--details`. Money is shown in
//! currency units and floats rounded (the JSON keeps them exact). Everything from the
//! documents is escaped for the terminal.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::io;

use serde_json::Value;

use crate::audit::compare::{Cause, Change, CheckFlip, CheckResult, Diff, Lone};
use crate::audit::diff_report::Report;
use crate::audit::inputs_diff::{FieldChange, FileChange, InputChanges};
use crate::operator::Unit;
use crate::render::Emitter;
use crate::text::{escape_terminal as esc, plural};

/// The diff report as text for a person.
pub struct DiffText;

impl Emitter<Report> for DiffText {
    fn emit(&self, out: &mut dyn io::Write, report: &Report) -> io::Result<()> {
        out.write_all(text(report).as_bytes())
    }
}

fn text(report: &Report) -> String {
    let mut out = format!(
        "diff `{}` → `{}`\n",
        esc(&report.old.name()),
        esc(&report.new.name())
    );
    out.push_str(&inputs(&report.inputs));
    let t = &report.totals;
    let _ = write!(
        out,
        "\n{} outcome{} changed, {} added, {} removed",
        t.changed,
        plural(t.changed),
        t.added,
        t.removed
    );
    if let Some(n) = t.values_changed {
        let _ = write!(out, ", {n} otherwise changed");
    }
    let _ = writeln!(out, ", {} unchanged", t.unchanged);
    if let Some(causes) = &t.causes {
        let parts: Vec<String> = causes
            .iter()
            .map(|(cause, n)| format!("{n} {}", cause.as_str()))
            .collect();
        let _ = writeln!(out, "causes: {}", parts.join(", "));
    }
    out.push_str(&listing_with(&report.diff, Summaries::Last, report.details));
    out
}

/// Where a changed decision's old and new summaries go among its lines: `diff` ends with
/// them, under the checks and values that explain the change; `impact` leads with them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Summaries {
    First,
    Last,
}

/// The listed differences grouped by policy, each policy's in subject order, with every
/// value the diff holds.
pub(crate) fn listing(diff: &Diff, summaries: Summaries) -> String {
    listing_with(diff, summaries, true)
}

/// The listing, with the changed values only when `values` (`diff --details`).
pub(crate) fn listing_with(diff: &Diff, summaries: Summaries, values: bool) -> String {
    let mut out = String::new();
    for (policy, entries) in by_policy(diff, summaries, values) {
        let _ = writeln!(out, "  {}", esc(policy));
        for entry in entries {
            out.push_str(&entry);
        }
    }
    out
}

/// What differs in the recorded inputs, one line each, or that nothing does.
pub(crate) fn inputs(changes: &InputChanges) -> String {
    if changes.is_empty() {
        return "same inputs\n".to_owned();
    }
    let mut out = String::from("inputs that differ:\n");
    for f in &changes.files {
        let _ = writeln!(out, "  {}", file_line(f));
    }
    for f in &changes.fields {
        let _ = writeln!(out, "  {}", field_line(f));
    }
    out
}

/// `policy promotion.rhai changed`, `module lib/limits.rhai added`.
pub(crate) fn file_line(f: &FileChange) -> String {
    let kind = match f.list.as_str() {
        "policies" => "policy".to_owned(),
        "modules" => "module".to_owned(),
        other => format!("{} file", esc(other)),
    };
    let mut line = format!("{kind} {} {}", esc(&f.file), f.status.as_str());
    if let (Some(o), Some(n)) = (&f.old_sha256, &f.new_sha256) {
        let _ = write!(line, " (sha256 {} → {})", esc(short(o)), esc(short(n)));
    }
    line
}

/// A digest's first 12 characters: enough to tell two apart in a line a person reads.
fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// What a field of the header is, in an auditor's words.
pub(crate) fn field_name(pointer: &str) -> String {
    match pointer {
        "/inputs/snapshot_sha256" => "snapshot digest".to_owned(),
        "/inputs/pack_sha256" => "pack digest".to_owned(),
        "/inputs/exceptions_sha256" => "exceptions digest".to_owned(),
        "/engine" => "engine version".to_owned(),
        "/rhai" => "Rhai version".to_owned(),
        "/format" => "document format".to_owned(),
        other => match other.strip_prefix("/limits/") {
            Some(limit) => format!("limit {limit}"),
            None => other.trim_start_matches('/').to_owned(),
        },
    }
}

pub(crate) fn field_line(f: &FieldChange) -> String {
    format!(
        "{}: {} → {}",
        esc(&field_name(&f.field)),
        shown(&f.old),
        shown(&f.new)
    )
}

/// A JSON value on one line (JSON escapes control characters but not bidi overrides).
fn shown(v: &Option<Value>) -> String {
    v.as_ref()
        .map_or("(none)".to_owned(), |v| esc(&v.to_string()).into_owned())
}

fn cause(c: Option<Cause>) -> String {
    c.map(|c| format!(" [{}]", c.as_str())).unwrap_or_default()
}

/// Each policy's entries, in subject order.
fn by_policy(d: &Diff, summaries: Summaries, values: bool) -> BTreeMap<&str, Vec<String>> {
    let mut entries: BTreeMap<(&str, &str), String> = BTreeMap::new();
    for c in &d.changed {
        let mut text = format!(
            "    ~ {}: {} ({}) → {} ({}){}\n",
            esc(&c.subject),
            esc(&c.old.outcome),
            c.old.severity.as_str(),
            esc(&c.new.outcome),
            c.new.severity.as_str(),
            cause(c.cause)
        );
        let said = format!(
            "        old: {}\n        new: {}\n",
            esc(&c.old.summary),
            esc(&c.new.summary)
        );
        if summaries == Summaries::First {
            text.push_str(&said);
        }
        site_line(&mut text, c.site.as_ref());
        details(&mut text, c, values);
        if summaries == Summaries::Last {
            text.push_str(&said);
        }
        entries.insert((&c.policy, &c.subject), text);
    }
    for (mark, list) in [('+', &d.added), ('-', &d.removed)] {
        for l in list {
            entries.insert((&l.policy, &l.subject), lone(mark, l));
        }
    }
    for c in d.values_changed.iter().flatten() {
        let mut text = format!(
            "    * {}: {} ({}){}\n",
            esc(&c.subject),
            esc(&c.new.outcome),
            c.new.severity.as_str(),
            cause(c.cause)
        );
        site_line(&mut text, c.site.as_ref());
        details(&mut text, c, values);
        entries.insert((&c.policy, &c.subject), text);
    }
    let mut grouped: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for ((policy, _), text) in entries {
        grouped.entry(policy).or_default().push(text);
    }
    grouped
}

fn lone(mark: char, l: &Lone) -> String {
    let mut text = format!(
        "    {mark} {}: {} ({}){}\n",
        esc(&l.subject),
        esc(&l.verdict.outcome),
        l.verdict.severity.as_str(),
        cause(l.cause),
    );
    site_line(&mut text, l.site.as_ref());
    let _ = writeln!(text, "        {}", esc(&l.verdict.summary));
    text
}

/// `decided at allocation.rhai:41:5`: the policy line of a decision, checks or none.
fn site_line(out: &mut String, site: Option<&crate::decision::Site>) {
    if let Some(site) = site {
        let _ = writeln!(out, "        decided at {}", esc(&site.describe()));
    }
}

/// The checks that differ, what else differs, then (when asked) the changed values.
fn details(out: &mut String, c: &Change, values: bool) {
    for f in &c.checks {
        let _ = writeln!(out, "        check {}", flip(f));
    }
    if !c.fields.is_empty() {
        let _ = writeln!(out, "        also differs: {}", c.fields.join(", "));
    }
    if !values {
        return;
    }
    for v in &c.values {
        let _ = writeln!(
            out,
            "        {}: {} → {}",
            esc(&v.name),
            shown_value(&v.name, &v.old),
            shown_value(&v.name, &v.new)
        );
    }
}

/// A value on one line for a person: money (a name ending in `micros`) in currency
/// units, floats rounded.
fn shown_value(name: &str, v: &Option<Value>) -> String {
    let unit = Unit::of_name(name);
    v.as_ref().map_or("(none)".to_owned(), |v| {
        esc(&number(v, unit.as_ref())).into_owned()
    })
}

/// `uses: 8 >= 10 fails → 8 >= 8 passes`, escaped for the terminal.
pub(crate) fn flip(f: &CheckFlip) -> String {
    esc(&flip_words(f)).into_owned()
}

/// The same words unescaped, for formats that escape by their own rules: each side, and
/// what differs when more than the result (`threshold moved`).
pub(crate) fn flip_words(f: &CheckFlip) -> String {
    let side = |r: &Option<CheckResult>| r.as_ref().map_or("(none)".to_owned(), result);
    let mut words = format!("{}: {} → {}", f.label, side(&f.old), side(&f.new));
    let named: Vec<&str> = f
        .differences
        .iter()
        .filter(|d| **d != crate::audit::compare::CheckDifference::PassFlipped)
        .map(|d| d.as_str())
        .collect();
    if !named.is_empty() {
        let _ = write!(words, " ({})", named.join(", "));
    }
    words
}

fn result(r: &CheckResult) -> String {
    let unit = r.unit.as_ref();
    format!(
        "{} {} {} {}",
        number(&r.actual, unit),
        r.op,
        number(&r.threshold, unit),
        if r.pass { "passes" } else { "fails" }
    )
}

/// A JSON value for a person: micro-units (`unit` `micros`) as currency units with two
/// decimals, other floats rounded to four, strings as they are.
pub(crate) fn number(value: &Value, unit: Option<&Unit>) -> String {
    match (value.as_f64(), value) {
        (Some(x), _) if unit == Some(&Unit::Micros) => crate::money::format_micros(x),
        (Some(x), Value::Number(n)) if n.is_f64() => rounded(x),
        (_, Value::String(s)) => s.clone(),
        _ => value.to_string(),
    }
}

/// A float with at most four decimals, trailing zeros dropped: `0.8333`, `1585690`.
fn rounded(x: f64) -> String {
    let text = format!("{x:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}
