//! `bursar trends --format html`: the chart module on plain numbers, the page on the hand
//! series (pinned) and on generated series (self-contained, workflows first, squads only
//! in credits), and the page in a real browser: Debian's headless Chromium, driven by
//! `tests/dashboard/browse.py`, with no console error, no request but the file itself,
//! every chart drawn, and a screenshot kept under the target folder.

use std::path::{Path, PathBuf};
use std::process::Command;

use bursar::{GenerateOptions as Options, Scenario, Series as GenSeries};
use serde_json::Value;

use crate::support::bursar;

/// The report of the hand series (`tests/fixtures/trends/hand`), through the library.
fn hand_report() -> bursar::TrendsReport {
    let files: Vec<String> = ["s01", "s02", "s03"]
        .map(|s| format!("tests/fixtures/trends/hand/{s}.json"))
        .to_vec();
    crate::trends::report(&files, 1)
}

#[test]
fn the_dashboard_of_the_hand_series_is_pinned() {
    let html = bursar::render(&bursar::Dashboard, &hand_report());
    insta::assert_snapshot!("dashboard_hand", html);
}

/// Writes a generated series and its dashboard (through the CLI) under `dir`.
fn generated(dir: &Path, scenario: Scenario, sprints: u32) -> (PathBuf, Value) {
    let options = Options {
        runs: 1500,
        seed: 1,
        ..Options::default()
    };
    let series = GenSeries::plan(&options, sprints, scenario).unwrap();
    let mut args = vec!["trends".to_owned(), "-q".to_owned()];
    for k in 0..series.len() {
        let path = dir.join(series.file_name(k));
        let mut bytes = Vec::new();
        series.write_sprint(k, &mut bytes).unwrap();
        std::fs::write(&path, bytes).unwrap();
        args.push(path.display().to_string());
    }
    let html = dir.join("dashboard.html");
    args.extend(["--format", "html", "--out"].map(str::to_owned));
    args.push(html.display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = bursar(&args);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest = serde_json::from_slice(&bursar::series_manifest(&series)).unwrap();
    (html, manifest)
}

/// The charts the dashboard draws, by id.
const CHARTS: [&str; 8] = [
    "exploration",
    "funnel",
    "candidates",
    "time-to-candidate",
    "gini",
    "topup-concentration",
    "untagged-share",
    "access",
];

#[test]
fn the_dashboard_is_self_contained_and_names_squads_only_in_credits() {
    let dir = tempfile::tempdir().unwrap();
    let (path, manifest) = generated(dir.path(), Scenario::Entrenched, 8);
    let html = std::fs::read_to_string(&path).unwrap();
    for forbidden in [
        "<script", "http:", "https:", "src=", "href=", "@import", "url(h", "//",
    ] {
        assert!(!html.contains(forbidden), "`{forbidden}` in the dashboard");
    }
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    // Every chart, each followed by the table of its numbers.
    for id in CHARTS {
        let (_, after) = html
            .split_once(&format!(r#"aria-labelledby="{id}-title""#))
            .unwrap_or_else(|| panic!("no chart `{id}`"));
        let table = after.find("<table").expect("a table after the chart");
        assert!(
            !after[..table].contains("<svg"),
            "`{id}` has no table of its own"
        );
    }
    // Squads appear only in the credits: no squad's name in any other cell.
    let (before, credits, after) = credits_section(&html);
    let squads: Vec<String> = serde_json::from_slice::<Value>(
        &std::fs::read(dir.path().join(format!(
            "{}.json",
            manifest["sprints"][0]["sprint"].as_str().unwrap()
        )))
        .unwrap(),
    )
    .unwrap()["squads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    for squad in &squads {
        let cell = format!("<td>{squad}</td>");
        assert!(
            !before.contains(&cell) && !after.contains(&cell),
            "`{squad}` outside credits"
        );
    }
    let planted = manifest["credit_mismatches"].as_array().unwrap();
    assert!(!planted.is_empty());
    for m in planted {
        let row = format!(
            "<td>{}</td><td>{}</td>",
            m["variant"].as_str().unwrap(),
            m["true_origin"].as_str().unwrap()
        );
        assert!(credits.contains(&row), "{row} not in the credit mismatches");
    }
}

/// The page before the credits section, the section (mismatches and captures, up to the
/// next `h2`), and the page after it.
fn credits_section(html: &str) -> (&str, &str, &str) {
    let (before, rest) = html
        .split_once("<h2 id=\"credits\">")
        .expect("a credits section");
    let (credits, after) = rest
        .split_once("<h2 ")
        .expect("a section after the credits");
    (before, credits, after)
}

/// Every planted capture (both squads, both sprints) and every catalog entry without an
/// origin is listed on the page, in the credits section, the one place it names squads.
#[test]
fn the_dashboard_lists_every_capture_and_entry_without_origin_among_the_credits() {
    for (scenario, key) in [
        (Scenario::Capture, "credit_captures"),
        (Scenario::NoOrigin, "catalog_without_origin"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (path, manifest) = generated(dir.path(), scenario, 10);
        let html = std::fs::read_to_string(&path).unwrap();
        let (_, credits, _) = credits_section(&html);
        let planted = manifest["planted"][key].as_array().unwrap();
        assert!(!planted.is_empty(), "{scenario:?} planted no {key}");
        for p in planted {
            let listed = match p.as_str() {
                Some(variant) => format!("<li><code>{variant}</code></li>"),
                None => [
                    "variant",
                    "explored_by",
                    "explored_in",
                    "credited",
                    "credited_in",
                ]
                .map(|f| format!("<td>{}</td>", p[f].as_str().unwrap()))
                .concat(),
            };
            assert!(credits.contains(&listed), "{listed} not among the credits");
        }
    }
}

/// `chromium`, or a failure saying why the browser test cannot run. The tests that need
/// it are ignored (the `have_chromium` flag of `build.rs`) where it was missing at build
/// time, so a missing browser is never a silent pass.
fn chromium() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("chromium"))
            .find(|p| p.is_file())
    });
    let python = Command::new("python3").arg("--version").output().is_ok();
    match found {
        Some(found) if python => found,
        _ => panic!(
            "the dashboard browser test needs `chromium` and `python3` on PATH; install with `apt-get install -y chromium`"
        ),
    }
}

