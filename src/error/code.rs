//! The stable names of the kinds of mistake bursar reports (`unknown-field`, `syntax`...):
//! one list, from which the code, its meaning and the commands that report it are all
//! read, so the manual's table of codes is generated and cannot drift from the engine.

/// A stable name for the kind of mistake, for editors and `--error-format json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// `syntax`: the file does not parse (a missing `;`, `)` or `}`, a misspelt keyword).
    Syntax,
    /// `declaration`: `POLICY` missing, a declaration of the wrong type, an unknown `DECIDES` domain.
    Declaration,
    /// `duplicate-policy`: two policies with one name.
    DuplicatePolicy,
    /// `unknown-policy`: `READS` or `decisions("p")` naming a policy the pack lacks.
    UnknownPolicy,
    /// `reads-cycle`: policies that read each other in a cycle.
    ReadsCycle,
    /// `missing-reads`: `decisions("p")` in a policy that does not list `p` in `READS`.
    MissingReads,
    /// `unknown-field`: a fact (or other value) has no field of that name.
    UnknownField,
    /// `unknown-key`: a map has no such key (read it with `.get(key) ?? default`).
    UnknownKey,
    /// `unknown-variable`: a name used before it is declared.
    UnknownVariable,
    /// `unknown-function`: no function of that name takes arguments of those types.
    UnknownFunction,
    /// `unknown-operator`: an operator literal in `d.check` that is not allowed.
    UnknownOperator,
    /// `unknown-unit`: a unit literal in `d.check` that is not allowed.
    UnknownUnit,
    /// `unknown-severity`: a severity literal in `d.record` that is not allowed.
    UnknownSeverity,
    /// `wrong-type`: an operator, a function or a check given a value of the wrong type.
    WrongType,
    /// `absent-value`: an absent value (nothing) used as if it were there.
    AbsentValue,
    /// `index-out-of-range`: an index past the end of a list or a string.
    IndexOutOfRange,
    /// `arithmetic`: division by zero, an overflow.
    Arithmetic,
    /// `constant`: an assignment to a constant.
    Constant,
    /// `read-only`: an assignment to a field of a fact.
    ReadOnly,
    /// `undeclared-outcome`: `d.record("label", ..)` with a label missing from the policy's `const OUTCOMES`.
    UndeclaredOutcome,
    /// `repeated-declaration`: a constant declared twice at the top of a file.
    RepeatedDeclaration,
    /// `string-arithmetic`: `-`, `*`, `/`, `%` or `**` on a string.
    StringArithmetic,
    /// `string-number-comparison`: a string compared with a number: never equal.
    StringNumberComparison,
    /// `unknown-case-value`: a value name in a case of the pack's `tests/` that the policy never records.
    UnknownCaseValue,
    /// `unknown-value`: a value read from `decisions("q")` that `q` never records.
    UnknownValue,
    /// `dangling-because`: `d.because(..)` naming a decision that is not in the document.
    DanglingBecause,
    /// `limit`: a limit was reached: the hint names the flag that raises it.
    Limit,
    /// `not-allowed`: what the sandbox forbids (`eval`, `curry`, the clock, files...).
    NotAllowed,
    /// `thrown`: the policy's own `throw`.
    Thrown,
    /// `runtime`: any other error while the policy ran.
    Runtime,
    /// `policy-error`: a broken declaration, decision or pack (`READS`, `DECIDES`, `record`...).
    PolicyError,
    /// `invalid-snapshot`: the snapshot (or a case) does not meet the schema or the handbook.
    InvalidSnapshot,
    /// `invalid-json`: an input is not JSON.
    InvalidJson,
    /// `cannot-read`: a file could not be read.
    CannotRead,
    /// `cannot-write`: a file could not be written.
    CannotWrite,
    /// `too-large`: a file does not fit in memory.
    TooLarge,
    /// `over-limit`: an input is past a size limit: the message names the flag that raises it.
    OverLimit,
    /// `error`: anything else (an argument, the machine).
    Error,
}

/// Which commands report a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReportedBy {
    /// Only `bursar check`, reading the pack as written.
    Check,
    /// `check` when it compiles the pack, and every command that runs policies.
    Compiling,
    /// Every command that runs policies (`eval`, `test`, `impact`, `trends`...), while
    /// they run.
    Running,
    /// Any command.
    Any,
}

impl ReportedBy {
    /// The commands, as the manual's table says them.
    #[cfg(test)]
    pub fn words(self) -> &'static str {
        match self {
            ReportedBy::Check => "`check`",
            ReportedBy::Compiling => "`check` and every command that runs policies",
            ReportedBy::Running => "every command that runs policies",
            ReportedBy::Any => "any command",
        }
    }
}

