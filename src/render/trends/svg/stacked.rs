//! Stacked bars: per category (a sprint), one segment per series (a workflow family, and
//! untagged spend as its own band), stacked in the order given, bottom first.

use std::fmt::Write;

use super::{Frame, Labels, Series, fill, patterns, ticks};

/// The chart as an `<svg>` element.
pub fn chart(labels: &Labels, categories: &[String], bands: &[Series]) -> String {
    let totals: Vec<f64> = (0..categories.len())
        .map(|i| {
            bands
                .iter()
                .filter_map(|b| b.values.get(i).copied().flatten())
                .sum()
        })
        .collect();
    let max = totals.iter().copied().fold(0.0, f64::max);
    let (top, ticks) = ticks(max);
    let frame = Frame::new(bands.len(), categories.len());
    let mut out = String::new();
    frame.open(&mut out, labels, &ticks, top);
    patterns(&mut out, labels.id, bands.len());
    for i in 0..categories.len() {
        let (x, w) = frame.band(i, categories.len());
        let (x, w) = (x + w * 0.15, w * 0.7);
        let mut below = 0.0;
        for (b, band) in bands.iter().enumerate() {
            let v = band.values.get(i).copied().flatten().unwrap_or(0.0);
            if v <= 0.0 {
                continue;
            }
            let (y0, y1) = (frame.y(below, top), frame.y(below + v, top));
            below += v;
            let _ = write!(
                out,
                r##"<rect x="{x:.1}" y="{y1:.1}" width="{w:.1}" height="{h:.1}" fill="{f}" stroke="#fff" stroke-width="0.5"><title>{c}: {n} {v}</title></rect>"##,
                h = y0 - y1,
                f = fill(labels.id, b),
                c = super::escape(&categories[i]),
                n = super::escape(&band.name),
                v = super::compact(v),
            );
        }
    }
    frame.categories(&mut out, categories);
    // Listed top band first, as they stack.
    let entries: Vec<(usize, &str)> = bands
        .iter()
        .map(|b| b.name.as_str())
        .enumerate()
        .rev()
        .collect();
    frame.legend(&mut out, labels.id, &entries);
    out.push_str("</svg>");
    super::one_element_a_line(&out)
}