/// Where test artefacts go: the target folder, not committed.
fn artefacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::support::root().join("target"));
    let dir = target.join("dashboard");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Opens `html` in headless chromium through `tests/dashboard/<script>` with a fresh
/// profile, the screenshot saved as `shot` under the artefacts folder: what the script
/// saw (its JSON on stdout) and the screenshot's bytes.
fn browse(script: &str, html: &Path, shot: &str) -> (Value, Vec<u8>) {
    let chromium = chromium();
    let screenshot = artefacts().join(shot);
    let _ = std::fs::remove_file(&screenshot);
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("python3")
        .arg(crate::support::root().join("tests/dashboard").join(script))
        .args([
            chromium.as_os_str(),
            html.as_os_str(),
            screenshot.as_os_str(),
            profile.path().as_os_str(),
        ])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = serde_json::from_slice(&out.stdout).unwrap();
    (seen, std::fs::read(&screenshot).expect("a screenshot"))
}

#[test]
#[cfg_attr(
    not(have_chromium),
    ignore = "needs chromium on PATH (.ci/run installs it)"
)]
fn the_dashboard_renders_in_headless_chromium_without_errors_or_requests() {
    let dir = tempfile::tempdir().unwrap();
    let (html, _) = generated(dir.path(), Scenario::Entrenched, 10);
    let (seen, png) = browse("browse.py", &html, "dashboard-entrenched.png");
    assert_eq!(seen["console"], serde_json::json!([]), "console errors");
    let url = format!("file://{}", html.canonicalize().unwrap().display());
    assert_eq!(
        seen["requests"],
        serde_json::json!([url]),
        "requests other than the file"
    );
    assert_eq!(seen["title"], "Split-budget trends: acme");
    let charts = seen["charts"].as_array().unwrap();
    assert_eq!(charts.len(), CHARTS.len(), "{charts:?}");
    for c in charts {
        assert!(c["shapes"].as_u64().unwrap() > 5, "{c}");
        assert!(c["marks"].as_u64().unwrap() > 0, "no data drawn: {c}");
        for size in ["width", "height", "drawn_width", "drawn_height"] {
            assert!(c[size].as_f64().unwrap() > 100.0, "{size}: {c}");
        }
        // Drawn inside its own box: nothing spills past the chart's edge.
        assert!(
            c["drawn_width"].as_f64().unwrap() <= c["view_width"].as_f64().unwrap() + 0.5,
            "{c}"
        );
    }
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 50_000);
}