impl Code {
    /// Every code, in the order the manual lists them.
    pub const ALL: [Code; 38] = [
        Code::Syntax,
        Code::Declaration,
        Code::DuplicatePolicy,
        Code::UnknownPolicy,
        Code::ReadsCycle,
        Code::MissingReads,
        Code::UnknownField,
        Code::UnknownKey,
        Code::UnknownVariable,
        Code::UnknownFunction,
        Code::UnknownOperator,
        Code::UnknownUnit,
        Code::UnknownSeverity,
        Code::WrongType,
        Code::AbsentValue,
        Code::IndexOutOfRange,
        Code::Arithmetic,
        Code::Constant,
        Code::ReadOnly,
        Code::UndeclaredOutcome,
        Code::RepeatedDeclaration,
        Code::StringArithmetic,
        Code::StringNumberComparison,
        Code::UnknownCaseValue,
        Code::UnknownValue,
        Code::DanglingBecause,
        Code::Limit,
        Code::NotAllowed,
        Code::Thrown,
        Code::Runtime,
        Code::PolicyError,
        Code::InvalidSnapshot,
        Code::InvalidJson,
        Code::CannotRead,
        Code::CannotWrite,
        Code::TooLarge,
        Code::OverLimit,
        Code::Error,
    ];

    /// The name as written in `--error-format json` and the manual.
    pub fn as_str(self) -> &'static str {
        self.describe().0
    }

    /// What is wrong, in one line.
    pub fn meaning(self) -> &'static str {
        self.describe().1
    }

    /// Which commands report it.
    #[cfg(test)]
    pub(crate) fn reported_by(self) -> ReportedBy {
        self.describe().2
    }

    /// The code's name, meaning and commands, side by side so none is forgotten.
    // long: a table, one arm a code, read down the page like the manual's.
    fn describe(self) -> (&'static str, &'static str, ReportedBy) {
        use ReportedBy::*;
        match self {
            Code::Syntax => (
                "syntax",
                "the file does not parse (a missing `;`, `)` or `}`, a misspelt keyword)",
                Compiling,
            ),
            Code::Declaration => (
                "declaration",
                "`POLICY` missing, a declaration of the wrong type, an unknown `DECIDES` domain",
                Check,
            ),
            Code::DuplicatePolicy => ("duplicate-policy", "two policies with one name", Check),
            Code::UnknownPolicy => (
                "unknown-policy",
                "`READS` or `decisions(\"p\")` naming a policy the pack lacks",
                Check,
            ),
            Code::ReadsCycle => (
                "reads-cycle",
                "policies that read each other in a cycle",
                Check,
            ),
            Code::MissingReads => (
                "missing-reads",
                "`decisions(\"p\")` in a policy that does not list `p` in `READS`",
                Check,
            ),
            Code::UnknownField => (
                "unknown-field",
                "a fact (or other value) has no field of that name",
                Compiling,
            ),
            Code::UnknownKey => (
                "unknown-key",
                "a map has no such key (read it with `.get(key) ?? default`)",
                Running,
            ),
            Code::UnknownVariable => (
                "unknown-variable",
                "a name used before it is declared",
                Compiling,
            ),
            Code::UnknownFunction => (
                "unknown-function",
                "no function of that name takes arguments of those types",
                Running,
            ),
            Code::UnknownOperator => (
                "unknown-operator",
                "an operator literal in `d.check` that is not allowed",
                Check,
            ),
            Code::UnknownUnit => (
                "unknown-unit",
                "a unit literal in `d.check` that is not allowed",
                Check,
            ),
            Code::UnknownSeverity => (
                "unknown-severity",
                "a severity literal in `d.record` that is not allowed",
                Check,
            ),
            Code::WrongType => (
                "wrong-type",
                "an operator, a function or a check given a value of the wrong type",
                Compiling,
            ),
            Code::AbsentValue => (
                "absent-value",
                "an absent value (nothing) used as if it were there",
                Running,
            ),
            Code::IndexOutOfRange => (
                "index-out-of-range",
                "an index past the end of a list or a string",
                Running,
            ),
            Code::Arithmetic => ("arithmetic", "division by zero, an overflow", Running),
            Code::Constant => ("constant", "an assignment to a constant", Compiling),
            Code::ReadOnly => ("read-only", "an assignment to a field of a fact", Running),
            Code::UndeclaredOutcome => (
                "undeclared-outcome",
                "`d.record(\"label\", ..)` with a label missing from the policy's `const OUTCOMES`",
                Check,
            ),
            Code::RepeatedDeclaration => (
                "repeated-declaration",
                "a constant declared twice at the top of a file",
                Check,
            ),
            Code::StringArithmetic => (
                "string-arithmetic",
                "`-`, `*`, `/`, `%` or `**` on a string",
                Check,
            ),
            Code::StringNumberComparison => (
                "string-number-comparison",
                "a string compared with a number: never equal",
                Check,
            ),
            Code::UnknownCaseValue => (
                "unknown-case-value",
                "a value name in a case of the pack's `tests/` that the policy never records",
                Check,
            ),
            Code::UnknownValue => (
                "unknown-value",
                "a value read from `decisions(\"q\")` that `q` never records",
                Check,
            ),
            Code::DanglingBecause => (
                "dangling-because",
                "`d.because(..)` naming a decision that is not in the document",
                Running,
            ),
            Code::Limit => (
                "limit",
                "a limit was reached: the hint names the flag that raises it",
                Compiling,
            ),
            Code::NotAllowed => (
                "not-allowed",
                "what the sandbox forbids (`eval`, `curry`, the clock, files...)",
                Compiling,
            ),
            Code::Thrown => ("thrown", "the policy's own `throw`", Running),
            Code::Runtime => ("runtime", "any other error while the policy ran", Running),
            Code::PolicyError => (
                "policy-error",
                "a broken declaration, decision or pack (`READS`, `DECIDES`, `record`...)",
                Compiling,
            ),
            Code::InvalidSnapshot => (
                "invalid-snapshot",
                "the snapshot (or a case) does not meet the schema or the handbook",
                Any,
            ),
            Code::InvalidJson => ("invalid-json", "an input is not JSON", Any),
            Code::CannotRead => ("cannot-read", "a file could not be read", Any),
            Code::CannotWrite => ("cannot-write", "a file could not be written", Any),
            Code::TooLarge => ("too-large", "a file does not fit in memory", Any),
            Code::OverLimit => (
                "over-limit",
                "an input is past a size limit: the message names the flag that raises it",
                Any,
            ),
            Code::Error => ("error", "anything else (an argument, the machine)", Any),
        }
    }

    /// The manual's table of codes, in Markdown (`docs/src/reference/codes.md`).
    #[cfg(test)]
    pub(crate) fn table() -> String {
        let mut out = String::from("| code | what is wrong | reported by |\n|---|---|---|\n");
        for code in Code::ALL {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                code.as_str(),
                code.meaning(),
                code.reported_by().words()
            ));
        }
        out
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Code, ReportedBy};

    /// The file of the manual that holds the table of codes, and the lines around it.
    const MANUAL: &str = "docs/src/reference/codes.md";
    const TABLE_BEGINS: &str =
        "<!-- the table of codes is generated from `Code` (src/error/code.rs) -->";
    const TABLE_ENDS: &str = "<!-- end of the generated table -->";

    fn read(path: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The manual's table is the one `Code::table` writes; `BURSAR_UPDATE_DOCS=1` rewrites
    /// it in place (then review `git diff`).
    #[test]
    fn the_manuals_table_of_codes_is_generated() {
        let manual = read(MANUAL);
        let (before, rest) = manual
            .split_once(TABLE_BEGINS)
            .unwrap_or_else(|| panic!("{MANUAL} has no line `{TABLE_BEGINS}`"));
        let (table, after) = rest
            .split_once(TABLE_ENDS)
            .unwrap_or_else(|| panic!("{MANUAL} has no line `{TABLE_ENDS}`"));
        let generated = format!("\n{}", Code::table());
        if table != generated && std::env::var_os("BURSAR_UPDATE_DOCS").is_some() {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(MANUAL);
            let text = format!("{before}{TABLE_BEGINS}{generated}{TABLE_ENDS}{after}");
            std::fs::write(path, text).unwrap();
            return;
        }
        assert!(
            table == generated,
            "the table of codes in {MANUAL} is not the one `Code` gives: rerun this test \
             with BURSAR_UPDATE_DOCS=1 and review the diff"
        );
    }

    /// The chapter on `bursar check` names every code only `check` reports.
    #[test]
    fn the_check_chapter_names_every_finding() {
        let chapter = read("docs/src/governance/check.md");
        for code in Code::ALL {
            if code.reported_by() == ReportedBy::Check {
                assert!(
                    chapter.contains(&format!("`{code}`")),
                    "`{code}` is not in check.md"
                );
            }
        }
    }

    /// `ALL` holds every variant in declaration order (`Error` is declared last), and no
    /// two codes share a name.
    #[test]
    fn every_code_is_listed_once_with_its_own_name() {
        for (i, code) in Code::ALL.into_iter().enumerate() {
            assert_eq!(code as usize, i, "`{code}` out of place in `Code::ALL`");
        }
        assert_eq!(Code::Error as usize + 1, Code::ALL.len());
        let names: std::collections::BTreeSet<&str> =
            Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len());
    }
}
