//! `--format junit`, read back by an independent JUnit parser (`junit-parser`, not the
//! crate that writes it): the suites, cases and failures a CI test reporter would show
//! must be the document's policies, decisions and those at or above `--fail-on`.

use std::path::Path;

use bursar::{Document, Severity};
use bursar::{Format, RenderContext};

use crate::render::{FIXTURES, context, fixture};
use crate::support;

fn junit(doc: &Document, context: &RenderContext) -> junit_parser::TestSuites {
    let xml = bursar::render(&*Format::Junit.emitter(context), doc);
    junit_parser::from_reader(xml.as_bytes())
        .unwrap_or_else(|e| panic!("not JUnit XML a parser reads: {e}\n{xml}"))
}

/// Every suite, case and failure of the report against the document it came from.
fn assert_matches(doc: &Document, context: &RenderContext, name: &str) {
    let report = junit(doc, context);
    let fails = |s: Severity| context.fail_on.is_some_and(|t| s >= t);

    let mut expected_suites: Vec<&str> = doc
        .inputs
        .policies
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    expected_suites.sort_unstable();
    let suites: Vec<&str> = report.suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(suites, expected_suites, "{name}: one suite per policy");

    let failing = doc.decisions.iter().filter(|d| fails(d.severity)).count();
    assert_eq!(report.tests as usize, doc.decisions.len(), "{name}");
    assert_eq!(report.failures as usize, failing, "{name}");
    assert_eq!((report.errors, report.skipped), (0, 0), "{name}");

    for suite in &report.suites {
        let decisions: Vec<_> = doc
            .decisions
            .iter()
            .filter(|d| d.policy == suite.name)
            .collect();
        let failed = suite.cases.iter().filter(|c| c.status.is_failure()).count();
        let expected_failed = decisions.iter().filter(|d| fails(d.severity)).count();
        assert_eq!(suite.cases.len(), decisions.len(), "{name}: {}", suite.name);
        assert_eq!(
            suite.tests as usize,
            decisions.len(),
            "{name}: {}",
            suite.name
        );
        assert_eq!(failed, expected_failed, "{name}: {}", suite.name);
        assert_eq!(suite.failures as usize, expected_failed, "{name}");
        // Nothing that changes between two runs of the same inputs.
        assert!(
            suite.timestamp.is_none() && suite.hostname.is_none(),
            "{name}"
        );
        assert_eq!(suite.time, 0.0, "{name}");

        for (case, decision) in suite.cases.iter().zip(decisions) {
            // `name` is the parser's `classname::name`; `original_name` the attribute.
            assert_eq!(case.original_name, decision.subject, "{name}");
            assert_eq!(case.classname.as_deref(), Some(decision.policy.as_str()));
            assert!(case.timestamp.is_none() && case.time == 0.0, "{name}");
            if !fails(decision.severity) {
                assert!(case.status.is_success(), "{name}: {}", case.name);
                continue;
            }
            let failure = case.status.failure_as_ref();
            assert_eq!(failure.message, decision.explanation.summary, "{name}");
            assert_eq!(failure.failure_type, decision.severity.as_str(), "{name}");
            for check in decision.explanation.checks.iter().filter(|c| !c.pass) {
                let at = format!(
                    "{}:{}:",
                    context.policies.join(&check.file).display(),
                    check.line.expect("fixtures locate their checks")
                );
                assert!(
                    failure.text.lines().any(|l| l.starts_with(&at)),
                    "{name}: the failure of {} does not list `{at}`:\n{}",
                    case.original_name,
                    failure.text
                );
            }
        }
    }
}

#[test]
fn suites_cases_and_failures_match_the_document() {
    for name in FIXTURES {
        let (_, doc) = fixture(name);
        assert_matches(&doc, &context(), name);
    }
}

#[test]
fn fail_on_sets_which_decisions_fail() {
    let (_, doc) = fixture("example");
    let mut failures = Vec::new();
    for fail_on in [Some(Severity::Info), Some(Severity::Warn), None] {
        let context = RenderContext {
            fail_on,
            ..context()
        };
        assert_matches(&doc, &context, &format!("example, fail on {fail_on:?}"));
        failures.push(junit(&doc, &context).failures as usize);
    }
    let t = &doc.totals;
    assert_eq!(failures, [t.decisions, t.warn + t.deny, 0]);
}

#[test]
fn failing_checks_name_the_policy_file_as_the_user_reaches_it() {
    let (_, doc) = fixture("example");
    let context = RenderContext {
        policies: Path::new("governance").join("pack"),
        ..context()
    };
    let report = junit(&doc, &context);
    let health = report.suites.iter().find(|s| s.name == "health").unwrap();
    let text = &health.cases[0].status.failure_as_ref().text;
    let expected = Path::new("governance/pack/health.rhai:42:14")
        .display()
        .to_string();
    assert!(text.contains(&expected), "{text}");
}

