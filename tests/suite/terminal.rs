//! Terminal output cannot be forged: ids, subjects, outcomes, summaries, file names and
//! printed lines carrying control characters (ESC, BEL, CR, LF, C1, DEL) or bidi
//! overrides reach every human-readable output escaped, never raw. Each test runs the
//! real command and inspects the bytes it wrote.

use std::path::Path;
use std::process::Output;

use unicode_width::UnicodeWidthStr;

use crate::support::{self, bursar};

/// A squad id, name and org built to attack a terminal: colour, a bell, a newline that
/// would start a row of its own, a carriage return, bidi overrides and isolates, a C1
/// control and DEL, then CJK that must stay as written.
const HOSTILE: &str = "x\u{1b}[31mred\u{1b}[0m\u{7}bell\nforged row\r\u{202e}txt\u{2066}\u{200f}\u{61c}\u{85}\u{7f} 漢字";

/// Whether a character may not reach a terminal raw: stated here, not borrowed from the
/// code under test. A newline ends a line bursar writes; every other C0 control, DEL,
/// C1, and the bidi marks, overrides and isolates are forbidden.
fn forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n')
        || (0x7f..=0x9f).contains(&u)
        || matches!(u, 0x061c | 0x200e | 0x200f | 0x202a..=0x202e | 0x2066..=0x2069)
}

