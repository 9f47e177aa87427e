//! The dashboard's charted sections, each a chart from `svg` and the table of its numbers:
//! the verdicts, exploration by workflow family, the funnel, candidates per sprint, the
//! health figures against their thresholds, and access by capacity quartile.

use std::fmt::Write;

use super::dashboard_tables::{Cell, classed_table, table};
use super::svg::{self, Labels, Reference, Series, escape};
use crate::trends::{Measure, Report, SprintRow, Status};

fn sprint_ids(report: &Report) -> Vec<String> {
    report.sprints.iter().map(|s| s.sprint.clone()).collect()
}

/// A table with a row per sprint and a column per figure: the numbers under a chart over
/// sprints. Rows, not columns, per sprint: a long series grows down the page, where a
/// reader scrolls anyway, instead of past its right edge.
fn by_sprint(out: &mut String, caption: &str, sprints: &[String], rows: Vec<(&str, Vec<Cell>)>) {
    let mut header = vec!["sprint"];
    header.extend(rows.iter().map(|(name, _)| *name));
    let mut columns: Vec<std::vec::IntoIter<Cell>> = rows
        .into_iter()
        .map(|(_, cells)| cells.into_iter())
        .collect();
    let body = sprints
        .iter()
        .map(|sprint| {
            let mut row = vec![Cell::text(sprint)];
            row.extend(columns.iter_mut().filter_map(Iterator::next));
            row
        })
        .collect();
    classed_table(out, "by-sprint", caption, &header, body);
}

