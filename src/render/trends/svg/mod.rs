//! Charts as inline SVG for the dashboard, one file per chart kind, from plain numbers:
//! no script, no font, no URL; every chart has a title, axis labels and a legend whose
//! entries differ by fill pattern as well as colour, so it reads in grey or in print.
//!
//! Written here rather than with a plotting crate: the dashboard needs five small kinds,
//! patterns for readability without colour, accessible titles and byte-identical output,
//! which a few hundred lines give exactly. Numbers are formatted in Rust, so the same
//! data always gives the same bytes.

pub mod bars;
pub mod hbars;
pub mod lines;
pub mod stacked;

use std::fmt::Write;

/// Width of every chart in SVG units; it scales to the page with its `viewBox`.
pub const WIDTH: f64 = 760.0;
/// Room to the right of the plot for the legend.
const LEGEND_WIDTH: f64 = 190.0;
const LEFT: f64 = 70.0;
const TOP: f64 = 44.0;

/// One named row of numbers: a band, a group of bars or a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// One per category; `None` where there is no figure (a gap, not a zero).
    pub values: Vec<Option<f64>>,
}

impl Series {
    pub fn new(name: impl Into<String>, values: impl IntoIterator<Item = Option<f64>>) -> Self {
        Self {
            name: name.into(),
            values: values.into_iter().collect(),
        }
    }
}

/// What every chart is labelled with.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels<'a> {
    /// Unique on the page: it prefixes the ids inside the SVG.
    pub id: &'a str,
    pub title: &'a str,
    pub x: &'a str,
    pub y: &'a str,
}

/// A horizontal reference line (a threshold, or 1.0 for "proportional") and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference<'a> {
    pub value: f64,
    pub label: &'a str,
}

/// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
pub(crate) const COLOURS: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#555555",
];

/// Drawn over each fill: the pattern tells series apart without colour.
const MARKS: [&str; 7] = [
    "",
    r##"<path d="M0 8L8 0M-2 2L2 -2M6 10L10 6" stroke="#000" stroke-width="1.2"/>"##,
    r##"<circle cx="4" cy="4" r="1.4" fill="#000"/>"##,
    r##"<path d="M0 4H8" stroke="#000" stroke-width="1.2"/>"##,
    r##"<path d="M0 0L8 8M-2 6L2 10M6 -2L10 2" stroke="#000" stroke-width="1.2"/>"##,
    r##"<path d="M4 0V8M0 4H8" stroke="#000" stroke-width="1"/>"##,
    r##"<path d="M4 0V8" stroke="#000" stroke-width="1.2"/>"##,
];

/// The fill of series `i` in the chart `id`.
pub(crate) fn fill(id: &str, i: usize) -> String {
    format!("url(#{id}-p{i})")
}

/// `<defs>` with a pattern per series: colour `i % 8`, marks `i % 7`.
pub(crate) fn patterns(out: &mut String, id: &str, n: usize) {
    out.push_str("<defs>");
    for i in 0..n {
        let _ = write!(
            out,
            r#"<pattern id="{id}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="{}"/>{}</pattern>"#,
            COLOURS[i % COLOURS.len()],
            MARKS[i % MARKS.len()]
        );
    }
    out.push_str("</defs>");
}

/// The SVG with each element on a line of its own, so a change to a chart reads as a
/// change to a few lines (text is escaped, so `><` only ever joins two tags).
pub(crate) fn one_element_a_line(svg: &str) -> String {
    svg.replace("><", ">\n<")
}

/// Escapes text for SVG and HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A number for an axis or a label: `1.2M`, `350k`, `12`, `0.35`.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    let text = if a >= 1e9 {
        format!("{:.1}G", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    };
    text.replace(".0M", "M")
        .replace(".0G", "G")
        .replace(".0k", "k")
}

/// A tick's label: as many decimals as the step between ticks needs (`0.05`, `1.5`),
/// compact for large values.
pub fn tick_label(v: f64, step: f64) -> String {
    if step >= 1.0 || v == 0.0 {
        return compact(v);
    }
    let decimals = (-step.log10() - 1e-9).ceil().max(0.0) as usize;
    format!("{v:.decimals$}")
}

/// A rounded top for an axis from 0 and its ticks: 1, 2 or 5 times a power of ten.
pub fn ticks(max: f64) -> (f64, Vec<f64>) {
    if !(max.is_finite() && max > 0.0) {
        return (1.0, vec![0.0, 0.5, 1.0]);
    }
    let raw = max / 5.0;
    let power = 10f64.powi(raw.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| s * 5.0 >= max)
        .unwrap_or(10.0 * power);
    let steps = (max / step).ceil().max(1.0) as usize;
    let top = step * steps as f64;
    (top, (0..=steps).map(|i| step * i as f64).collect())
}

/// The frame shared by charts over categories (sprints, quartiles): plot area, title,
/// y axis with grid lines and x labels, rotated when there are many.
pub(crate) struct Frame {
    /// Whether a legend is drawn: one series needs none, the title names it.
    pub(crate) legend: bool,
    pub(crate) height: f64,
    pub(crate) plot_width: f64,
    pub(crate) plot_height: f64,
    pub(crate) top: f64,
}

