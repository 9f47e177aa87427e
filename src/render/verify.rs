//! `bursar verify`'s verdict as text: reproduced, or why not: each recorded input that
//! differs from the one given, each decision that differs with the checks, values and
//! other parts that do, the other outputs (totals, warnings) that differ, or, when none
//! does, the first line where the bytes part. Names and values are escaped for the terminal.

use std::fmt::Write;
use std::io;

use super::emitter::Emitter;
use crate::audit::verify::Verdict;
use crate::render::diff::text::{Summaries, field_line, file_line, listing};
use crate::text::{count, escape_terminal as esc};

/// The verdict, with the files as the user named them.
pub struct VerifyText {
    pub document: String,
    pub snapshot: String,
    pub policies: String,
}

impl Emitter<Verdict> for VerifyText {
    fn emit(&self, out: &mut dyn io::Write, verdict: &Verdict) -> io::Result<()> {
        out.write_all(self.text(verdict).as_bytes())
    }
}

impl VerifyText {
    fn text(&self, v: &Verdict) -> String {
        let (document, snapshot, policies) = (
            esc(&self.document),
            esc(&self.snapshot),
            esc(&self.policies),
        );
        let given = format!("snapshot `{snapshot}` and policies `{policies}`");
        if v.reproduced {
            let decisions = v.decisions.unchanged;
            return format!(
                "`{document}` reproduced byte for byte ({}) from {given}\n",
                count(decisions, "decision")
            );
        }
        let mut out = format!("`{document}` is not reproduced by {given}\n");
        if !v.inputs.is_empty() {
            out.push_str("inputs that differ (recorded → given):\n");
            for f in &v.inputs.files {
                let _ = writeln!(out, "  {}", file_line(f));
            }
            for f in &v.inputs.fields {
                let _ = writeln!(out, "  {}", field_line(f));
            }
        }
        let d = &v.decisions;
        if !d.is_empty() {
            let _ = writeln!(
                out,
                "decisions that differ (recorded → re-evaluated): {} changed, {} added, {} removed, {} otherwise changed, {} unchanged",
                d.changed.len(),
                d.added.len(),
                d.removed.len(),
                d.values_changed.as_ref().map_or(0, Vec::len),
                d.unchanged
            );
            out.push_str(&listing(d, Summaries::Last));
        }
        if !v.outputs.is_empty() {
            out.push_str("other outputs that differ (recorded → re-evaluated):\n");
            for f in &v.outputs {
                let _ = writeln!(out, "  {}", field_line(f));
            }
        }
        if v.inputs.is_empty() && d.is_empty() && v.outputs.is_empty() {
            let line = v.first_difference.unwrap_or(1);
            let _ = writeln!(
                out,
                "the inputs and decisions match, but the file differs from what `eval --format json` writes, from line {line}"
            );
        }
        out
    }
}
