//! What `bursar check` prints: the policies of a compiled pack in evaluation order, with
//! what each declares, then the modules they may import. Names, files and descriptions
//! are escaped for the terminal.

use std::fmt::Write;
use std::path::Path;

use crate::host::Pack;
use crate::text::escape_terminal as esc;

/// The pack at `dir` as a numbered list (name, file, description, `DECIDES`, `READS`),
/// then its modules.
pub fn listing(dir: &Path, pack: &Pack) -> String {
    let count = pack.policies.len();
    let mut out = format!(
        "{}: {count} polic{} compiled, in evaluation order:\n",
        esc(&dir.display().to_string()),
        if count == 1 { "y" } else { "ies" }
    );
    for (i, policy) in pack.policies.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>3}. {} ({})",
            i + 1,
            esc(&policy.name),
            esc(&policy.file)
        );
        if !policy.description.is_empty() {
            let _ = writeln!(out, "     {}", esc(&policy.description));
        }
        if let Some(decides) = &policy.decides {
            let _ = writeln!(
                out,
                "     decides: {} ({})",
                decides.domain.name(),
                decides.domain.promise()
            );
        }
        if !policy.reads.is_empty() {
            let _ = writeln!(out, "     reads: {}", esc(&policy.reads.join(", ")));
        }
    }
    let modules = pack.module_records();
    if !modules.is_empty() {
        let _ = writeln!(
            out,
            "{} compiled, for policies to import:",
            crate::text::count(modules.len(), "module")
        );
        for module in &modules {
            let _ = writeln!(out, "     {}", esc(&module.file));
        }
    }
    out
}
