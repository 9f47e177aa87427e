//! The dashboard's first screen: the answer in one sentence, marked by an icon and a word
//! as well as a colour, and the chart that decides it: each influence tier's share of
//! candidates (bars, with 95% intervals) against its share of people (ticks), window by
//! window. In proportion, bars meet their ticks; entrenched, the top bars tower and the
//! bottom ones vanish.

use std::fmt::Write;

use super::svg::escape;
use crate::trends::{Direction, Finding, InfluenceTier, Report, Window};

pub const STYLE: &str = "
.answer { border: 3px solid #111; border-left-width: 14px; padding: 0.6rem 1rem; margin: 0.6rem 0; }
.answer.surfacing { border-color: #1a7f37; background: #eefbf1; }
.answer.entrenching { border-color: #b42318; background: #fdf0ef; }
.answer.inconclusive { border-color: #8a6d00; background: #fff8e1; border-style: dashed; }
.answer .verdict { font-size: 1.35rem; font-weight: 800; letter-spacing: 0.04em; }
.answer .icon { font-size: 1.5rem; margin-right: 0.4rem; }
.answer ul { margin: 0.3rem 0 0; padding-left: 1.2rem; font-size: 0.9rem; }
.decider { width: 100%; height: auto; display: block; margin: 0.3rem 0; }
.key { font-size: 0.8rem; color: #333; margin: 0; }
";

/// Tier fills, darkest for the most influential: told apart by shade and by position.
const FILLS: [&str; 4] = ["#3b2a7a", "#6f5fb8", "#a99fd8", "#d9d3f2"];

/// The answer banner: icon, verdict word, the sentence, the three figures.
pub fn banner(out: &mut String, report: &Report) {
    let a = &report.answer;
    let (class, icon, word) = match a.verdict {
        Direction::Surfacing => ("surfacing", "&#10004;", "SURFACING WORKFLOWS"),
        Direction::Entrenching => ("entrenching", "&#9888;", "ENTRENCHING SQUADS"),
        Direction::Inconclusive => ("inconclusive", "?", "INCONCLUSIVE"),
    };
    let since = a
        .since
        .as_deref()
        .map(|s| format!(" since {}", escape(s)))
        .unwrap_or_default();
    let sentence = a
        .findings
        .first()
        .map(|s| escape(&s.to_string()))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<section class=\"answer {class}\" id=\"answer\" role=\"status\">\
         <div><span class=\"icon\" aria-hidden=\"true\">{icon}</span>\
         <span class=\"verdict\">Answer: {word}{since}</span></div>\
         <div>{sentence}</div><ul>"
    );
    // The three figures and survival, which decides as much as they do (an answer
    // resting on how the halves' experiments fared shows its evidence at a glance), then
    // what withheld `surfacing` and what would settle an inconclusive answer, as the text
    // report says them. Captures and entries without origin have a section of their own.
    let credit = |f: &&Finding| {
        matches!(
            f,
            Finding::CreditCaptured { .. } | Finding::NoOriginListed { .. }
        )
    };
    for f in a.findings.iter().skip(1).filter(|f| !credit(f)) {
        let _ = write!(out, "<li>{}</li>", escape(&f.to_string()));
    }
    out.push_str("</ul></section>\n");
}

/// The deciding chart: the whole series first, then each window.
pub fn chart(out: &mut String, report: &Report) {
    let whole = whole_series(report);
    let windows: Vec<&Window> = std::iter::once(&whole).chain(&report.windows).collect();
    let g = Geometry::new(windows.len());
    let (w, h, left, right) = (g.w, g.h, g.left, g.right);
    let _ = write!(
        out,
        "<svg class=\"decider\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"decider-title\">\
         <title id=\"decider-title\">Share of candidates by influence tier (bars, 95% intervals) against each tier's share of people (black ticks), by window</title>"
    );
    for pct in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            out,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{:.0}%</text>",
            w - right,
            left - 4.0,
            g.y(pct) + 4.0,
            pct * 100.0,
            y0 = g.y(pct)
        );
    }
    for (i, &win) in windows.iter().enumerate() {
        window(out, &g, i, win);
    }
    legend(out, &g);
    out.push_str("</svg>\n");
    let _ = writeln!(
        out,
        "<p class=\"key\">The whole series first (left of the dashed line), then each window. Bars, left to right in each group: the top, upper-middle, lower-middle and bottom quarter of people ranked by {}, darkest first; red whiskers: 95% interval of the share; black ticks: the tier's share of people. Bars at their ticks: candidates in proportion to people. Tall dark bars, empty light ones: entrenching.</p>",
        super::findings::ranked_by(report.answer.figures.measure)
    );
}

/// The whole series as a window, its gap the answer's.
fn whole_series(report: &Report) -> Window {
    Window {
        first: report
            .sprints
            .first()
            .map(|s| s.sprint.clone())
            .unwrap_or_default(),
        last: report
            .sprints
            .last()
            .map(|s| s.sprint.clone())
            .unwrap_or_default(),
        candidates: report.influence_tiers.iter().map(|t| t.candidates).sum(),
        gap: report.answer.figures.gap.as_ref().map(|g| g.influence_gap),
        interval: None,
        tiers: report.influence_tiers.clone(),
    }
}

/// Where the chart draws: its size, margins, and each window's slot and bar widths.
struct Geometry {
    w: f64,
    h: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    slot: f64,
    bar: f64,
}

impl Geometry {
    fn new(windows: usize) -> Self {
        let (w, h) = (960.0, 300.0);
        let (left, right, top, bottom) = (44.0, 8.0, 40.0, 40.0);
        let slot = (w - left - right) / windows.max(1) as f64;
        Self {
            w,
            h,
            left,
            right,
            top,
            bottom,
            slot,
            bar: (slot * 0.8 / 4.0).min(40.0),
        }
    }

    /// The height of a share (0 to 1, clamped).
    fn y(&self, share: f64) -> f64 {
        let plot_h = self.h - self.top - self.bottom;
        self.top + plot_h * (1.0 - share.clamp(0.0, 1.0))
    }
}

/// Window `i`'s bars, whiskers and ticks, and its label; the whole series (`i` 0) set
/// apart by a dashed line.
fn window(out: &mut String, g: &Geometry, i: usize, win: &Window) {
    let (bar, h, top, bottom) = (g.bar, g.h, g.top, g.bottom);
    let x0 = g.left + g.slot * i as f64 + g.slot * 0.1;
    for (t, tier) in win.tiers.iter().enumerate() {
        tier_bar(out, g, x0 + bar * t as f64, t, tier, win.candidates);
    }
    let gap = win
        .gap
        .map(|g| format!(", gap {g:+.2}"))
        .unwrap_or_default();
    let span = if i == 0 {
        "whole series".to_owned()
    } else {
        format!("{}–{}", escape(&win.first), escape(&win.last))
    };
    if i == 0 {
        let sx = g.left + g.slot - 1.0;
        let _ = write!(
            out,
            "<line x1=\"{sx:.1}\" x2=\"{sx:.1}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"#111\" stroke-dasharray=\"4 3\"/>",
            h - 6.0
        );
    }
    let weight = if i == 0 { "700" } else { "400" };
    let _ = write!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" font-weight=\"{weight}\" text-anchor=\"middle\">{span}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">n = {}{gap}</text>",
        x0 + bar * 2.0,
        h - bottom + 15.0,
        x0 + bar * 2.0,
        h - bottom + 29.0,
        win.candidates
    );
}

/// One tier's bar at `x` (its share of the window's `candidates`), its 95% whisker, and
/// the tick of its share of people.
fn tier_bar(
    out: &mut String,
    g: &Geometry,
    x: f64,
    t: usize,
    tier: &InfluenceTier,
    candidates: usize,
) {
    let bar = g.bar;
    let share = if candidates == 0 {
        0.0
    } else {
        tier.candidate_share
    };
    let _ = write!(
        out,
        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {} of {} candidates, {:.0}% of people</title></rect>",
        g.y(share),
        bar * 0.9,
        g.y(0.0) - g.y(share),
        FILLS[t],
        escape(&tier.label),
        tier.candidates,
        candidates,
        tier.people_share * 100.0
    );
    if candidates > 0 {
        let cx = x + bar * 0.45;
        let _ = write!(
            out,
            "<line x1=\"{cx:.1}\" x2=\"{cx:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#c00\" stroke-width=\"1.5\"/>",
            g.y(tier.interval[0]),
            g.y(tier.interval[1])
        );
    }
    let py = g.y(tier.people_share);
    let _ = write!(
        out,
        "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{py:.1}\" y2=\"{py:.1}\" stroke=\"#000\" stroke-width=\"3\"/>",
        x - 1.0,
        x + bar * 0.9 + 1.0
    );
}

/// The title and the key of tier fills.
fn legend(out: &mut String, g: &Geometry) {
    let left = g.left;
    let _ = write!(
        out,
        "<text x=\"{left}\" y=\"14\" font-size=\"12\" font-weight=\"700\">Who originates candidates, by influence tier, against their share of people</text>"
    );
    for (t, label) in ["top", "upper-middle", "lower-middle", "bottom"]
        .iter()
        .enumerate()
    {
        let x = left + 110.0 * t as f64;
        let _ = write!(
            out,
            "<rect x=\"{x:.1}\" y=\"20\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"#111\" stroke-width=\"0.5\"/>\
             <text x=\"{:.1}\" y=\"30\" font-size=\"11\">{label}</text>",
            FILLS[t],
            x + 16.0
        );
    }
}