pub fn verdicts(out: &mut String, report: &Report) {
    out.push_str("<h2 id=\"verdicts\">Verdicts</h2>\n<ul>\n");
    for v in &report.verdicts {
        let class = match v.status {
            Status::Met => "met",
            Status::NotMet => "not-met",
            Status::Unknown => "unknown",
        };
        let _ = write!(
            out,
            "<li><strong>{}</strong>: <span class=\"{class}\">{}</span><ul>",
            escape(v.condition.as_str()),
            escape(v.status.as_str())
        );
        for f in &v.findings {
            let _ = write!(out, "<li>{}</li>", escape(&f.to_string()));
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ul>\n");
}

pub fn exploration(out: &mut String, report: &Report) {
    out.push_str("<h2 id=\"exploration\">Exploration by workflow family</h2>\n");
    out.push_str("<p>Exploration-pool tokens per sprint, one band per workflow family; untagged runs are their own band, spend no family can claim.</p>\n");
    let mut families: Vec<&str> = report
        .sprints
        .iter()
        .flat_map(|s| s.exploration_tokens_by_family.keys().map(String::as_str))
        .collect();
    families.sort_unstable();
    families.dedup();
    let tokens =
        |s: &SprintRow, f: &str| s.exploration_tokens_by_family.get(f).copied().unwrap_or(0);
    let mut bands: Vec<Series> = families
        .iter()
        .map(|f| Series::new(*f, report.sprints.iter().map(|s| Some(tokens(s, f) as f64))))
        .collect();
    bands.push(Series::new(
        "untagged",
        report
            .sprints
            .iter()
            .map(|s| Some(s.untagged_exploration_tokens as f64)),
    ));
    let labels = Labels {
        id: "exploration",
        title: "Exploration tokens by workflow family",
        x: "sprint",
        y: "exploration tokens",
    };
    out.push_str(&svg::stacked::chart(&labels, &sprint_ids(report), &bands));
    let mut header = vec!["sprint"];
    header.extend(families.iter().copied());
    header.extend(["untagged", "total"]);
    let rows = report
        .sprints
        .iter()
        .map(|s| {
            let mut row = vec![Cell::text(&s.sprint)];
            row.extend(families.iter().map(|f| Cell::int(tokens(s, f))));
            let total: u64 = s.exploration_tokens_by_family.values().sum::<u64>()
                + s.untagged_exploration_tokens;
            row.extend([Cell::int(s.untagged_exploration_tokens), Cell::int(total)]);
            row
        })
        .collect();
    table(out, "Exploration tokens by workflow family", &header, rows);
}

pub fn funnel(out: &mut String, report: &Report) {
    out.push_str("<h2 id=\"funnel\">From exploration to the catalog</h2>\n");
    out.push_str("<p>Variants explored in the series, and how many reached each stage.</p>\n");
    let f = &report.funnel;
    let stages = [
        ("explored", f.explored),
        ("used in ≥ 2 sprints", f.used_in_two_sprints),
        ("candidate", f.candidate),
        ("in catalog", f.in_catalog),
        ("kept", f.kept),
    ];
    let rows: Vec<String> = stages.iter().map(|(s, _)| (*s).to_owned()).collect();
    let series = [Series::new(
        "variants",
        stages.iter().map(|(_, n)| Some(*n as f64)),
    )];
    let labels = Labels {
        id: "funnel",
        title: "Funnel: explored to kept",
        x: "variants",
        y: "stage",
    };
    out.push_str(&svg::hbars::chart(&labels, &rows, &series, None));
    let body = stages
        .iter()
        .map(|(s, n)| {
            let share = if f.explored == 0 {
                0.0
            } else {
                *n as f64 / f.explored as f64
            };
            vec![Cell::text(s), Cell::int(*n as u64), Cell::percent(share)]
        })
        .collect();
    table(out, "Funnel", &["stage", "variants", "of explored"], body);
}

pub fn candidates(out: &mut String, report: &Report) {
    out.push_str("<h2 id=\"candidates\">Candidates per sprint</h2>\n");
    let ids = sprint_ids(report);
    let s = &report.sprints;
    let groups = [
        Series::new(
            "new candidates",
            s.iter().map(|r| Some(r.new_candidates as f64)),
        ),
        Series::new(
            "not yet promoted",
            s.iter().map(|r| Some(r.candidates_not_promoted as f64)),
        ),
        Series::new(
            "entered catalog",
            s.iter().map(|r| Some(r.entered_catalog as f64)),
        ),
    ];
    let labels = Labels {
        id: "candidates",
        title: "New candidates, promotion backlog and catalog entries",
        x: "sprint",
        y: "variants",
    };
    out.push_str(&svg::bars::chart(&labels, &ids, &groups, None));
    let rows = s
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.sprint),
                Cell::int(r.variants_explored as u64),
                Cell::int(r.new_candidates as u64),
                Cell::int(r.candidates_not_promoted as u64),
                Cell::int(r.entered_catalog as u64),
            ]
        })
        .collect();
    let header = [
        "sprint",
        "explored",
        "new candidates",
        "not yet promoted",
        "entered catalog",
    ];
    table(out, "Candidates per sprint", &header, rows);
    let median = [Series::new(
        "median sprints to candidate",
        s.iter().map(|r| r.median_sprints_to_candidate),
    )];
    let labels = Labels {
        id: "time-to-candidate",
        title: "Time to candidate (median of the sprint's new candidates)",
        x: "sprint",
        y: "sprints from first exploration",
    };
    out.push_str(&svg::lines::chart(&labels, &ids, &median, None));
    let cells = |f: fn(&SprintRow) -> Cell| s.iter().map(f).collect();
    by_sprint(
        out,
        "Time to candidate",
        &ids,
        vec![
            (
                "new candidates",
                cells(|r| Cell::int(r.new_candidates as u64)),
            ),
            (
                "median sprints to candidate",
                cells(|r| Cell::number(r.median_sprints_to_candidate, 1)),
            ),
        ],
    );
}

/// `≤ 0.35`, the way the pack checked a figure, from the first sprint that checked it.
fn threshold(report: &Report, pick: fn(&SprintRow) -> Option<&Measure>) -> Option<(f64, String)> {
    report.sprints.iter().filter_map(pick).find_map(|m| {
        let op = match m.op.as_deref()? {
            "<=" => "≤",
            ">=" => "≥",
            other => other,
        };
        Some((m.threshold?, format!("threshold {op} {:.2}", m.threshold?)))
    })
}

fn measure(m: Option<&Measure>) -> Cell {
    Cell::Figure(match m {
        None => "–".to_owned(),
        Some(Measure {
            value,
            pass: Some(true),
            ..
        }) => format!("{value:.2} ✓"),
        Some(Measure {
            value,
            pass: Some(false),
            ..
        }) => format!("{value:.2} ✗"),
        Some(m) => format!("{:.2}", m.value),
    })
}

