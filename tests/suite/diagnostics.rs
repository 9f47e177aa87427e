//! Policy diagnostics in the author's words, in both error formats: a syntax error, a
//! runtime error, a limit hit and a misspelled fact, each pinned as people read it (the
//! source with the mistake underlined, and a hint) and as tools read it (one JSON object
//! per line on stderr, nothing on stdout). Also: colour only when asked, long lines cut
//! around the mistake, and `test` and `check` taking the same path.

use std::process::Output;

use crate::support::bursar;

/// The fixture packs, each with one deliberate mistake, and the flags each runs with.
const CASES: &[(&str, &[&str])] = &[
    ("syntax", &[]),
    ("runtime", &[]),
    ("limit", &["--max-operations", "5000"]),
    ("field", &[]),
];

fn eval(pack: &str, flags: &[&str], format: &str) -> Output {
    let policies = format!("tests/fixtures/diagnostics/{pack}");
    let mut args = vec![
        "--error-format",
        format,
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--policies",
        &policies,
    ];
    args.extend(flags);
    bursar(&args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Parses every stderr line as one JSON object: nothing else may be there.
fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    stderr(out)
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not one JSON object per line ({e}): {line}"))
        })
        .collect()
}

#[test]
fn each_kind_of_mistake_is_pinned_in_both_formats() {
    for (pack, flags) in CASES {
        let human = eval(pack, flags, "human");
        assert_eq!(human.status.code(), Some(2), "{}", stderr(&human));
        assert!(human.stdout.is_empty(), "{pack}: wrote to stdout");
        insta::assert_snapshot!(format!("human_{pack}"), stderr(&human));

        let json = eval(pack, flags, "json");
        assert_eq!(json.status.code(), Some(2), "{}", stderr(&json));
        assert!(json.stdout.is_empty(), "{pack}: wrote to stdout");
        let objects = json_lines(&json);
        assert_eq!(objects.len(), 1, "{}", stderr(&json));
        let object = &objects[0];
        for key in [
            "severity", "code", "message", "file", "line", "column", "span", "hint",
        ] {
            assert!(object.get(key).is_some(), "{pack}: no `{key}` in {object}");
        }
        insta::assert_json_snapshot!(format!("json_{pack}"), object);
    }
}

/// The underline covers the whole token the mistake is about, not one character.
#[test]
fn the_underline_covers_the_token() {
    let out = eval("field", &[], "human");
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    let code = lines
        .iter()
        .position(|l| l.contains("s.exploraton_tokens"))
        .expect("the source line is shown");
    let under = lines[code + 1];
    let start = under.find('^').expect("an underline");
    let width = under[start..].chars().take_while(|&c| c == '^').count();
    assert_eq!(
        &lines[code][start..start + width],
        "exploraton_tokens",
        "{err}"
    );
}

/// The words Rhai uses inside never reach the author.
#[test]
fn rhai_internals_are_translated() {
    for (pack, flags) in CASES {
        let err = stderr(&eval(pack, flags, "human"));
        for internal in [
            "getter",
            "i64",
            "f64",
            "ImmutableString",
            "&str",
            "`()`",
            "'()'",
            "Array",
            "rhai::",
        ] {
            assert!(!err.contains(internal), "{pack}: `{internal}` in {err}");
        }
    }
}

/// A diagnostic outside a policy (a snapshot that cannot be read) is JSON too, and an
/// unknown flag's error as well.
#[test]
fn every_error_takes_the_json_path() {
    let out = bursar(&[
        "--error-format",
        "json",
        "validate",
        "tests/errors/snapshots/duplicate-ids.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let objects = json_lines(&out);
    assert_eq!(objects[0]["code"], "invalid-snapshot", "{objects:?}");
    assert!(!objects[0]["problems"].as_array().unwrap().is_empty());

    let out = bursar(&["--error-format", "json", "validate", "no-such-file.json"]);
    assert_eq!(out.status.code(), Some(2));
    let objects = json_lines(&out);
    assert_eq!(objects[0]["code"], "cannot-read", "{objects:?}");
    assert_eq!(objects[0]["file"], "no-such-file.json", "{objects:?}");
}

/// `check` reports a syntax error as `eval` refuses it (as a finding: exit 1); `test`
/// says which case it was running, in both formats, and nothing else reaches stderr in
/// JSON.
#[test]
fn check_and_test_render_the_same_diagnostic() {
    for format in ["human", "json"] {
        let eval = eval("syntax", &[], format);
        let check = bursar(&[
            "--error-format",
            format,
            "check",
            "--policies",
            "tests/fixtures/diagnostics/syntax",
        ]);
        assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
        assert!(
            stderr(&check).starts_with(&stderr(&eval)),
            "{format}: {}\n{}",
            stderr(&check),
            stderr(&eval)
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path();
    std::fs::create_dir(pack.join("tests")).unwrap();
    std::fs::copy(
        "tests/fixtures/diagnostics/runtime/runtime.rhai",
        pack.join("runtime.rhai"),
    )
    .unwrap();
    let case = pack.join("tests/one.case");
    std::fs::write(
        &case,
        "runtime alpha ok\n--- snapshot\n{\"squads\": [{\"id\": \"alpha\", \"headcount\": 3}]}\n",
    )
    .unwrap();
    let run = |format: &str| {
        bursar(&[
            "--error-format",
            format,
            "test",
            "--policies",
            pack.to_str().unwrap(),
        ])
    };
    let human = run("human");
    assert_eq!(human.status.code(), Some(2), "{}", stderr(&human));
    let err = stderr(&human);
    assert!(
        err.starts_with(&format!(
            "while running the case `{}`:\nerror: {}:8:13: `-` cannot be applied to a string",
            case.display(),
            pack.join("runtime.rhai").display()
        )),
        "{err}"
    );
    let json = run("json");
    assert_eq!(json.status.code(), Some(2), "{}", stderr(&json));
    assert!(json.stdout.is_empty());
    let objects = json_lines(&json);
    assert_eq!(objects.len(), 1, "{}", stderr(&json));
    assert_eq!(objects[0]["code"], "wrong-type");
    assert_eq!(
        objects[0]["context"][0],
        format!("while running the case `{}`", case.display())
    );
}
