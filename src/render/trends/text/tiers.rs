//! The trends text's influence tiers (over the series and by window) and credit
//! captures: who originated candidates against their share of people, with intervals.

use std::fmt::Write;

use crate::text::{escape_terminal as esc, percent};
use crate::trends::{InfluenceTier, Report};

fn tier_line(t: &InfluenceTier) -> String {
    format!(
        "{:<13} people {:>4}  squads {:>4}  candidates {:>3} = {:>4} ({} to {})  experiments {:>3}, {} became candidates",
        t.label,
        percent(t.people_share),
        percent(t.squad_share),
        t.candidates,
        percent(t.candidate_share),
        percent(t.interval[0]),
        percent(t.interval[1]),
        t.experiments,
        t.survived
    )
}

/// Tiers over the series, then each window's gap and tier shares.
pub fn tiers(out: &mut String, report: &Report) {
    let _ = writeln!(
        out,
        "\ninfluence tiers (people ranked by {})",
        super::super::findings::ranked_by(report.answer.figures.measure)
    );
    for t in &report.influence_tiers {
        let _ = writeln!(out, "  {}", tier_line(t));
    }
    out.push_str("\nby window (influence gap: 0 = candidates in proportion to people)\n");
    for w in &report.windows {
        let gap = match (w.gap, w.interval) {
            (Some(g), Some([lo, hi])) => format!("gap {g:+.2} ({lo:+.2} to {hi:+.2})"),
            _ => "no candidate".to_owned(),
        };
        let shares: Vec<String> = w
            .tiers
            .iter()
            .map(|t| {
                format!(
                    "{} {}/{}",
                    t.label,
                    percent(t.candidate_share),
                    percent(t.people_share)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  {} to {}: {} candidates, {gap}; candidates/people: {}",
            esc(&w.first),
            esc(&w.last),
            w.candidates,
            shares.join(", ")
        );
    }
}

/// Credit captures and catalog entries with no origin.
pub fn captures(out: &mut String, report: &Report) {
    if !report.credit_captures.is_empty() {
        out.push_str("\ncredit captures (first explored by one squad, credited to another)\n");
        for c in &report.credit_captures {
            let _ = writeln!(
                out,
                "  {}: explored by {} in {}, credited to {} in {}",
                esc(&c.variant),
                esc(&c.explored_by),
                esc(&c.explored_in),
                esc(&c.credited),
                esc(&c.credited_in)
            );
        }
    }
    if !report.catalog_without_origin.is_empty() {
        out.push_str("\ncatalog entries without an origin squad\n");
        for v in &report.catalog_without_origin {
            let _ = writeln!(out, "  {}", esc(v));
        }
    }
}
