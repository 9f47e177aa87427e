//! The dashboard's tables: the numbers under every chart, the variant journeys and the
//! credit mismatches, as plain HTML tables a screen reader and a spreadsheet can read.

use std::fmt::Write;

use super::svg::escape;
use crate::trends::{QUARTILE_LABELS, Report};

/// A table cell: text to the left, figures to the right.
pub enum Cell {
    Text(String),
    Figure(String),
}

impl Cell {
    pub fn text(s: &str) -> Self {
        Self::Text(s.to_owned())
    }

    pub fn int(n: impl Into<u64>) -> Self {
        Self::Figure(thousands(n.into()))
    }

    /// A figure with `decimals` places, `–` when there is none.
    pub fn number(v: Option<f64>, decimals: usize) -> Self {
        Self::Figure(v.map_or("–".to_owned(), |v| format!("{v:.decimals$}")))
    }

    pub fn percent(share: f64) -> Self {
        Self::Figure(crate::text::percent(share))
    }

    /// A sprint id, `–` when there is none.
    pub fn sprint(s: &Option<String>) -> Self {
        Self::Text(s.clone().unwrap_or_else(|| "–".to_owned()))
    }
}

/// `12,345,678`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A captioned table, scrolling sideways on a narrow screen.
pub fn table(out: &mut String, caption: &str, header: &[&str], rows: Vec<Vec<Cell>>) {
    classed_table(out, "", caption, header, rows);
}

/// [`table`] with a CSS class (`by-sprint`: headers that never wrap).
pub fn classed_table(
    out: &mut String,
    class: &str,
    caption: &str,
    header: &[&str],
    rows: Vec<Vec<Cell>>,
) {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{class}\"")
    };
    let _ = write!(
        out,
        "<div class=\"scroll\"><table{class}>\n<caption>{}</caption>\n<thead><tr>",
        escape(caption)
    );
    for h in header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = match cell {
                Cell::Text(t) => write!(out, "<td>{}</td>", escape(&t)),
                Cell::Figure(t) => write!(out, "<td class=\"n\">{}</td>", escape(&t)),
            };
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

/// The credit mismatches: the squad bursar credited against the one the catalog records.
pub fn mismatches(out: &mut String, report: &Report) {
    out.push_str("<h2 id=\"credits\">Credit mismatches</h2>\n");
    out.push_str(
        "<p>Catalog entries whose recorded <code>origin_squad</code> is not the squad bursar \
         credited as origin when the variant was first a candidate: credit taken.</p>\n",
    );
    if report.credit_mismatches.is_empty() {
        out.push_str("<p><strong>None</strong>: every promoted variant names the squad bursar credited.</p>\n");
        return;
    }
    let rows = report
        .credit_mismatches
        .iter()
        .map(|m| {
            vec![
                Cell::text(&m.variant),
                Cell::text(&m.credited_origin),
                Cell::text(&m.credited_in),
                Cell::text(&m.recorded_origin),
                Cell::text(&m.recorded_in),
            ]
        })
        .collect();
    let header = [
        "variant",
        "credited origin",
        "credited in",
        "catalog records",
        "recorded in",
    ];
    table(out, "Credit mismatches", &header, rows);
}

