//! `bursar trends`: a variant's journey checked by hand on a small series
//! (`tests/fixtures/trends/hand/`), sprint order from dates, one snapshot per sprint,
//! byte-identical output whatever the order and `--jobs`, the JSON schema, the pinned text.

use std::path::{Path, PathBuf};

use serde_json::Value;

use bursar::Source;
use bursar::{Journey, TrendsReport as Report, TrendsStatus as Status};

use crate::support::{self, bursar};

const HAND: &str = "tests/fixtures/trends/hand";

fn hand(name: &str) -> String {
    format!("{HAND}/{name}.json")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The report on `files` with the shipped pack, through the library.
pub fn report(files: &[String], jobs: usize) -> Report {
    let sources: Vec<Source> = files.iter().map(|f| Source::from(Path::new(f))).collect();
    let options = bursar::TrendsOptions {
        limits: bursar::Limits::default(),
        load: Default::default(),
        jobs,
    };
    match bursar::trends(&support::policies(), &sources, &options, &mut |_, _| {}) {
        Ok(trends) => trends.report,
        Err(failure) => panic!("trends failed: {failure}"),
    }
}

fn journey<'a>(report: &'a Report, key: &str) -> &'a Journey {
    report
        .journeys
        .iter()
        .find(|j| j.variant == key)
        .unwrap_or_else(|| panic!("no journey of {key}"))
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

