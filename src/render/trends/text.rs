//! The trends report as text for a terminal: the answer first, in one sentence with the
//! three figures it rests on, then the verdicts, influence tiers over the windows, the
//! sprint rows, the funnel, the capacity quartiles, credit captures and mismatches and
//! the variant journeys.
//! Squads appear only as quartiles and in credits, never ranked by name. (Its JSON is
//! `json`'s.) Every name from the snapshots is escaped for the terminal.

use std::fmt::Write;
use std::io;

use unicode_width::UnicodeWidthStr;

use super::emitter::Emitter;
use crate::text::{count, escape_terminal as esc, percent};
use crate::trends::{Measure, NEAR_ONE_FACTOR, Report, SprintRow};

mod tiers;

/// The trends report as text for a person.
pub struct TrendsText;

impl Emitter<Report> for TrendsText {
    fn emit(&self, out: &mut dyn io::Write, report: &Report) -> io::Result<()> {
        out.write_all(text(report).as_bytes())
    }
}

fn text(report: &Report) -> String {
    let mut out = String::new();
    answer(&mut out, report);
    let _ = writeln!(out, "\n{}", headline(report));
    verdicts(&mut out, report);
    tiers::tiers(&mut out, report);
    sprints(&mut out, &report.sprints);
    health(&mut out, &report.sprints);
    funnel(&mut out, report);
    quartiles(&mut out, report);
    tiers::captures(&mut out, report);
    mismatches(&mut out, report);
    journeys(&mut out, report);
    out
}

/// `trends: 12 sprints (acme), 2026-S01 to 2026-S12 (2026-01-05 to 2026-06-07)`.
fn headline(report: &Report) -> String {
    let org = report
        .org
        .as_deref()
        .map(|o| format!(" ({})", esc(o)))
        .unwrap_or_default();
    let span = match (report.sprints.first(), report.sprints.last()) {
        (Some(a), Some(b)) => format!(
            ", {} to {} ({} to {})",
            esc(&a.sprint),
            esc(&b.sprint),
            esc(&a.start),
            esc(&b.end)
        ),
        _ => String::new(),
    };
    format!(
        "trends: {}{org}{span}",
        count(report.sprints.len(), "sprint")
    )
}

/// `answer: entrenching since 2026-S07: ...`, then the figures it rests on.
fn answer(out: &mut String, report: &Report) {
    let a = &report.answer;
    let mut findings = a.findings.iter();
    if let Some(first) = findings.next() {
        let _ = writeln!(out, "answer: {}", esc(&first.to_string()));
    }
    for f in findings {
        let _ = writeln!(out, "  - {}", esc(&f.to_string()));
    }
}

fn verdicts(out: &mut String, report: &Report) {
    out.push_str("\nverdicts\n");
    for v in &report.verdicts {
        let _ = writeln!(out, "  {}: {}", v.condition.as_str(), v.status.as_str());
        for f in &v.findings {
            let _ = writeln!(out, "    - {}", esc(&f.to_string()));
        }
    }
}

fn sprints(out: &mut String, rows: &[SprintRow]) {
    out.push_str("\nemergence by sprint\n");
    let header = [
        "sprint",
        "start",
        "explored",
        "new candidates",
        "not yet promoted",
        "median sprints to candidate",
        "entered catalog",
    ];
    let body = rows
        .iter()
        .map(|s| {
            vec![
                esc(&s.sprint).into_owned(),
                esc(&s.start).into_owned(),
                s.variants_explored.to_string(),
                s.new_candidates.to_string(),
                s.candidates_not_promoted.to_string(),
                number(s.median_sprints_to_candidate, 1),
                s.entered_catalog.to_string(),
            ]
        })
        .collect();
    table(out, &header, body);
}

fn health(out: &mut String, rows: &[SprintRow]) {
    out.push_str("\nhealth by sprint (✓ within the pack's threshold, ✗ not)\n");
    let header = [
        "sprint",
        "outcome",
        "gini",
        "top-up concentration",
        "untagged share",
        "squads without baseline",
        "informal top-ups",
    ];
    let body = rows
        .iter()
        .map(|s| {
            let h = &s.health;
            vec![
                esc(&s.sprint).into_owned(),
                h.outcome
                    .as_deref()
                    .map_or("-".to_owned(), |o| esc(o).into_owned()),
                measure(h.gini.as_ref()),
                measure(h.topup_concentration.as_ref()),
                measure(h.untagged_share.as_ref()),
                h.squads_without_baseline
                    .as_ref()
                    .map_or("-".to_owned(), |l| l.len().to_string()),
                h.informal_topups.len().to_string(),
            ]
        })
        .collect();
    table(out, &header, body);
    if let Some(s) = rows.iter().find(|s| s.health.gini.is_some()) {
        let limits: Vec<String> = [
            ("gini", &s.health.gini),
            ("top-up concentration", &s.health.topup_concentration),
            ("untagged share", &s.health.untagged_share),
        ]
        .into_iter()
        .filter_map(|(name, m)| {
            let m = m.as_ref()?;
            Some(format!("{name} {} {}", m.op.as_deref()?, m.threshold?))
        })
        .collect();
        if !limits.is_empty() {
            let _ = writeln!(
                out,
                "  thresholds in {}: {}",
                esc(&s.sprint),
                limits.join(", ")
            );
        }
    }
}

