//! The streaming loader and the tree loader agree, the tree loader's verdict being the
//! oracle: every snapshot the fast path accepts, the tree loader accepts too, with the
//! same decisions; everything the tree loader refuses, the fast path gives up on, and the
//! refusal is located (a JSON Pointer into the document, or a line and column in it).

use std::path::Path;

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::Error;
use crate::Host;
use crate::Limits;
use crate::snapshot::{Loaded, parse_streaming, parse_tree};

pub fn decisions_json(loaded: Loaded) -> String {
    let (host, pack) = Host::open(Path::new("policies"), Limits::default()).unwrap();
    super::to_json(
        &crate::evaluate_loaded(&host, &pack, loaded)
            .expect("evaluation succeeds")
            .document,
    )
}

fn valid_fixtures() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = super::case_names()
        .iter()
        .map(|name| super::case_snapshot(name))
        .collect();
    files.push(super::root().join(super::example()));
    files
}

#[test]
fn both_paths_accept_every_valid_fixture_with_the_same_decisions() {
    for file in valid_fixtures() {
        let bytes = std::fs::read(&file).unwrap();
        let fast = parse_streaming(&bytes)
            .unwrap_or_else(|| panic!("{}: streaming refused it", file.display()));
        let tree = parse_tree(&bytes, "tree").unwrap();
        assert_eq!(fast.sha256, tree.sha256, "{}", file.display());
        assert_eq!(
            decisions_json(fast),
            decisions_json(tree),
            "{}",
            file.display()
        );
    }
}

#[test]
fn streaming_leaves_every_broken_fixture_to_the_complete_path() {
    for file in super::files(Path::new("tests/errors/snapshots"), "json") {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            parse_streaming(&bytes).is_none(),
            "{}: streaming accepted it",
            file.display()
        );
        assert!(parse_tree(&bytes, "tree").is_err(), "{}", file.display());
    }
}

#[test]
fn a_byte_order_mark_is_accepted_and_still_digested() {
    let plain = std::fs::read(super::root().join(super::example())).unwrap();
    let mut marked = b"\xEF\xBB\xBF".to_vec();
    marked.extend_from_slice(&plain);
    let a = crate::parse_snapshot(&plain, "plain").unwrap();
    let b = crate::parse_snapshot(&marked, "marked").unwrap();
    assert_ne!(a.sha256, b.sha256);
    assert_eq!(a.snapshot.runs.len(), b.snapshot.runs.len());
    assert!(parse_streaming(&marked).is_some());
}

/// A small valid snapshot with one of everything (`tests/fixtures/base-snapshot.json`,
/// which the suite's `any_input` tests start from too).
pub fn base() -> Value {
    serde_json::from_str(include_str!("../../../tests/fixtures/base-snapshot.json")).unwrap()
}

pub fn odd_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(-1)),
        Just(json!(0)),
        Just(json!(1.5)),
        Just(json!(1.0)),
        Just(json!(1e20)),
        Just(json!(18446744073709551615u64)),
        Just(json!("")),
        Just(json!("a/b")),
        Just(json!("x@y")),
        Just(json!("r-1")),
        Just(json!("ghost")),
        Just(json!("payments")),
        Just(json!("exploration")),
        Just(json!("success")),
        Just(json!("2026-02-30T10:00:00Z")),
        Just(json!("2026-11-17T10:00:00")),
        Just(json!([])),
        Just(json!({})),
        Just(json!(true)),
    ]
}

pub const RUN_FIELDS: [&str; 11] = [
    "id",
    "squad",
    "workflow",
    "variant",
    "pool",
    "input_tokens",
    "output_tokens",
    "cost",
    "outcome",
    "started_at",
    "extra",
];