/// The hand series, by hand: `review/C` is explored by beta in S01 (4 runs, too few),
/// used by beta (10, earliest) and alpha (2) in S02, so a candidate there credited to
/// beta, and listed in S03's catalog with origin beta. `review/D` is explored and a
/// candidate in S02 (delta, 10 runs), then listed in S03 with origin alpha: credit taken.
#[test]
fn journeys_checked_by_hand() {
    let report = report(&[hand("s03"), hand("s01"), hand("s02")], 2);
    let c = journey(&report, "review/C");
    assert_eq!(c.family, "review");
    assert_eq!(c.first_explored, some("2026-S01"));
    assert_eq!(c.sprints_used, ["2026-S01", "2026-S02", "2026-S03"]);
    assert_eq!(c.first_candidate, some("2026-S02"));
    assert_eq!(c.sprints_to_candidate, Some(1));
    assert_eq!(c.credited_origin, some("beta"));
    // alpha 4M a sprint (+0.5M granted in S02), beta 2M, gamma and delta 1M each, tied:
    // beta has one squad above it (quartile 1 + 4·1/4), gamma and delta two.
    assert_eq!(c.origin_quartile, Some(2));
    assert_eq!(c.entered_catalog, some("2026-S03"));
    assert_eq!(c.promoted_in, some("2026-S03"));
    assert_eq!(c.catalog_origin, some("beta"));
    assert_eq!(
        (c.sunset.clone(), c.kept, c.catalogued_before),
        (None, true, false)
    );

    let d = journey(&report, "review/D");
    assert_eq!(d.first_explored, some("2026-S02"));
    assert_eq!(d.sprints_used, ["2026-S02"]);
    assert_eq!(
        (d.sprints_to_candidate, d.origin_quartile),
        (Some(0), Some(3))
    );
    // No runs in S03: the sunset policy says so, though the catalog keeps it standard.
    assert_eq!(d.sunset_recommended, some("2026-S03"));
    assert_eq!(d.sunset, None);

    let a = journey(&report, "review/A");
    assert!(a.catalogued_before && a.kept && a.first_explored.is_none());
    let e = journey(&report, "review/E");
    assert_eq!((e.first_candidate.clone(), e.kept), (None, false));

    assert_eq!(report.credit_mismatches.len(), 1);
    let m = &report.credit_mismatches[0];
    assert_eq!(
        [
            &m.variant,
            &m.credited_origin,
            &m.credited_in,
            &m.recorded_origin,
            &m.recorded_in
        ],
        ["review/D", "delta", "2026-S02", "alpha", "2026-S03"]
    );

    let f = &report.funnel;
    assert_eq!(
        [
            f.explored,
            f.used_in_two_sprints,
            f.candidate,
            f.in_catalog,
            f.kept
        ],
        [3, 1, 2, 2, 2]
    );
    let squads: Vec<&[String]> = report.quartiles.iter().map(|q| &q.squads[..]).collect();
    assert_eq!(
        squads,
        [&["alpha"][..], &["beta"], &["delta", "gamma"], &[]]
    );
    // Capacity over the series: alpha 12.5M, beta 6M, gamma and delta 3M each (24.5M).
    let top = &report.quartiles[0];
    assert_eq!(top.capacity_tokens, 12_500_000);
    assert_eq!(top.capacity_share, 12.5 / 24.5);
    let upper = &report.quartiles[1];
    assert_eq!((upper.candidates, upper.candidate_share), (1, 0.5));
    assert_eq!(upper.access_ratio, Some(0.5 / (6.0 / 24.5)));
    assert_eq!(report.quartiles[3].access_ratio, None);
    assert_eq!(report.originating_squads, ["beta", "delta"]);

    let rows: Vec<EmergenceRow> = report
        .sprints
        .iter()
        .map(|s| {
            (
                s.sprint.as_str(),
                s.variants_explored,
                s.new_candidates,
                s.candidates_not_promoted,
                s.median_sprints_to_candidate,
                s.entered_catalog,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("2026-S01", 2, 0, 0, None, 0),
            ("2026-S02", 2, 2, 2, Some(0.5), 0),
            ("2026-S03", 0, 0, 0, None, 2),
        ]
    );
    let s2 = &report.sprints[1].health;
    assert_eq!(s2.informal_topups, ["tu-1"]);
    assert_eq!(s2.topup_violations, 1);
    assert_eq!(s2.outcome, some("attention"));
    let concentration = s2.topup_concentration.as_ref().unwrap();
    assert_eq!(
        (
            concentration.value,
            concentration.threshold,
            concentration.pass
        ),
        (1.0, Some(0.5), Some(false))
    );
    assert_eq!(report.sprints[0].untagged_exploration_tokens, 1500);

    let status: Vec<Status> = report.verdicts.iter().map(|v| v.status).collect();
    assert_eq!(
        status,
        // Promotion access follows the answer: 2 candidates cannot tell (unknown). One
        // granted top-up is too few to judge concentration (at least 5 over the series).
        [Status::Met, Status::Unknown, Status::NotMet, Status::Met]
    );
    assert_eq!(
        report.verdicts[0].findings[0].to_string(),
        "every squad had a baseline in 3 of 3 sprints"
    );
}

/// sprint, explored, new candidates, not yet promoted, median to candidate, entered.
type EmergenceRow<'a> = (&'a str, usize, usize, usize, Option<f64>, usize);

fn run_trends(args: &[&str]) -> std::process::Output {
    let mut all = vec!["trends"];
    all.extend(args);
    bursar(&all)
}

#[test]
fn sprint_order_comes_from_dates_and_output_is_byte_identical() {
    let orders = [
        ["s01", "s02", "s03"],
        ["s03", "s01", "s02"],
        ["s02", "s03", "s01"],
    ];
    for format in ["text", "json"] {
        let mut outputs = Vec::new();
        for (i, order) in orders.iter().enumerate() {
            for jobs in ["1", "2", "3"] {
                let files: Vec<String> = order.iter().map(|n| hand(n)).collect();
                let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
                args.extend(["--format", format, "--jobs", jobs, "-q"]);
                let out = run_trends(&args);
                assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
                if i == 0 && jobs == "1" && format == "json" {
                    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
                    let sprints: Vec<&str> = json["sprints"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| s["sprint"].as_str().unwrap())
                        .collect();
                    assert_eq!(sprints, ["2026-S01", "2026-S02", "2026-S03"]);
                }
                outputs.push(out.stdout);
            }
        }
        // Paths are recorded as given: the same files in any order give the same bytes.
        assert!(outputs.windows(2).all(|w| w[0] == w[1]), "{format} differs");
    }
}

