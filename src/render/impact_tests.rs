//! The impact report's text, on a pack compared with itself.

use std::path::PathBuf;

use super::ImpactText;
use crate::Limits;
use crate::impact::Options;
use crate::snapshot::Source;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The snapshot of the shipped case `name` (`policies/tests/<name>.case`), its bytes
/// exactly as the case holds them.
fn case_snapshot(name: &str) -> Source {
    let case_file = root().join(format!("policies/tests/{name}.case"));
    let case = crate::testing::Case::read(&case_file)
        .unwrap_or_else(|e| panic!("{}: {e}", case_file.display()));
    Source::Bytes {
        origin: format!("{name}.json"),
        bytes: case.snapshot.into_bytes().into(),
    }
}

#[test]
fn an_unchanged_snapshot_with_one_decision_says_decision() {
    // A pack of one policy deciding one subject, against itself.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("policies/health.rhai"),
        dir.path().join("health.rhai"),
    )
    .unwrap();
    let snapshot = case_snapshot("health-single-squad");
    let options = Options {
        limits: Limits::default(),
        load: Default::default(),
        jobs: 1,
        details: false,
    };
    let report = crate::impact::run(
        dir.path(),
        dir.path(),
        &[snapshot],
        &options,
        &mut |_, _| {},
    )
    .unwrap_or_else(|f| panic!("{}", crate::render::diagnostic::render(&f.error)))
    .report;
    assert_eq!(report.snapshots[0].diff.unchanged, 1);
    let text = crate::render::to_string(&ImpactText, &report);
    assert!(
        text.contains("(sprint 2026-S24): no change, 1 decision\n"),
        "{text}"
    );
}