#[test]
fn the_dashboard_is_the_same_bytes_whatever_the_order_and_jobs() {
    let hand = |s: &str| format!("tests/fixtures/trends/hand/{s}.json");
    let run = |order: [&str; 3], jobs: &str| {
        let files = order.map(hand);
        let mut args = vec!["trends", "-q", "--format", "html", "--jobs", jobs];
        args.extend(files.iter().map(String::as_str));
        let out = bursar(&args);
        assert!(matches!(out.status.code(), Some(0 | 1)));
        out.stdout
    };
    let a = run(["s01", "s02", "s03"], "1");
    assert!(a.starts_with(b"<!doctype html>"));
    assert_eq!(a, run(["s03", "s01", "s02"], "2"));
    assert_eq!(a, run(["s02", "s03", "s01"], "3"));
}

#[test]
fn names_from_the_snapshots_are_escaped_everywhere_on_the_page() {
    let hostile = "<script>alert(\"x\")</script>&'";
    let mut report = hand_report();
    report.org = Some(hostile.to_owned());
    for j in &mut report.journeys {
        j.variant = format!("{hostile}/{}", j.variant);
        j.family = hostile.to_owned();
    }
    for s in &mut report.sprints {
        let tokens = std::mem::take(&mut s.exploration_tokens_by_family);
        s.exploration_tokens_by_family = tokens
            .into_values()
            .map(|t| (hostile.to_owned(), t))
            .collect();
    }
    for m in &mut report.credit_mismatches {
        m.credited_origin = hostile.to_owned();
        m.recorded_origin = hostile.to_owned();
    }
    assert!(!report.credit_mismatches.is_empty());
    let html = bursar::render(&bursar::Dashboard, &report);
    assert!(
        !html.contains("<script") && !html.contains("alert(\"x\")"),
        "unescaped"
    );
    let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;";
    // The title twice, the family in the chart legend, a tooltip and its table, the
    // journeys and both squads of a mismatch.
    assert!(count(&html, escaped) > 10, "{}", count(&html, escaped));
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The first screen (1400x900) of a fair and an entrenched series: the answer banner,
/// with its verdict in words, and the deciding chart lie inside it, and the two series
/// get different words. Screenshots of that screen are kept under the target folder.
#[test]
#[cfg_attr(
    not(have_chromium),
    ignore = "needs chromium on PATH (.ci/run installs it)"
)]
fn the_first_screen_holds_the_answer_and_the_deciding_chart() {
    for (scenario, word) in [
        (Scenario::Fair, "SURFACING"),
        (Scenario::Entrenched, "ENTRENCHING"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (html, _) = generated(dir.path(), scenario, 16);
        let shot = format!("first-screen-{}.png", scenario.as_str());
        let (seen, png) = browse("first_screen.py", &html, &shot);
        assert_eq!(
            seen["viewport"],
            serde_json::json!({"width": 1400, "height": 900})
        );
        let answer = &seen["answer"];
        let text = answer["text"].as_str().expect("an answer banner");
        assert!(text.contains(word), "{scenario:?}: `{text}`");
        for (what, b) in [("answer", answer), ("deciding chart", &seen["decider"])] {
            let edge = |k: &str| b[k].as_f64().unwrap_or_else(|| panic!("no {what}"));
            assert!(
                edge("top") >= 0.0 && edge("bottom") <= 900.0,
                "{what} off screen: {b}"
            );
            assert!(
                edge("left") >= 0.0 && edge("right") <= 1400.0,
                "{what} off screen: {b}"
            );
        }
        assert!(seen["decider"]["bars"].as_u64().unwrap() >= 8, "{seen}");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    }
}