impl Frame {
    pub(crate) fn new(legend_entries: usize, categories: usize) -> Self {
        let bottom = if categories > 8 { 92.0 } else { 64.0 };
        let legend = legend_entries > 1;
        let least = if legend { 220.0 } else { 170.0 };
        let plot_height = (legend_entries as f64 * 20.0).max(least);
        Self {
            legend,
            height: TOP + plot_height + bottom,
            plot_width: WIDTH - LEFT - if legend { LEGEND_WIDTH } else { 24.0 },
            plot_height,
            top: TOP,
        }
    }

    /// x of the left of category `i`'s band of `n`, and the band's width.
    pub(crate) fn band(&self, i: usize, n: usize) -> (f64, f64) {
        let w = self.plot_width / n.max(1) as f64;
        (LEFT + w * i as f64, w)
    }

    /// y of `v` on an axis from 0 to `top`.
    pub(crate) fn y(&self, v: f64, top: f64) -> f64 {
        self.top + self.plot_height * (1.0 - (v / top).clamp(0.0, 1.0))
    }

    /// Opens the SVG: title, the y axis with ticks up to `top`, the axis labels.
    pub(crate) fn open(&self, out: &mut String, labels: &Labels, ticks: &[f64], top: f64) {
        let id = labels.id;
        let _ = write!(
            out,
            r#"<svg viewBox="0 0 {WIDTH} {h}" role="img" aria-labelledby="{id}-title" class="chart" font-family="system-ui, sans-serif" font-size="12"><title id="{id}-title">{t}</title>"#,
            h = self.height,
            t = escape(labels.title),
        );
        let _ = write!(
            out,
            r#"<text x="{LEFT}" y="20" font-size="15" font-weight="600">{}</text>"#,
            escape(labels.title)
        );
        let right = LEFT + self.plot_width;
        let step = ticks.get(1).copied().unwrap_or(1.0);
        for &t in ticks {
            let y = self.y(t, top);
            let _ = write!(
                out,
                r##"<line x1="{LEFT}" x2="{right}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{x:.1}" y="{ty:.1}" text-anchor="end">{v}</text>"##,
                x = LEFT - 6.0,
                ty = y + 4.0,
                v = tick_label(t, step),
            );
        }
        let base = self.top + self.plot_height;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{right}" y1="{base}" y2="{base}" stroke="#000"/><line x1="{LEFT}" x2="{LEFT}" y1="{top}" y2="{base}" stroke="#000"/>"##,
            top = self.top,
        );
        let _ = write!(
            out,
            r#"<text transform="translate(16 {cy:.1}) rotate(-90)" text-anchor="middle">{y}</text><text x="{cx:.1}" y="{by:.1}" text-anchor="middle">{x}</text>"#,
            cy = self.top + self.plot_height / 2.0,
            cx = LEFT + self.plot_width / 2.0,
            by = self.height - 8.0,
            y = escape(labels.y),
            x = escape(labels.x),
        );
    }

    /// The category labels under the plot.
    pub(crate) fn categories(&self, out: &mut String, categories: &[String]) {
        let base = self.top + self.plot_height;
        for (i, c) in categories.iter().enumerate() {
            let (x, w) = self.band(i, categories.len());
            let cx = x + w / 2.0;
            if categories.len() > 8 {
                let _ = write!(
                    out,
                    r#"<text transform="translate({cx:.1} {y:.1}) rotate(-55)" text-anchor="end" font-size="11">{}</text>"#,
                    escape(c),
                    y = base + 12.0,
                );
            } else {
                let _ = write!(
                    out,
                    r#"<text x="{cx:.1}" y="{y:.1}" text-anchor="middle">{}</text>"#,
                    escape(c),
                    y = base + 18.0,
                );
            }
        }
    }

    /// A dashed horizontal line at `r.value` with its label.
    pub(crate) fn reference(&self, out: &mut String, r: &Reference, top: f64) {
        let y = self.y(r.value, top);
        let right = LEFT + self.plot_width;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{right}" y1="{y:.1}" y2="{y:.1}" stroke="#000" stroke-width="1.5" stroke-dasharray="6 4" class="reference"/><text x="{tx}" y="{ty:.1}" text-anchor="end" font-style="italic" stroke="#fff" stroke-width="4" paint-order="stroke">{}</text>"##,
            escape(r.label),
            tx = right - 4.0,
            ty = y - 5.0,
        );
    }

    /// The legend right of the plot: a swatch of each series' pattern and its name,
    /// `entries` as (series index, name) in the order they are listed.
    pub(crate) fn legend(&self, out: &mut String, id: &str, entries: &[(usize, &str)]) {
        if !self.legend {
            return;
        }
        let x = LEFT + self.plot_width + 16.0;
        for (row, &(i, name)) in entries.iter().enumerate() {
            let y = self.top + 20.0 * row as f64;
            let _ = write!(
                out,
                r##"<rect x="{x}" y="{y}" width="14" height="14" fill="{f}" stroke="#000" stroke-width="0.5"/><text x="{tx}" y="{ty}">{n}</text>"##,
                f = fill(id, i),
                tx = x + 20.0,
                ty = y + 11.0,
                n = escape(name),
            );
        }
    }
}

#[cfg(test)]
mod tests;