/// A copy of a hand snapshot with `edit` applied, under Cargo's temporary folder.
fn edited(name: &str, copy: &str, edit: impl Fn(&mut Value)) -> PathBuf {
    let mut json: Value =
        serde_json::from_str(&std::fs::read_to_string(hand(name)).unwrap()).unwrap();
    edit(&mut json);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("trends");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(copy);
    std::fs::write(&path, serde_json::to_string(&json).unwrap()).unwrap();
    path
}

#[test]
fn two_organisations_are_an_error_naming_both() {
    let other = edited("s03", "other-org-s03.json", |j| j["org"] = "globex".into());
    let other = other.to_str().unwrap();
    let out = run_trends(&[&hand("s01"), other, "-q"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "`{}` is organisation `hand` and `{other}` is `globex`: a series is one organisation",
            hand("s01")
        )),
        "{err}"
    );
}

#[test]
fn two_snapshots_of_one_sprint_are_an_error_naming_both() {
    let again = edited("s02", "again-s02.json", |_| {});
    let again = again.to_str().unwrap();
    let out = run_trends(&[&hand("s01"), &hand("s02"), again, &hand("s03"), "-q"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "`{}` and `{again}` are both sprint `2026-S02`",
            hand("s02")
        )),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    let same_dates = edited("s02", "renamed-s02.json", |j| {
        j["sprint"]["id"] = "2026-S99".into();
    });
    let same_dates = same_dates.to_str().unwrap();
    let out = run_trends(&[same_dates, &hand("s02"), "-q"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "`{same_dates}` (sprint `2026-S99`) and `{}` (sprint `2026-S02`) both start on 2026-01-19",
            hand("s02")
        )),
        "{err}"
    );
}

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(support::root().join("schemas/trends.schema.json"))
        .expect("the schema is shipped");
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft202012::new(&schema).expect("the schema compiles")
}