/// Fails, naming `what`, if `bytes` hold any forbidden character.
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| forbidden(c)) {
        panic!("{what}: raw {c:?} at byte {at}:\n{}", text.escape_debug());
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// A policy that decides every squad with a hostile outcome, puts the squad's id and
/// name in its summary and a check's label, prints the name, and describes itself with
/// an escape sequence.
fn policy(outcome: &str) -> String {
    format!(
        "const POLICY = \"hostile\";
const DESCRIPTION = \"echoes \\x1b[2J names\";
const READS = [];
for s in facts.squads {{
    let d = decision(s.id);
    print(`printed ${{s.name}}`);
    d.check(`headcount of ${{s.name}}`, s.headcount, \">=\", 1);
    d.summary(`summary for ${{s.id}} (${{s.name}})`);
    d.record(\"{outcome}\", \"deny\");
}}
"
    )
}

/// The folder: `new/` and `old/` packs (outcomes differ, so `impact` lists every squad),
/// and the example snapshot with a hostile squad and org, under a hostile file name.
struct Setup {
    dir: tempfile::TempDir,
    snapshot: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    for (pack, outcome) in [("new", "deny\\x1b[0m\\nrow"), ("old", "keep\\u202e")] {
        std::fs::create_dir(dir.path().join(pack)).unwrap();
        std::fs::write(dir.path().join(pack).join("hostile.rhai"), policy(outcome)).unwrap();
    }
    let text = std::fs::read_to_string(support::example()).unwrap();
    let mut snapshot: serde_json::Value = serde_json::from_str(&text).unwrap();
    snapshot["squads"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"id": HOSTILE, "name": HOSTILE, "headcount": 3}));
    snapshot["org"] = "acme\u{1b}]0;title\u{7}".into();
    let path = dir.path().join("sprint\u{1b}[2J\u{202e}.json");
    std::fs::write(&path, serde_json::to_string(&snapshot).unwrap()).unwrap();
    Setup {
        snapshot: path.to_str().unwrap().to_owned(),
        dir,
    }
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_owned()
}

#[test]
fn eval_text_the_failure_summary_and_printed_lines_are_escaped() {
    let s = setup();
    let new = path(s.dir.path(), "new");
    let out = bursar(&[
        "eval",
        "--snapshot",
        &s.snapshot,
        "--policies",
        &new,
        "--format",
        "text",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_clean("eval --format text", &out.stdout);
    assert_clean(
        "eval's stderr (printed lines, failure summary)",
        &out.stderr,
    );
    let text = stdout(&out);
    // A newline in a subject cannot forge a row: the table is its header and one row a
    // squad of the snapshot (12 in the example, plus the hostile one), each on its line.
    let table: Vec<&str> = text.lines().skip(3).collect();
    assert_eq!(table.len(), 1 + 13, "{text}");
    assert!(table.iter().all(|l| l.starts_with("  ")), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("forged")), "{text}");
    assert!(text.contains("  x\\u{1b}[31mred"), "{text}");
    assert!(
        text.contains("\\u{7f} 漢字"),
        "CJK stays as written:\n{text}"
    );
    assert!(text.contains("(acme\\u{1b}]0;title\\u{7})"), "{text}");
    // Columns stay aligned on the escaped text: every row's outcome starts in one
    // terminal column (CJK counts two).
    let column = |l: &str| l[..l.find("deny\\u{1b}").unwrap()].width();
    let rows: Vec<&&str> = table.iter().skip(1).collect();
    assert!(rows.iter().all(|l| column(l) == column(rows[0])), "{text}");
    let err = stderr(&out);
    assert!(err.contains("printed x\\u{1b}[31mred"), "{err}");
    assert!(!err.lines().any(|l| l.starts_with("forged")), "{err}");
}

#[test]
fn impact_text_is_escaped() {
    let s = setup();
    let (new, old) = (path(s.dir.path(), "new"), path(s.dir.path(), "old"));
    let out = bursar(&[
        "impact",
        "--policies",
        &new,
        "--against",
        &old,
        "--format",
        "text",
        &s.snapshot,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_clean("impact --format text", &out.stdout);
    assert_clean("impact's stderr", &out.stderr);
    let text = stdout(&out);
    assert!(text.contains("sprint\\u{1b}[2J\\u{202e}.json"), "{text}");
    assert!(
        text.contains("keep\\u{202e} (deny) → deny\\u{1b}[0m\\nrow"),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with("forged")), "{text}");
}

#[test]
fn the_check_listing_is_escaped() {
    let s = setup();
    let out = bursar(&["check", "--policies", &path(s.dir.path(), "new")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_clean("check", &out.stdout);
    assert!(
        stdout(&out).contains("echoes \\u{1b}[2J names"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_test_report_is_escaped() {
    let s = setup();
    let pack = s.dir.path().join("new");
    std::fs::create_dir(pack.join("tests")).unwrap();
    // The squad's name is hostile; the case expects an outcome the policy never writes,
    // so the report shows the decision's outcome, summary and check labels.
    let name = serde_json::to_string(HOSTILE).unwrap();
    let case = format!(
        "hostile plain keep\n--- snapshot\n{{\"squads\": [{{\"id\": \"plain\", \"name\": {name}, \"headcount\": 3}}]}}\n"
    );
    std::fs::write(pack.join("tests/hostile.case"), case).unwrap();
    let out = bursar(&["test", "--policies", pack.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_clean("test --format text", &out.stdout);
    assert_clean("test's stderr", &out.stderr);
    let text = stdout(&out);
    assert!(
        text.contains("decided `deny\\u{1b}[0m\\nrow` (deny)"),
        "{text}"
    );
    assert!(text.contains("headcount of x\\u{1b}[31mred"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("forged")), "{text}");
}

#[test]
fn error_diagnostics_escape_the_message_the_source_line_and_printed_lines() {
    let s = setup();
    let pack = s.dir.path().join("broken");
    std::fs::create_dir(&pack).unwrap();
    // A raw ESC and RLO in the source line itself, and in the thrown message.
    std::fs::write(
        pack.join("broken.rhai"),
        "const POLICY = \"broken\";\nconst DESCRIPTION = \"throws\";\nconst READS = [];\n\
         print(\"before \\x1b[2J the \\u202E end\");\n\
         let s = \"raw \u{1b}[31m here \u{202e}\";  throw `boom ${s}`;\n",
    )
    .unwrap();
    let out = bursar(&[
        "eval",
        "--snapshot",
        &s.snapshot,
        "--policies",
        pack.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_clean("a policy error", &out.stderr);
    let err = stderr(&out);
    assert!(
        err.contains("threw an error: boom raw \\u{1b}[31m here \\u{202e}"),
        "{err}"
    );
    assert!(
        err.contains("broken.rhai: before \\u{1b}[2J the \\u{202e} end"),
        "{err}"
    );
    // The caret stays under `throw`, past the escapes as shown.
    let lines: Vec<&str> = err.lines().collect();
    let code = lines
        .iter()
        .position(|l| l.trim_start().starts_with("5 | "))
        .unwrap();
    let caret = lines[code + 1].find('^').unwrap();
    assert_eq!(&lines[code][caret..caret + 5], "throw", "{err}");

    // A file name as given, in an error that is not about a policy.
    let missing = path(s.dir.path(), "missing\u{1b}[2J\u{7}.json");
    let out = bursar(&[
        "eval",
        "--snapshot",
        &missing,
        "--policies",
        &path(s.dir.path(), "new"),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_clean("a missing snapshot", &out.stderr);
    assert!(
        stderr(&out).contains("missing\\u{1b}[2J\\u{7}.json"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn validate_is_escaped() {
    let s = setup();
    let out = bursar(&["validate", &s.snapshot]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_clean("validate", &out.stdout);

    // An invalid snapshot's problems quote ids and keys as written: escaped.
    let text = std::fs::read_to_string(&s.snapshot).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let squads = doc["squads"].as_array_mut().unwrap();
    squads.push(squads.last().unwrap().clone());
    doc["\u{1b}[2Junknown\n"] = 1.into();
    let invalid = path(s.dir.path(), "invalid.json");
    std::fs::write(&invalid, serde_json::to_string(&doc).unwrap()).unwrap();
    let out = bursar(&["validate", &invalid]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_clean("an invalid snapshot", &out.stderr);
    assert!(stderr(&out).contains("x\\u{1b}[31mred"), "{}", stderr(&out));
}

#[test]
fn the_commands_own_stderr_lines_escape_file_names() {
    let s = setup();
    let pack = s.dir.path().join("throws\u{1b}[2J");
    std::fs::create_dir_all(pack.join("tests")).unwrap();
    std::fs::write(
        pack.join("throws.rhai"),
        "const POLICY = \"throws\";\nconst DESCRIPTION = \"throws\";\nconst READS = [];\nthrow \"no\";\n",
    )
    .unwrap();
    std::fs::write(
        pack.join("tests/case\u{7}\u{202e}.case"),
        "throws plain none\n--- snapshot\n{}\n",
    )
    .unwrap();
    // `test` names the case it was running when the policy failed.
    let out = bursar(&["test", "--policies", pack.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_clean("test's stderr on a policy error", &out.stderr);
    assert!(
        stderr(&out).contains("case\\u{7}\\u{202e}.case"),
        "{}",
        stderr(&out)
    );
    // `impact` names the snapshot and the pack it was evaluating.
    let out = bursar(&[
        "impact",
        "--policies",
        pack.to_str().unwrap(),
        "--against",
        &path(s.dir.path(), "old"),
        &s.snapshot,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_clean("impact's stderr on a policy error", &out.stderr);
    assert!(
        stderr(&out).contains("throws\\u{1b}[2J"),
        "{}",
        stderr(&out)
    );
}
