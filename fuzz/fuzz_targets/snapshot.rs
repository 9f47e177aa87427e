//! Fuzzes the snapshot loaders with the tree loader's verdict as the oracle: what the
//! streaming loader accepts, the tree loader accepts too, with the same snapshot and
//! digest; what the tree loader refuses, the streaming loader gives up on, and the refusal
//! is located; an accepted snapshot aggregates into facts without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

use bursar::fuzzing::{parse_streaming, parse_tree};
use bursar::{Error, Snapshot};

/// Everything a snapshot holds, runs included, in a form two loads can be compared by.
fn contents(s: &Snapshot) -> String {
    let runs: Vec<String> = s
        .runs
        .iter()
        .map(|r| {
            format!(
                "{} {} {:?} {:?} {:?} {} {} {} {:?}",
                r.id(),
                r.squad(),
                r.tag(),
                r.pool(),
                r.outcome(),
                r.input_tokens(),
                r.output_tokens(),
                r.cost_micros(),
                r.started()
            )
        })
        .collect();
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {runs:?}",
        s.schema_version,
        s.org,
        s.sprint,
        s.currency,
        s.squads,
        s.budgets,
        s.topups,
        s.catalog,
        s.run_groups
    )
}

fuzz_target!(|data: &[u8]| {
    let fast = parse_streaming(data);
    match parse_tree(data, "fuzz") {
        Ok(tree) => {
            if let Some(fast) = fast {
                assert_eq!(fast.sha256, tree.sha256);
                assert_eq!(contents(&fast.snapshot), contents(&tree.snapshot));
            }
            bursar::fuzzing::facts(tree.snapshot);
        }
        Err(e) => {
            assert!(
                fast.is_none(),
                "streaming accepted what the tree loader refuses"
            );
            match &e {
                Error::Json { line, column, .. } => assert!(*line >= 1 && *column >= 1),
                Error::Invalid { problems, .. } => {
                    assert!(!problems.is_empty());
                    let text = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
                    let doc: serde_json::Value =
                        serde_json::from_slice(text).expect("problems come after parsing");
                    for p in problems {
                        assert!(doc.pointer(&p.pointer).is_some(), "{p} names no place");
                    }
                }
                other => panic!("a refusal without a location: {other}"),
            }
            assert!(bursar::render_error(&e).starts_with("fuzz"));
        }
    }
});