/// Credit captured (every capture, with both squads and sprints) and the catalog
/// entries that record no origin: the answer's credit findings, whole. A part of the
/// credits section, the one place the page names squads.
pub fn captures(out: &mut String, report: &Report) {
    out.push_str("<h3 id=\"captures\">Credit captured</h3>\n");
    out.push_str(
        "<p>Variants whose first exploration run in the series was one squad's and whose \
         credit went to another.</p>\n",
    );
    if report.credit_captures.is_empty() {
        out.push_str("<p><strong>None</strong>: every candidate was credited to the squad that explored it first.</p>\n");
    } else {
        let rows = report
            .credit_captures
            .iter()
            .map(|c| {
                vec![
                    Cell::text(&c.variant),
                    Cell::text(&c.explored_by),
                    Cell::text(&c.explored_in),
                    Cell::text(&c.credited),
                    Cell::text(&c.credited_in),
                ]
            })
            .collect();
        let header = [
            "variant",
            "explored by",
            "explored in",
            "credited",
            "credited in",
        ];
        table(out, "Credit captured", &header, rows);
    }
    let bare = &report.catalog_without_origin;
    if bare.is_empty() {
        out.push_str("<p>Every catalog entry records an origin squad.</p>\n");
        return;
    }
    let _ = write!(
        out,
        "<p><strong>{} catalog {} no origin squad</strong>, so no credit can be checked:</p>\n<ul>",
        bare.len(),
        if bare.len() == 1 {
            "entry records"
        } else {
            "entries record"
        }
    );
    for v in bare {
        let _ = write!(out, "<li><code>{}</code></li>", escape(v));
    }
    out.push_str("</ul>\n");
}

/// Every variant's path through the series, workflows by name.
pub fn journeys(out: &mut String, report: &Report) {
    out.push_str("<h2 id=\"journeys\">Variant journeys</h2>\n");
    if report.journeys.is_empty() {
        out.push_str("<p>No variant was seen in the series.</p>\n");
        return;
    }
    out.push_str(
        "<p>Each variant from its first exploration run to the catalog. Variants catalogued \
         before the series are folded below.</p>\n",
    );
    let row = |j: &crate::trends::Journey| {
        vec![
            Cell::text(&j.variant),
            Cell::text(&j.family),
            Cell::sprint(&j.first_explored),
            Cell::int(j.sprints_used.len() as u64),
            Cell::sprint(&j.first_candidate),
            Cell::number(j.sprints_to_candidate.map(f64::from), 0),
            Cell::Text(j.origin_quartile.map_or("–".to_owned(), |q| {
                QUARTILE_LABELS[usize::from(q).clamp(1, 4) - 1].to_owned()
            })),
            Cell::sprint(&j.entered_catalog),
            Cell::sprint(&j.sunset),
            Cell::text(if j.kept { "yes" } else { "no" }),
        ]
    };
    let header = [
        "variant",
        "family",
        "first explored",
        "sprints used",
        "first candidate",
        "sprints to candidate",
        "origin quartile",
        "entered catalog",
        "sunset",
        "kept",
    ];
    let (before, series): (Vec<_>, Vec<_>) =
        report.journeys.iter().partition(|j| j.catalogued_before);
    table(
        out,
        "Variants explored in the series",
        &header,
        series.into_iter().map(row).collect(),
    );
    if !before.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} catalogued before the series</summary>",
            before.len()
        );
        table(
            out,
            "Variants catalogued before the series",
            &header,
            before.into_iter().map(row).collect(),
        );
        out.push_str("</details>\n");
    }
}

/// Whether the rules moved: the pack's digests over the series.
pub fn pack(out: &mut String, report: &Report) {
    out.push_str("<h2 id=\"pack\">Policy pack</h2>\n");
    let p = &report.pack;
    if !p.changed {
        let digest = p.digests.first().map_or("", String::as_str);
        let _ = writeln!(
            out,
            "<p>The same pack judged every sprint (SHA-256 <code>{}</code>): the rules did not move.</p>",
            escape(digest)
        );
        return;
    }
    let _ = writeln!(
        out,
        "<p><strong>The pack changed within the series</strong> ({} digests): rules that move are not public rules.</p>",
        p.digests.len()
    );
    let rows = p
        .changes
        .iter()
        .map(|c| {
            vec![
                Cell::text(&c.sprint),
                Cell::text(&c.file),
                Cell::sprint(&c.from),
                Cell::sprint(&c.to),
            ]
        })
        .collect();
    table(out, "Pack changes", &["sprint", "file", "from", "to"], rows);
}
