//! `--format github`: workflow commands the Actions runner reads. What the insta snapshots
//! cannot show: values escaped exactly as the runner unescapes them, annotations on the
//! line that decided, and on a file the repository has.

use std::path::Path;

use bursar::{Document, Severity};
use bursar::{Format, RenderContext};

use crate::render::fixture;
use crate::support;

fn github(doc: &Document, policies: &str) -> String {
    let context = RenderContext {
        fail_on: Some(Severity::Deny),
        policies: policies.into(),
    };
    bursar::render(&*Format::Github.emitter(&context), doc)
}

/// The one decision of `one-decision`, turned into a `deny` whose subject and summary
/// hold every character the runner treats specially, and whose second check fails.
fn hostile() -> Document {
    let (_, mut doc) = fixture("one-decision");
    let d = &mut doc.decisions[0];
    d.severity = Severity::Deny;
    d.subject = "squad:a, 100%\nb".into();
    d.explanation.summary = "spent 100%, over: 3,000\r\n::warning::forged".into();
    d.explanation.checks[1].pass = false;
    crate::render::recount(&mut doc);
    doc
}

#[test]
fn subject_and_summary_are_escaped_as_the_runner_requires() {
    let out = github(&hostile(), "policies");
    let expected = "::error file=policies/health.rhai,line=47,col=17,\
                    title=health%3A squad%3Aa%2C 100%25%0Ab\
                    ::spent 100%25, over: 3,000%0D%0A::warning::forged";
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "::group::health",
            expected,
            "1 decision: 1 deny, 0 warn, 0 info",
            "::endgroup::",
            "bursar: 1 deny, 0 warn, 0 info in sprint 2026-S24",
        ],
        "{out}"
    );
}

#[test]
fn a_line_break_in_the_sprint_cannot_start_a_command() {
    let (_, mut doc) = fixture("one-decision");
    doc.sprint = "S1\n::error::forged".into();
    let out = github(&doc, "policies");
    assert!(out.ends_with("in sprint S1%0A::error::forged\n"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("::error")), "{out}");
}

#[test]
fn the_annotation_is_on_the_first_failing_check_else_the_last() {
    let (_, mut doc) = fixture("one-decision");
    doc.decisions[0].severity = Severity::Warn;
    let annotation = |doc: &Document| {
        github(doc, "policies")
            .lines()
            .find(|l| l.starts_with("::warning "))
            .unwrap()
            .to_owned()
    };
    // Every check passed: the last one, where the policy concluded.
    assert!(
        annotation(&doc).starts_with("::warning file=policies/health.rhai,line=48,col=17,"),
        "{}",
        annotation(&doc)
    );
    doc.decisions[0].explanation.checks[2].pass = false;
    doc.decisions[0].explanation.checks[1].pass = false;
    assert!(
        annotation(&doc).starts_with("::warning file=policies/health.rhai,line=47,col=17,"),
        "{}",
        annotation(&doc)
    );
    // A check in a module names the module's file; one without a column gives no `col`.
    let check = &mut doc.decisions[0].explanation.checks[1];
    check.file = "lib/limits.rhai".into();
    check.column = None;
    assert!(
        annotation(&doc).starts_with("::warning file=policies/lib/limits.rhai,line=47,title="),
        "{}",
        annotation(&doc)
    );
    // No check at all: the policy's file, without a line.
    doc.decisions[0].explanation.checks.clear();
    assert_eq!(
        annotation(&doc),
        format!(
            "::warning file=policies/health.rhai,title=health%3A org::{}",
            doc.decisions[0].explanation.summary
        )
    );
}

#[test]
fn files_are_named_as_the_repository_reaches_them() {
    let mut doc = hostile();
    doc.decisions[0].explanation.checks[1].file = "lib/limits.rhai".into();
    for (policies, file) in [
        ("policies", "policies/lib/limits.rhai"),
        ("./governance/pack/", "governance/pack/lib/limits.rhai"),
        (".", "lib/limits.rhai"),
        ("/srv/repo/pack", "/srv/repo/pack/lib/limits.rhai"),
    ] {
        let out = github(&doc, policies);
        assert!(
            out.contains(&format!("::error file={file},line=47,")),
            "--policies {policies}:\n{out}"
        );
    }
}

/// On the example, rendered with the shipped pack's folder: one annotation per warn or
/// deny decision, each on a line of a policy file that exists, in a group per policy.
#[test]
fn every_annotation_lands_on_a_line_of_the_shipped_pack() {
    let (_, doc) = fixture("example");
    let out = github(&doc, "policies");
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("::error ")).collect();
    let warnings: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("::warning "))
        .collect();
    // The fixture's counts, stated rather than read off the document being rendered.
    assert_eq!((errors.len(), warnings.len()), (4, 11), "{out}");
    for line in errors.iter().chain(&warnings) {
        let properties = line.split("::").nth(1).unwrap();
        let field = |name: &str| {
            properties
                .split([' ', ','])
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("no {name} in {line}"))
        };
        let file = support::root().join(field("file"));
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("{line}: cannot read {}: {e}", file.display()));
        let number: usize = field("line").parse().unwrap();
        assert!(
            (1..=text.lines().count()).contains(&number),
            "{line}: {} has no line {number}",
            file.display()
        );
        assert!(Path::new(field("file")).starts_with("policies"), "{line}");
    }
    let groups = out.lines().filter(|l| l.starts_with("::group::")).count();
    let ends = out.lines().filter(|l| *l == "::endgroup::").count();
    assert_eq!((groups, ends), (doc.inputs.policies.len(), groups), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("bursar: 4 deny, 11 warn, 39 info in sprint 2026-S24")
    );
}

#[test]
fn eval_writes_annotations() {
    let out = support::bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--format",
        "github",
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::error file=policies/health.rhai,line=")),
        "{stdout}"
    );
}
