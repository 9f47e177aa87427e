//! `eval --report FORMAT=PATH`: more formats from one evaluation, each written as safely
//! as `--out`, checked before anything runs, never two outputs to one place.

use std::path::Path;
use std::process::Output;

use crate::support::bursar;

const EXAMPLE: &str = "examples/sprint-2026-S24.json";
/// A snapshot `eval` refuses (a run of a squad that does not exist): when the error names
/// a report instead, the report was checked before the snapshot was even read.
const BROKEN: &str = "tests/errors/snapshots/unknown-squad.json";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn eval(snapshot: &str, extra: &[&str]) -> Output {
    let mut args = vec!["eval", "-q", "--fail-on", "never", "--snapshot", snapshot];
    args.extend(extra);
    bursar(&args)
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn reports_are_the_formats_of_the_same_evaluation() {
    let dir = tempfile::tempdir().unwrap();
    let (main, text, json) = (
        dir.path().join("decisions.json"),
        dir.path().join("decisions.txt"),
        dir.path().join("copy.json"),
    );
    let out = eval(
        EXAMPLE,
        &[
            "--out",
            arg(&main),
            "--report",
            &format!("text={}", arg(&text)),
            "--report",
            &format!("json={}", arg(&json)),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let alone = |format: &str| eval(EXAMPLE, &["--format", format]).stdout;
    assert_eq!(std::fs::read(&main).unwrap(), alone("json"));
    assert_eq!(std::fs::read(&json).unwrap(), alone("json"));
    assert_eq!(std::fs::read(&text).unwrap(), alone("text"));
}

#[test]
fn a_report_goes_to_stdout_when_out_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("decisions.json");
    let out = eval(EXAMPLE, &["--out", arg(&main), "--report", "text=-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(out.stdout, eval(EXAMPLE, &["--format", "text"]).stdout);
    assert!(main.is_file());
}

/// The formats `eval --help` lists for `--format`: a malformed `--report` must name them
/// all, whichever formats this build has.
fn formats() -> Vec<String> {
    let help = String::from_utf8(bursar(&["eval", "--help"]).stdout).unwrap();
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("--format "))
        .expect("eval --help lists --format");
    let list = line
        .split("[possible values: ")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("--format lists its values");
    list.split(", ").map(str::to_owned).collect()
}

#[test]
fn a_malformed_report_is_a_usage_error_naming_the_formats() {
    let formats = formats();
    assert!(formats.contains(&"json".to_owned()) && formats.contains(&"text".to_owned()));
    for value in ["junit", "=x", "nope=x", "Json=x"] {
        let out = eval(EXAMPLE, &["--report", value]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{value}: {err}");
        assert!(out.stdout.is_empty(), "{value}: nothing ran");
        assert!(
            err.starts_with(&format!("error: invalid value '{value}' for '--report")),
            "{value}: {err}"
        );
        let named = format!("one of: {}\n", formats.join(", "));
        assert!(err.contains(&named), "{value}: {err}");
    }
    let out = eval(EXAMPLE, &["--report", "json="]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no PATH after `json=`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn outputs_that_would_overwrite_each_other_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.json");
    let link = dir.path().join("link.json");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&file, &link).unwrap();
    #[cfg(not(unix))]
    let link = file.clone();
    let dotted = dir.path().join(".").join("out.json");
    let report = |format: &str, path: &Path| format!("{format}={}", arg(path));
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "--out".into(),
                arg(&file).into(),
                "--report".into(),
                report("text", &file),
            ],
            "it is also where --out writes",
        ),
        (
            vec![
                "--out".into(),
                arg(&file).into(),
                "--report".into(),
                report("json", &link),
            ],
            "it is also where --out writes",
        ),
        (
            vec![
                "--report".into(),
                report("text", &file),
                "--report".into(),
                report("json", &dotted),
            ],
            "it is also where the `text` report",
        ),
        (
            vec!["--report".into(), "text=-".into()],
            "standard output is where --format writes",
        ),
        (
            vec!["--report".into(), format!("text={BROKEN}")],
            "it is the snapshot",
        ),
        (
            vec![
                "--report".into(),
                report("text", &dir.path().join("no/such.txt")),
            ],
            "does not exist",
        ),
    ];
    for (args, reason) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = eval(BROKEN, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("error: cannot write `"), "{args:?}: {err}");
        assert!(err.contains(reason), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!file.exists(), "{args:?}: nothing written");
    }
}

/// A report that fails only when written (a socket nobody listens on passes every check
/// made before the run): exit 2 naming it, the outputs before it written whole, the ones
/// after it not written.
#[cfg(unix)]
#[test]
fn a_report_that_cannot_be_written_exits_2_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("dead.sock");
    drop(std::os::unix::net::UnixListener::bind(&socket).unwrap());
    let (main, before, after) = (
        dir.path().join("decisions.json"),
        dir.path().join("before.txt"),
        dir.path().join("after.txt"),
    );
    let out = eval(
        EXAMPLE,
        &[
            "--out",
            arg(&main),
            "--report",
            &format!("text={}", arg(&before)),
            "--report",
            &format!("json={}", arg(&socket)),
            "--report",
            &format!("text={}", arg(&after)),
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(&format!(
            "error: cannot write `{}` (the `json` report): ",
            socket.display()
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(std::fs::read(&main).unwrap(), eval(EXAMPLE, &[]).stdout);
    assert_eq!(
        std::fs::read(&before).unwrap(),
        eval(EXAMPLE, &["--format", "text"]).stdout
    );
    assert!(!after.exists());
}

/// `/dev/stdout` on a pipe leads to `pipe:[N]`, a path that names nothing: telling
/// outputs apart must not need a real path for it.
#[cfg(unix)]
#[test]
fn dev_stdout_is_an_output_like_any_device() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("decisions.json");
    let text = eval(EXAMPLE, &["--format", "text"]).stdout;

    let out = eval(EXAMPLE, &["--format", "text", "--out", "/dev/stdout"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(out.stdout, text);

    let out = eval(
        EXAMPLE,
        &["--out", arg(&main), "--report", "text=/dev/stdout"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(out.stdout, text);

    let out = eval(
        EXAMPLE,
        &["--out", "/dev/stdout", "--report", "text=/dev/stdout"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("it is also where --out writes"),
        "{}",
        stderr(&out)
    );
}
