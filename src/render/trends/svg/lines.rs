//! Lines over categories (sprints): one line per series with a marker shape of its own
//! (circle, square, triangle, diamond) so lines differ without colour, gaps where a value
//! is missing, and an optional dashed reference line (a policy threshold).

use std::fmt::Write;

use super::{COLOURS, Frame, Labels, Reference, Series, WIDTH, compact, escape, ticks};

/// A marker of shape `i` centred on (x, y).
fn marker(out: &mut String, i: usize, x: f64, y: f64, colour: &str) {
    let _ = match i % 4 {
        0 => write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{colour}"/>"#
        ),
        1 => write!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="7" height="7" fill="{colour}"/>"#,
            x - 3.5,
            y - 3.5
        ),
        2 => write!(
            out,
            r#"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{colour}"/>"#,
            y - 4.5,
            x + 4.5,
            y + 3.5,
            x - 4.5,
            y + 3.5
        ),
        _ => write!(
            out,
            r#"<path d="M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z" fill="{colour}"/>"#,
            y - 4.5,
            x + 4.5,
            y + 4.5,
            x - 4.5
        ),
    };
}

/// The chart as an `<svg>` element.
pub fn chart(
    labels: &Labels,
    categories: &[String],
    lines: &[Series],
    reference: Option<&Reference>,
) -> String {
    let max = lines
        .iter()
        .flat_map(|l| l.values.iter().flatten().copied())
        .chain(reference.map(|r| r.value * 1.15))
        .fold(0.0, f64::max);
    let (top, ticks) = ticks(max);
    let frame = Frame::new(lines.len(), categories.len());
    let mut out = String::new();
    frame.open(&mut out, labels, &ticks, top);
    if let Some(r) = reference {
        frame.reference(&mut out, r, top);
    }
    for (l, line) in lines.iter().enumerate() {
        one_line(&mut out, &frame, top, categories, l, line);
    }
    frame.categories(&mut out, categories);
    if frame.legend {
        legend(&mut out, &frame, lines);
    }
    out.push_str("</svg>");
    super::one_element_a_line(&out)
}

/// Line `l`: its paths between gaps, then a marker with a tooltip at each value.
fn one_line(
    out: &mut String,
    frame: &Frame,
    top: f64,
    categories: &[String],
    l: usize,
    line: &Series,
) {
    let n = categories.len();
    let colour = COLOURS[l % COLOURS.len()];
    let dash = [
        "",
        r#" stroke-dasharray="2 3""#,
        r#" stroke-dasharray="8 3""#,
    ][l % 3];
    let points: Vec<Option<(f64, f64)>> = (0..n)
        .map(|i| {
            let v = line.values.get(i).copied().flatten()?;
            let (x, w) = frame.band(i, n);
            Some((x + w / 2.0, frame.y(v, top)))
        })
        .collect();
    // One path per unbroken run of values: a missing value is a gap, never a zero.
    for run in points.split(Option::is_none).filter(|r| r.len() > 1) {
        let d: Vec<String> = run
            .iter()
            .flatten()
            .enumerate()
            .map(|(k, (x, y))| format!("{}{x:.1} {y:.1}", if k == 0 { "M" } else { "L" }))
            .collect();
        let _ = write!(
            out,
            r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
            d.join("")
        );
    }
    for (i, p) in points.iter().enumerate() {
        if let Some((x, y)) = *p {
            let v = line.values[i].unwrap_or_default();
            let _ = write!(
                out,
                "<g><title>{}: {} {}</title>",
                escape(&categories[i]),
                escape(&line.name),
                compact(v)
            );
            marker(out, l, x, y, colour);
            out.push_str("</g>");
        }
    }
}

/// The legend: each line's stroke and marker beside its name.
fn legend(out: &mut String, frame: &Frame, lines: &[Series]) {
    let x = WIDTH - 174.0;
    for (l, line) in lines.iter().enumerate() {
        let y = frame.top + 20.0 * l as f64 + 7.0;
        let colour = COLOURS[l % COLOURS.len()];
        let _ = write!(
            out,
            r#"<line x1="{x}" x2="{x2}" y1="{y}" y2="{y}" stroke="{colour}" stroke-width="2"/>"#,
            x2 = x + 18.0
        );
        marker(out, l, x + 9.0, y, colour);
        let _ = write!(
            out,
            r#"<text x="{tx}" y="{ty}">{}</text>"#,
            escape(&line.name),
            tx = x + 24.0,
            ty = y + 4.0
        );
    }
}
