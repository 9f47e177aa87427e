//! Grouped bars: per category (a sprint), one bar per series side by side, each labelled
//! with its value where there is room, and an optional reference line.

use std::fmt::Write;

use super::{Frame, Labels, Reference, Series, compact, escape, fill, patterns, ticks};

/// The chart as an `<svg>` element.
pub fn chart(
    labels: &Labels,
    categories: &[String],
    groups: &[Series],
    reference: Option<&Reference>,
) -> String {
    let max = groups
        .iter()
        .flat_map(|g| g.values.iter().flatten().copied())
        .chain(reference.map(|r| r.value))
        .fold(0.0, f64::max);
    let (top, ticks) = ticks(max);
    let frame = Frame::new(groups.len(), categories.len());
    let mut out = String::new();
    frame.open(&mut out, labels, &ticks, top);
    patterns(&mut out, labels.id, groups.len());
    let n = groups.len().max(1);
    for i in 0..categories.len() {
        let (x, w) = frame.band(i, categories.len());
        let bar = w * 0.8 / n as f64;
        for (g, group) in groups.iter().enumerate() {
            let Some(v) = group.values.get(i).copied().flatten() else {
                continue;
            };
            let bx = x + w * 0.1 + bar * g as f64;
            let (y0, y1) = (frame.y(0.0, top), frame.y(v, top));
            let _ = write!(
                out,
                r##"<rect x="{bx:.1}" y="{y1:.1}" width="{bw:.1}" height="{h:.1}" fill="{f}" stroke="#000" stroke-width="0.5"><title>{c}: {name} {val}</title></rect>"##,
                bw = bar * 0.92,
                h = (y0 - y1).max(0.0),
                f = fill(labels.id, g),
                c = escape(&categories[i]),
                name = escape(&group.name),
                val = compact(v),
            );
            if bar >= 14.0 {
                let _ = write!(
                    out,
                    r#"<text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" font-size="10">{}</text>"#,
                    compact(v),
                    cx = bx + bar * 0.46,
                    ty = y1 - 3.0,
                );
            }
        }
    }
    if let Some(r) = reference {
        frame.reference(&mut out, r, top);
    }
    frame.categories(&mut out, categories);
    let entries: Vec<(usize, &str)> = groups.iter().map(|g| g.name.as_str()).enumerate().collect();
    frame.legend(&mut out, labels.id, &entries);
    out.push_str("</svg>");
    super::one_element_a_line(&out)
}