pub fn health(out: &mut String, report: &Report) {
    out.push_str("<h2 id=\"health\">Health against the pack's thresholds</h2>\n");
    out.push_str("<p>The <code>health</code> policy's figures per sprint; the dashed line is the threshold the pack checked (✓ within it, ✗ not, in the table).</p>\n");
    let ids = sprint_ids(report);
    type Pick = fn(&SprintRow) -> Option<&Measure>;
    let figures: [(&str, &str, &str, Pick); 3] = [
        ("gini", "Gini of capacity", "Gini (0 = equal)", |s| {
            s.health.gini.as_ref()
        }),
        (
            "topup-concentration",
            "Top-up concentration",
            "largest squad's share",
            |s| s.health.topup_concentration.as_ref(),
        ),
        (
            "untagged-share",
            "Untagged share of exploration tokens",
            "share untagged",
            |s| s.health.untagged_share.as_ref(),
        ),
    ];
    for (id, title, y, pick) in figures {
        let line = [Series::new(
            title,
            report.sprints.iter().map(|s| pick(s).map(|m| m.value)),
        )];
        let limit = threshold(report, pick);
        let reference = limit.as_ref().map(|(value, label)| Reference {
            value: *value,
            label,
        });
        let labels = Labels {
            id,
            title,
            x: "sprint",
            y,
        };
        out.push_str(&svg::lines::chart(&labels, &ids, &line, reference.as_ref()));
        let caption = match &limit {
            Some((_, label)) => format!("{title} ({label}: ✓ within, ✗ not)"),
            None => title.to_owned(),
        };
        let row = report.sprints.iter().map(|s| measure(pick(s))).collect();
        by_sprint(out, &caption, &ids, vec![(y, row)]);
    }
    let cells = |f: fn(&SprintRow) -> Cell| report.sprints.iter().map(f).collect();
    let rows = vec![
        ("outcome", cells(|s| Cell::sprint(&s.health.outcome))),
        (
            "squads without baseline",
            cells(|s| match &s.health.squads_without_baseline {
                Some(l) => Cell::int(l.len() as u64),
                None => Cell::Figure("–".to_owned()),
            }),
        ),
        (
            "informal top-ups",
            cells(|s| Cell::int(s.health.informal_topups.len() as u64)),
        ),
    ];
    by_sprint(out, "Health decisions by sprint", &ids, rows);
}

pub fn access(out: &mut String, report: &Report) {
    out.push_str("<h2 id=\"access\">Access by capacity quartile</h2>\n");
    let _ = writeln!(
        out,
        "<p>Squads grouped by capacity over the series (baseline plus granted top-ups), top first. \
         The access ratio is a quartile's share of originated candidates over its share of \
         capacity; the credit ratio the same for credits. 1.0 is proportional. {} of {} squads \
         originated a candidate.</p>",
        report.originating_squads.len(),
        report.squads
    );
    let rows: Vec<String> = report.quartiles.iter().map(|q| q.label.clone()).collect();
    let series = [
        Series::new(
            "access ratio",
            report.quartiles.iter().map(|q| q.access_ratio),
        ),
        Series::new(
            "credit ratio",
            report.quartiles.iter().map(|q| q.credit_ratio),
        ),
    ];
    let labels = Labels {
        id: "access",
        title: "Access ratio by capacity quartile",
        x: "ratio (share of candidates or credits ÷ share of capacity)",
        y: "capacity quartile",
    };
    let proportional = Reference {
        value: 1.0,
        label: "proportional (1.0)",
    };
    out.push_str(&svg::hbars::chart(
        &labels,
        &rows,
        &series,
        Some(&proportional),
    ));
    let body = report
        .quartiles
        .iter()
        .map(|q| {
            vec![
                Cell::text(&q.label),
                Cell::int(q.squads.len() as u64),
                Cell::percent(q.capacity_share),
                Cell::Figure(format!(
                    "{} ({:.0}%)",
                    q.candidates,
                    q.candidate_share * 100.0
                )),
                Cell::number(q.access_ratio, 2),
                Cell::percent(q.credit_share),
                Cell::number(q.credit_ratio, 2),
                Cell::number(q.median_sprints_to_candidate, 1),
                Cell::int(q.originating_squads as u64),
            ]
        })
        .collect();
    let header = super::text::QUARTILE_HEADER;
    table(out, "Capacity quartiles", &header, body);
}
