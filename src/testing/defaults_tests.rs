//! The defaults that complete a case's partial snapshot, and a complete one reaching the
//! loader untouched.

use std::path::{Path, PathBuf};

use crate::Limits;
use crate::testing::{Case, Runner};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped pack's case files (`policies/tests/*.case`), sorted.
fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("policies/tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "case"))
        .collect();
    files.sort();
    files
}

/// A case as `bursar test` reads it, from text.
fn case(text: &str) -> Case {
    Case::parse(Path::new("partial.case"), text.to_owned()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_partial_snapshot_is_completed_with_the_documented_defaults() {
    // Only a squad, its budget and one top-up: no sprint, no catalog, no runs.
    let partial = case(
        "scope topups\n\
         topups tu-1 ok documented=true within_cap=true\n\
         --- snapshot\n\
         {\"squads\": [{\"id\": \"payments\", \"headcount\": 3}],\n \
          \"budgets\": {\"exploration\": [{\"squad\": \"payments\", \"baseline_tokens\": 1000}]},\n \
          \"topups\": [{\"id\": \"tu-1\", \"squad\": \"payments\", \"tokens\": 500, \"status\": \"granted\",\n \
          \"reason\": \"incident-response\", \"justification\": \"a justification long enough\", \"approved_by\": \"dana\"}]}\n",
    );
    let loaded = super::load(&partial).unwrap_or_else(|e| panic!("{e}"));
    let s = &loaded.snapshot;
    assert_eq!(s.sprint.id, "case");
    assert_eq!(s.currency, "USD");
    assert_eq!(s.budgets.central_tokens, 0);
    assert!(s.catalog.is_empty());
    let runner = Runner::open(&root().join("policies"), Limits::default()).unwrap();
    let (report, _) = runner.run(&partial).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.passed(), "{report:?}");
    // The case judges the policies it names: without `scope` it still ignores the
    // other policies' decisions; `scope all` judges the whole pack.
    let unscoped = case(&partial.text.replacen("scope topups\n", "", 1));
    let (report, _) = runner.run(&unscoped).unwrap();
    assert!(report.passed(), "{report:?}");
    let whole = case(&partial.text.replacen("scope topups", "scope all", 1));
    let (report, _) = runner.run(&whole).unwrap();
    assert!(
        !report.passed(),
        "under `scope all` the allocation and health decisions are unexpected"
    );
}

#[test]
fn a_complete_snapshot_reaches_the_loader_byte_for_byte() {
    let file = case_files().remove(0);
    let case = Case::read(&file).unwrap();
    let loaded = super::load(&case).unwrap();
    assert_eq!(
        loaded.sha256,
        format!(
            "{:x}",
            <sha2::Sha256 as sha2::Digest>::digest(case.snapshot.as_bytes())
        )
    );
}