#[test]
fn a_policy_that_decided_nothing_is_an_empty_suite() {
    let (_, doc) = fixture("silent-policies");
    let report = junit(&doc, &context());
    let silent: Vec<&str> = report
        .suites
        .iter()
        .filter(|s| s.cases.is_empty() && s.tests == 0)
        .map(|s| s.name.as_str())
        .collect();
    assert!(!silent.is_empty(), "{silent:?}");
    for name in silent {
        assert!(doc.decisions.iter().all(|d| d.policy != name), "{name}");
    }
}

/// Subjects and summaries come from snapshots and policies: XML's special characters in
/// them are escaped, not markup.
#[test]
fn markup_in_subjects_and_summaries_is_text() {
    let (_, mut doc) = fixture("one-decision");
    doc.decisions[0].subject = r#"<squad a="1"> & 'b'"#.into();
    doc.decisions[0].explanation.summary = "x < y && ]]> \"z\" </failure>".into();
    let context = RenderContext {
        fail_on: Some(Severity::Info),
        ..context()
    };
    assert_matches(&doc, &context, "markup");
}

#[test]
fn example_junit_is_pinned() {
    let out = support::bursar(&[
        "eval",
        "--snapshot",
        "examples/sprint-2026-S24.json",
        "--format",
        "junit",
    ]);
    // The example has deny decisions: the report is written and the run fails.
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("example_junit", xml);
}

/// Characters XML 1.0 cannot carry at all, even escaped, which a subject, a summary or a
/// problem may hold (valid JSON, accepted by the loader).
const NOT_XML: &str = "a\u{FFFE}b\u{FFFF}c\u{0}d\u{1}e\u{8}f\u{B}g\u{C}h\u{1B}i\u{1F}j";
/// How both JUnit writers write [`NOT_XML`]: each such character as `\u{XXXX}`.
const NOT_XML_WRITTEN: &str =
    r"a\u{FFFE}b\u{FFFF}c\u{0000}d\u{0001}e\u{0008}f\u{000B}g\u{000C}h\u{001B}i\u{001F}j";

/// `eval --format junit`: the report stays well-formed whatever a subject or summary
/// holds, read back by the independent parser, the characters written as escapes.
#[test]
fn characters_xml_cannot_carry_are_written_as_escapes_by_eval() {
    let (_, mut doc) = fixture("one-decision");
    doc.decisions[0].subject = format!("squad {NOT_XML}");
    doc.decisions[0].explanation.summary = format!("summary {NOT_XML}");
    doc.decisions[0].policy = format!("p{NOT_XML}");
    let context = RenderContext {
        fail_on: Some(Severity::Info),
        ..context()
    };
    let report = junit(&doc, &context);
    let cases: Vec<&junit_parser::TestCase> =
        report.suites.iter().flat_map(|s| s.cases.iter()).collect();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].original_name, format!("squad {NOT_XML_WRITTEN}"));
    assert_eq!(
        cases[0].classname.as_deref(),
        Some(&*format!("p{NOT_XML_WRITTEN}"))
    );
    let failure = match &cases[0].status {
        junit_parser::TestStatus::Failure(f) => f,
        other => panic!("expected a failure, got {other:?}"),
    };
    assert_eq!(failure.message, format!("summary {NOT_XML_WRITTEN}"));
}

/// `test --format junit`: the same for a test run's subjects, problems and file names.
#[test]
fn characters_xml_cannot_carry_are_written_as_escapes_by_test() {
    use bursar::{CaseReport, Outcome, TestReport, Verdict};
    let report = TestReport {
        policies: "policies".into(),
        cases: vec![CaseReport {
            file: format!("tests/{NOT_XML}.case"),
            results: vec![Verdict {
                line: Some(3),
                policy: "topups".into(),
                subject: format!("tu {NOT_XML}"),
                expected: None,
                actual: None,
                outcome: Outcome::Fail,
                problems: vec![format!("outcome is `{NOT_XML}`")],
            }],
        }],
    };
    let xml = bursar::render(&bursar::TestsJunit, &report);
    let parsed = junit_parser::from_reader(xml.as_bytes())
        .unwrap_or_else(|e| panic!("not JUnit XML a parser reads: {e}\n{xml:?}"));
    assert_eq!(parsed.suites.len(), 1);
    assert_eq!(
        parsed.suites[0].name,
        format!("tests/{NOT_XML_WRITTEN}.case")
    );
    let case = &parsed.suites[0].cases[0];
    assert_eq!(case.original_name, format!("tu {NOT_XML_WRITTEN}"));
    let failure = match &case.status {
        junit_parser::TestStatus::Failure(f) => f,
        other => panic!("expected a failure, got {other:?}"),
    };
    assert_eq!(failure.message, format!("outcome is `{NOT_XML_WRITTEN}`"));
}