/// Applies edits drawn by a property test to the records of `doc[array]`: each sets
/// `fields[f]` of record `i` to the value, or removes it when there is none.
pub fn edit(
    doc: &mut Value,
    array: &str,
    fields: &[&str],
    edits: Vec<(usize, usize, Option<Value>)>,
) {
    for (i, f, value) in edits {
        let record = doc[array][i].as_object_mut().unwrap();
        match value {
            Some(v) => {
                record.insert(fields[f].to_owned(), v);
            }
            None => {
                record.remove(fields[f]);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn streaming_never_accepts_what_the_schema_and_rules_refuse(
        edits in prop::collection::vec((0..3usize, 0..RUN_FIELDS.len(), prop::option::of(odd_value())), 1..4),
    ) {
        let mut doc = base();
        let edited_runs: std::collections::BTreeSet<usize> = edits.iter().map(|e| e.0).collect();
        edit(&mut doc, "runs", &RUN_FIELDS, edits);
        let bytes = serde_json::to_vec(&doc).unwrap();
        let fast = parse_streaming(&bytes);
        match parse_tree(&bytes, "tree") {
            Ok(tree) => {
                // Giving up on a valid snapshot is allowed (it only costs time); accepting
                // it with other facts is not.
                if let Some(fast) = fast {
                    prop_assert_eq!(decisions_json(fast), decisions_json(tree));
                }
            }
            Err(e) => {
                prop_assert!(fast.is_none(), "streaming accepted what the tree loader refuses: {}", crate::render_error(&e));
                // Only runs were edited: every problem is in an edited run.
                let problems = located_problems(&e, &bytes);
                let edited: Vec<String> = edited_runs.iter().map(|r| format!("/runs/{r}")).collect();
                for p in &problems {
                    prop_assert!(
                        edited.iter().any(|run| p.pointer == *run || p.pointer.starts_with(&format!("{run}/"))),
                        "{} is outside the edited runs {:?}", p, edited
                    );
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
enum ByteEdit {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        any::<usize>().prop_map(ByteEdit::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Flip(i, b)),
        (
            any::<usize>(),
            prop::sample::select(b"{}[],:\"\\0123456789-.eE ntfu\xff\xc3".to_vec())
        )
            .prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        (any::<usize>(), 1..40usize).prop_map(|(i, n)| ByteEdit::Delete(i, n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Random damage to the bytes of a valid snapshot: the loader accepts or refuses
    /// cleanly (never panics), both paths agree, and what it accepts evaluates.
    #[test]
    fn damaged_bytes_are_accepted_or_refused_cleanly(edits in prop::collection::vec(byte_edit(), 1..4)) {
        let mut bytes = serde_json::to_vec_pretty(&base()).unwrap();
        for edit in edits {
            let n = bytes.len().max(1);
            match edit {
                ByteEdit::Truncate(i) => bytes.truncate(i % n),
                ByteEdit::Flip(i, b) => { if !bytes.is_empty() { bytes[i % n] = b; } }
                ByteEdit::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
                ByteEdit::Delete(i, k) => { let i = i % n; let j = (i + k).min(bytes.len()); bytes.drain(i.min(j)..j); }
            }
        }
        let fast = parse_streaming(&bytes);
        match parse_tree(&bytes, "damaged") {
            Ok(tree) => {
                if let Some(fast) = fast {
                    prop_assert_eq!(&fast.sha256, &tree.sha256);
                    prop_assert_eq!(decisions_json(fast), decisions_json(tree));
                }
            }
            Err(e) => {
                prop_assert!(fast.is_none(), "streaming accepted what the tree loader refuses");
                located_problems(&e, &bytes);
                let rendered = crate::render_error(&e);
                prop_assert!(rendered.starts_with("damaged"), "{}", rendered);
            }
        }
    }
}

/// The problems of a refusal, after checking it is located: a syntax error at a line and
/// column inside the text, or problems whose JSON Pointers each name a place in the
/// document. Panics otherwise.
pub fn located_problems(e: &Error, bytes: &[u8]) -> Vec<crate::Problem> {
    match e {
        Error::Json { line, column, .. } => {
            let lines = bytes.split(|&b| b == b'\n').count();
            assert!(
                (1..=lines).contains(line) && *column >= 1,
                "{line}:{column} is outside the text ({lines} lines)"
            );
            Vec::new()
        }
        Error::Invalid { problems, .. } => {
            assert!(!problems.is_empty(), "refused without a problem");
            let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let doc: Value = serde_json::from_slice(text).expect("problems come after parsing");
            for p in problems {
                assert!(
                    doc.pointer(&p.pointer).is_some(),
                    "`{}` names no place in the document: {p}",
                    p.pointer
                );
            }
            problems.clone()
        }
        other => panic!("a refusal without a location: {other}"),
    }
}

/// serde_json counts column 0 once it has read a newline; an error is never reported
/// there, but on the character it is about.
#[test]
fn syntax_errors_are_located_on_a_real_character() {
    let cases: [(&[u8], (usize, usize), &str); 3] = [
        // The newline inside the string is the 33rd byte of line 1.
        (
            b"{\"schema_version\": 1, \"org\": \"ab\ncd\"}",
            (1, 33),
            "control character",
        ),
        (
            b"{\"schema_version\": 1,\n",
            (2, 1),
            "unexpected end of file while parsing a value",
        ),
        (b"{\"org\": tru\n}", (1, 12), "expected a value"),
    ];
    for (bytes, (line, column), words) in cases {
        match parse_tree(bytes, "x") {
            Err(Error::Json {
                line: l,
                column: c,
                message,
                ..
            }) => {
                assert_eq!((l, c), (line, column), "{message}");
                assert!(message.starts_with(words), "{message}");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }
}

fn read_case(name: &str) -> Value {
    let file = super::case_snapshot(name);
    serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap()
}

/// The decisions and header of a document, without the digests of its inputs.
fn decisions_only(loaded: Loaded) -> Value {
    let mut doc: Value = serde_json::from_str(&decisions_json(loaded)).unwrap();
    doc.as_object_mut().unwrap().remove("inputs");
    doc
}

/// A snapshot exported from SQL writes `null` for every optional value it lacks: both
/// loaders read it as absent, and it decides exactly as the snapshot without them.
#[test]
fn null_optional_fields_are_absent_in_both_loaders_and_the_schema() {
    let with_nulls = read_case("snapshot-null-optionals");
    let mut without = with_nulls.clone();
    let mut removed = 0;
    let mut drop_nulls = |record: &mut Value, fields: &[&str]| {
        for field in fields {
            let record = record.as_object_mut().unwrap();
            assert_eq!(record.remove(*field), Some(Value::Null), "{field} is null");
            removed += 1;
        }
    };
    drop_nulls(&mut without, &["org", "currency"]);
    for squad in without["squads"].as_array_mut().unwrap() {
        drop_nulls(squad, &["name", "tags"]);
    }
    for entry in without["catalog"].as_array_mut().unwrap() {
        drop_nulls(entry, &["origin_squad", "promoted_in"]);
    }
    assert!(removed >= 6, "the case has every optional field as null");

    assert_eq!(crate::validate_snapshot(&with_nulls), vec![]);
    let bytes = serde_json::to_vec_pretty(&with_nulls).unwrap();
    let absent = decisions_only(parse_tree(&serde_json::to_vec(&without).unwrap(), "x").unwrap());
    let fast = parse_streaming(&bytes).expect("the streaming loader accepts nulls");
    let tree = parse_tree(&bytes, "tree").expect("the tree loader accepts nulls");
    assert_eq!(fast.snapshot.currency, "USD");
    assert_eq!(decisions_only(fast), absent);
    assert_eq!(decisions_only(tree), absent);
}

/// Required fields stay required: `null` is refused with its pointer, by the schema and
/// by both loaders.
#[test]
fn null_required_fields_are_refused_with_their_pointer() {
    for pointer in ["/sprint", "/squads/0/headcount", "/squads/0/id", "/budgets"] {
        let mut doc = read_case("snapshot-null-optionals");
        *doc.pointer_mut(pointer).unwrap() = Value::Null;
        let schema = crate::validate_snapshot(&doc);
        assert!(
            schema.iter().any(|p| p.pointer == pointer),
            "{pointer}: {schema:?}"
        );
        let bytes = serde_json::to_vec(&doc).unwrap();
        assert!(parse_streaming(&bytes).is_none(), "{pointer}");
        match parse_tree(&bytes, "x") {
            Err(Error::Invalid { problems, .. }) => assert!(
                problems.iter().any(|p| p.pointer == pointer),
                "{pointer}: {problems:?}"
            ),
            other => panic!("{pointer}: expected problems, got {other:?}"),
        }
    }
}

/// The library reads no machine: the memory budget is what the caller says. No
/// environment variable is set here.
#[test]
fn the_library_refuses_a_snapshot_larger_than_the_budget_it_is_given() {
    use crate::snapshot::{LoadOptions, Source, load_from};
    let path = super::root().join(super::example());
    let bytes = std::fs::read(&path).unwrap();
    let size = bytes.len() as u64;
    let sources = [
        Source::from(path.as_path()),
        Source::Bytes {
            origin: "<stdin>".to_owned(),
            bytes: bytes.clone().into(),
        },
    ];
    for source in &sources {
        let tight = LoadOptions {
            available_memory: Some(size / 4),
            ..LoadOptions::default()
        };
        match load_from(source, &tight, &mut |_, _| {}) {
            Err(e @ Error::TooLarge { .. }) => {
                let text = e.to_string();
                let origin = source.origin();
                assert!(
                    text.contains(&format!("`{origin}` is too large to load")),
                    "{text}"
                );
            }
            other => panic!("{}: expected TooLarge, got {other:?}", source.origin()),
        }
        let ample = LoadOptions {
            available_memory: Some(size * 2),
            ..LoadOptions::default()
        };
        load_from(source, &ample, &mut |_, _| {}).expect("the snapshot fits twice its size");
        load_from(source, &LoadOptions::default(), &mut |_, _| {}).expect("no budget, no limit");
    }

    // A broken snapshot needs the tree: within the streaming budget, beyond the tree's.
    let mut broken = bytes.clone();
    broken.truncate(bytes.len() - 2);
    let budget = LoadOptions {
        available_memory: Some(size * 2),
        ..LoadOptions::default()
    };
    let source = Source::Bytes {
        origin: "broken".to_owned(),
        bytes: broken.into(),
    };
    match load_from(&source, &budget, &mut |_, _| {}) {
        Err(e @ Error::TooLarge { .. }) => {
            assert!(e.to_string().contains("too large to check in full"), "{e}")
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

/// Reading a stream into memory stops as soon as it outgrows the budget.
#[test]
fn a_stream_is_refused_once_it_outgrows_the_budget() {
    use crate::snapshot::{LoadOptions, Source};
    // Far more than the budget (finite, so a broken budget fails rather than hangs).
    let endless = std::io::Read::take(std::io::repeat(b' '), 64 << 20);
    let budget = LoadOptions {
        available_memory: Some(8 << 20),
        ..LoadOptions::default()
    };
    match Source::read(endless, "<stdin>", &budget) {
        Err(e @ Error::TooLarge { .. }) => {
            assert!(e.to_string().starts_with("`<stdin>` is too large"), "{e}")
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

/// A leap second is an instant of its own: after 23:59:59 and before the next day's
/// 00:00:00, so the earliest run of a variant is not decided by ids on a false tie.
#[test]
fn a_leap_second_orders_before_the_next_day_in_both_loaders() {
    let mut doc = base();
    doc["runs"][0]["started_at"] = json!("2026-11-17T23:59:60Z");
    let mut later = doc["runs"][0].clone();
    later["id"] = json!("r-0");
    later["started_at"] = json!("2026-11-18T01:00:00+01:00");
    doc["runs"].as_array_mut().unwrap().push(later);
    let bytes = serde_json::to_vec(&doc).unwrap();
    let fast = parse_streaming(&bytes).expect("streaming accepts a leap second at 23:59:60Z");
    let tree = parse_tree(&bytes, "tree").expect("the tree loader accepts it too");
    for loaded in [fast, tree] {
        let facts = crate::facts::Facts::new(loaded.snapshot);
        let first = facts.variant("w/B").unwrap().first.clone().unwrap();
        assert_eq!(first.id, "r-1");
        assert_eq!(crate::format_instant(first.started), "2026-11-17T23:59:60Z");
    }
}

/// A repeated key has two readings: both loaders refuse it, wherever it is, with the
/// pointer of the second occurrence and the line of each.
#[test]
fn a_repeated_key_at_any_depth_is_refused_by_both_loaders() {
    let text = serde_json::to_string_pretty(&base()).unwrap();
    let repeats = [
        ("\"schema_version\": 1,", "/schema_version"),
        ("\"id\": \"S1\",", "/sprint/id"),
        ("\"headcount\": 3", "/squads/1/headcount"),
        ("\"central_tokens\": 1000,", "/budgets/central_tokens"),
        ("\"approved_by\": \"ann\",", "/topups/0/approved_by"),
        ("\"cost\": 1.5,", "/runs/2/cost"),
    ];
    for (member, pointer) in repeats {
        let doubled = member.trim_end_matches(',');
        let bytes = text.replacen(member, &format!("{doubled}, {member}"), 1);
        assert_ne!(bytes, text, "{member}");
        let bytes = bytes.into_bytes();
        assert!(
            parse_streaming(&bytes).is_none(),
            "streaming accepted {pointer}"
        );
        let err = parse_tree(&bytes, "tree")
            .err()
            .unwrap_or_else(|| panic!("{pointer}"));
        let problems = located_problems(&err, &bytes);
        assert_eq!(problems.len(), 1, "{pointer}: {problems:?}");
        assert_eq!(problems[0].pointer, pointer);
        assert!(
            problems[0].message.contains("appears twice"),
            "{}",
            problems[0]
        );
    }
}