fn funnel(out: &mut String, report: &Report) {
    let f = &report.funnel;
    let _ = writeln!(
        out,
        "\nfunnel (variants explored in the series)\n  explored {} → used in ≥ 2 sprints {} → candidate {} → in catalog {} → kept {}",
        f.explored, f.used_in_two_sprints, f.candidate, f.in_catalog, f.kept
    );
}

/// The columns of the capacity quartiles, in the text report and the dashboard alike.
pub(crate) const QUARTILE_HEADER: [&str; 9] = [
    "quartile",
    "squads",
    "capacity",
    "candidates",
    "access ratio",
    "credits",
    "credit ratio",
    "median sprints to candidate",
    "originating squads",
];

fn quartiles(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "\ncapacity quartiles ({} ranked by capacity over the series; ratio 1.00 is proportional, near 1 is {:.2} to {NEAR_ONE_FACTOR:.2})",
        count(report.squads, "squad"),
        1.0 / NEAR_ONE_FACTOR
    );
    let header = QUARTILE_HEADER;
    let body = report
        .quartiles
        .iter()
        .map(|q| {
            vec![
                q.label.clone(),
                q.squads.len().to_string(),
                percent(q.capacity_share),
                format!("{} ({})", q.candidates, percent(q.candidate_share)),
                number(q.access_ratio, 2),
                percent(q.credit_share),
                number(q.credit_ratio, 2),
                number(q.median_sprints_to_candidate, 1),
                q.originating_squads.to_string(),
            ]
        })
        .collect();
    table(out, &header, body);
    let _ = writeln!(
        out,
        "  {} of {} originated a candidate",
        report.originating_squads.len(),
        count(report.squads, "squad")
    );
}

fn mismatches(out: &mut String, report: &Report) {
    out.push_str("\ncredit mismatches (catalog origin is not the squad bursar credited)\n");
    if report.credit_mismatches.is_empty() {
        out.push_str("  none\n");
        return;
    }
    let header = ["variant", "credited", "in", "recorded", "in"];
    let body = report
        .credit_mismatches
        .iter()
        .map(|m| {
            [
                &m.variant,
                &m.credited_origin,
                &m.credited_in,
                &m.recorded_origin,
                &m.recorded_in,
            ]
            .map(|t| esc(t).into_owned())
            .to_vec()
        })
        .collect();
    table(out, &header, body);
}

fn journeys(out: &mut String, report: &Report) {
    out.push_str("\nvariant journeys\n");
    if report.journeys.is_empty() {
        out.push_str("  none\n");
        return;
    }
    let header = [
        "variant",
        "first explored",
        "sprints used",
        "first candidate",
        "sprints to candidate",
        "origin quartile",
        "entered catalog",
        "sunset",
        "kept",
    ];
    let sprint = |s: &Option<String>| s.as_deref().map_or("-".to_owned(), |s| esc(s).into_owned());
    let body = report
        .journeys
        .iter()
        .map(|j| {
            let entered = match (&j.entered_catalog, j.catalogued_before) {
                (Some(_), true) => "before".to_owned(),
                (e, _) => sprint(e),
            };
            vec![
                esc(&j.variant).into_owned(),
                sprint(&j.first_explored),
                j.sprints_used.len().to_string(),
                sprint(&j.first_candidate),
                j.sprints_to_candidate
                    .map_or("-".to_owned(), |n| n.to_string()),
                j.origin_quartile.map_or("-".to_owned(), |q| {
                    crate::trends::QUARTILE_LABELS[usize::from(q) - 1].to_owned()
                }),
                entered,
                sprint(&j.sunset),
                if j.kept { "yes" } else { "no" }.to_owned(),
            ]
        })
        .collect();
    table(out, &header, body);
}

/// A figure with ✓ or ✗ when the pack checked it, `-` when the pack gave none.
fn measure(m: Option<&Measure>) -> String {
    match m {
        None => "-".to_owned(),
        Some(m) => match m.pass {
            Some(true) => format!("{:.2} ✓", m.value),
            Some(false) => format!("{:.2} ✗", m.value),
            None => format!("{:.2}", m.value),
        },
    }
}

fn number(value: Option<f64>, decimals: usize) -> String {
    value.map_or("-".to_owned(), |v| format!("{v:.decimals$}"))
}

/// Rows under a header, columns aligned by display width: the first column to the
/// left, the others to the right (they are figures).
fn table(out: &mut String, header: &[&str], body: Vec<Vec<String>>) {
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let rows: Vec<&Vec<String>> = std::iter::once(&header).chain(&body).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| rows.iter().map(|r| r[c].width()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::from(" ");
        for (c, cell) in row.iter().enumerate() {
            let gap = " ".repeat(widths[c].saturating_sub(cell.width()));
            if c == 0 {
                let _ = write!(line, " {cell}{gap}");
            } else {
                let _ = write!(line, "  {gap}{cell}");
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}