/// Every error of `json` against the schema, as `pointer: message` lines.
pub fn schema_errors(json: &Value) -> Vec<String> {
    schema()
        .iter_errors(json)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn json_is_valid_against_the_schema_and_the_schema_is_strict() {
    let out = run_trends(&[&hand("s01"), &hand("s02"), &hand("s03"), "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema_errors(&json), Vec::<String>::new());
    // The schema pins the model: an unknown field, a missing one or a wrong type is refused.
    let mut extra = json.clone();
    extra["sprints"][0]["surprise"] = 1.into();
    let mut missing = json.clone();
    missing["journeys"][0]
        .as_object_mut()
        .unwrap()
        .remove("kept");
    let mut wrong = json.clone();
    wrong["quartiles"][0]["access_ratio"] = "high".into();
    for broken in [extra, missing, wrong] {
        assert!(!schema_errors(&broken).is_empty());
    }
}

/// The JSON report's verdicts and answer as written, bytes and key order included: the
/// findings' sentences and the figures by name.
pub fn verdicts_and_answer(json: &[u8]) -> String {
    let text = std::str::from_utf8(json).unwrap();
    let start = text
        .find("\n  \"verdicts\": ")
        .expect("verdicts in the report");
    let end = text
        .find("\n  \"credit_captures\": ")
        .expect("credit captures after the answer");
    text[start + 1..end].to_owned()
}

#[test]
fn verdicts_and_answer_json_is_pinned() {
    let out = run_trends(&[&hand("s01"), &hand("s02"), &hand("s03"), "--format", "json"]);
    insta::assert_snapshot!(
        "trends_json_hand_verdicts",
        verdicts_and_answer(&out.stdout)
    );
}

#[test]
fn text_is_pinned() {
    let out = run_trends(&[&hand("s02"), &hand("s03"), &hand("s01")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    insta::assert_snapshot!("trends_text_hand", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn a_policy_error_names_the_snapshot_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    std::fs::create_dir(&pack).unwrap();
    std::fs::write(
        pack.join("boom.rhai"),
        "const POLICY = \"boom\";\nconst DESCRIPTION = \"fails on S02\";\nconst READS = [];\n\
         if facts.sprint.id == \"2026-S02\" { throw \"no\"; }\n",
    )
    .unwrap();
    let out_file = dir.path().join("out.json");
    let out = run_trends(&[
        "--policies",
        pack.to_str().unwrap(),
        &hand("s01"),
        &hand("s02"),
        "--out",
        out_file.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("while evaluating `{}`", hand("s02"))),
        "{err}"
    );
    assert!(err.contains("no"), "{err}");
    assert!(!out_file.exists());
}

/// A pack that came into force in S02 (promotion needs 12 uses): the sprints from S02 on
/// are judged by it, and the report says which file changed where.
#[test]
fn rules_that_move_within_the_series_are_reported() {
    let stricter = crate::impact::edited_pack(
        "promotion.rhai",
        "const MIN_USES = 10;",
        "const MIN_USES = 12;",
    );
    let from = format!("2026-01-19={}", stricter.path().display());
    let out = run_trends(&[
        &hand("s01"),
        &hand("s03"),
        &hand("s02"),
        "--policies-from",
        &from,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema_errors(&json), Vec::<String>::new());
    let pack = &json["pack"];
    assert_eq!(pack["changed"], true);
    assert_eq!(pack["digests"].as_array().unwrap().len(), 2);
    let changes = pack["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["sprint"], "2026-S02");
    assert_eq!(changes[0]["file"], "promotion.rhai");
    let digests: Vec<&Value> = json["sprints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["pack_sha256"])
        .collect();
    assert_ne!(digests[0], digests[1]);
    assert_eq!(digests[1], digests[2]);
    // Judged by 12 uses, review/D (10 runs in S02) is no longer a candidate.
    let d = json["journeys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["variant"] == "review/D")
        .unwrap();
    assert_eq!(d["first_candidate"], Value::Null);
    let public = &json["verdicts"][2];
    assert_eq!(public["condition"], "public-rules");
    assert_eq!(public["figures"]["pack_changed"], true);
    assert_eq!(
        public["findings"][0],
        "the pack changed within the series (2 digests): promotion.rhai changed in 2026-S02"
    );

    let twice = run_trends(&[
        &hand("s01"),
        "--policies-from",
        &from,
        "--policies-from",
        &from,
    ]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(stderr(&twice).contains("gives 2026-01-19 more than once"));
}

#[test]
fn out_is_written_whole_and_never_onto_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("trends.json");
    let out = run_trends(&[
        &hand("s01"),
        &hand("s02"),
        "--format",
        "json",
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let json: Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(json["sprints"].as_array().unwrap().len(), 2);

    let copy = edited("s01", "out-onto-me.json", |_| {});
    let before = std::fs::read(&copy).unwrap();
    let out = run_trends(&[copy.to_str().unwrap(), "--out", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

/// gen's `series.json` alone is no sprint: no answer from nothing (exit 2, nothing out).
#[test]
fn no_sprint_snapshot_among_the_arguments_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("series");
    let generated = bursar(&[
        "gen",
        "--sprints",
        "2",
        "--runs",
        "50",
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    assert!(generated.status.success(), "{}", stderr(&generated));
    let manifest = out.join("series.json");
    let run = run_trends(&["--format", "json", manifest.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(run.stdout.is_empty());
    assert!(
        stderr(&run).contains("no sprint snapshot"),
        "{}",
        stderr(&run)
    );
}

/// The hand series' answer: one sentence first in the text, the same in the JSON, and
/// with 2 candidates it cannot be anything but inconclusive.
#[test]
fn the_hand_series_answer_is_inconclusive_and_opens_the_text() {
    let files: Vec<String> = ["s01", "s02", "s03"].iter().map(|f| hand(f)).collect();
    let report = report(&files, 1);
    assert_eq!(report.answer.verdict.as_str(), "inconclusive");
    assert_eq!(report.answer.figures.candidates, 2);
    let mut args = vec!["--format", "text"];
    args.extend(files.iter().map(String::as_str));
    let run = run_trends(&args);
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        text.starts_with(&format!("answer: {}\n", report.answer.findings[0])),
        "{text}"
    );
}
