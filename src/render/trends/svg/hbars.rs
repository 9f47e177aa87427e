//! Horizontal bars: one row per category (a funnel stage, a capacity quartile) with a bar
//! per series, its value written at its end, and an optional vertical reference line
//! (1.0, "proportional"). Row labels sit left of the bars, where they read naturally.

use std::fmt::Write;

use super::{Labels, Reference, Series, WIDTH, compact, escape, fill, patterns, ticks};

const LABELS: f64 = 150.0;
const LEGEND: f64 = 190.0;
const TOP: f64 = 44.0;
const ROW: f64 = 34.0;

/// The chart as an `<svg>` element.
pub fn chart(
    labels: &Labels,
    rows: &[String],
    series: &[Series],
    reference: Option<&Reference>,
) -> String {
    let id = labels.id;
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .chain(reference.map(|r| r.value))
        .fold(0.0, f64::max);
    let (top, ticks) = ticks(max);
    let layout = Layout::new(series.len(), rows.len(), top);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-title" class="chart" font-family="system-ui, sans-serif" font-size="12"><title id="{id}-title">{t}</title><text x="70" y="20" font-size="15" font-weight="600">{t}</text>"#,
        height = layout.height,
        t = escape(labels.title),
    );
    patterns(&mut out, id, series.len());
    layout.ticks(&mut out, &ticks);
    for (r, name) in rows.iter().enumerate() {
        layout.row(&mut out, id, r, name, series);
    }
    layout.axes(&mut out, labels);
    if let Some(r) = reference {
        let rx = layout.x(r.value);
        let _ = write!(
            out,
            r##"<line x1="{rx:.1}" x2="{rx:.1}" y1="{y0}" y2="{base}" stroke="#000" stroke-width="1.5" stroke-dasharray="6 4" class="reference"/><text x="{rx:.1}" y="{ty}" text-anchor="middle" font-style="italic" stroke="#fff" stroke-width="4" paint-order="stroke">{}</text>"##,
            escape(r.label),
            base = layout.base(),
            y0 = TOP - 4.0,
            ty = TOP - 8.0,
        );
    }
    if layout.legend {
        legend(&mut out, id, series);
    }
    out.push_str("</svg>");
    super::one_element_a_line(&out)
}

/// Where the chart's parts go, from the number of series and rows and the axis' top.
struct Layout {
    /// Series drawn in each row, at least one.
    n: usize,
    legend: bool,
    /// Thickness of one bar.
    bar: f64,
    /// Height of one row.
    row: f64,
    plot_height: f64,
    height: f64,
    left: f64,
    width: f64,
    /// The value at the right end of the axis.
    top: f64,
}

impl Layout {
    fn new(series: usize, rows: usize, top: f64) -> Self {
        let n = series.max(1);
        let legend = n > 1;
        // One series gets a thicker bar; several share the row.
        let bar = if legend { 12.0 } else { 20.0 };
        let row = ROW.max((bar + 2.0) * n as f64 + 10.0);
        let plot_height = row * rows.max(1) as f64;
        Self {
            n,
            legend,
            bar,
            row,
            plot_height,
            height: TOP + plot_height + 48.0,
            left: LABELS,
            width: WIDTH - LABELS - 30.0 - if legend { LEGEND } else { 0.0 },
            top,
        }
    }

    /// Where value `v` falls on the horizontal axis.
    fn x(&self, v: f64) -> f64 {
        self.left + self.width * (v / self.top).clamp(0.0, 1.0)
    }

    /// The bottom of the plot.
    fn base(&self) -> f64 {
        TOP + self.plot_height
    }

    /// The vertical grid lines and their values below the plot.
    fn ticks(&self, out: &mut String, ticks: &[f64]) {
        let base = self.base();
        for &t in ticks {
            let _ = write!(
                out,
                r##"<line x1="{tx:.1}" x2="{tx:.1}" y1="{TOP}" y2="{base}" stroke="#ddd"/><text x="{tx:.1}" y="{ly}" text-anchor="middle">{v}</text>"##,
                tx = self.x(t),
                ly = base + 16.0,
                v = super::tick_label(t, ticks.get(1).copied().unwrap_or(1.0)),
            );
        }
    }

    /// Row `r`: its label, then each series' bar and value, or `no figure`.
    fn row(&self, out: &mut String, id: &str, r: usize, name: &str, series: &[Series]) {
        let (left, row, bar, n) = (self.left, self.row, self.bar, self.n);
        let y = TOP + row * r as f64;
        let _ = write!(
            out,
            r#"<text x="{lx}" y="{ly:.1}" text-anchor="end">{}</text>"#,
            escape(name),
            lx = left - 8.0,
            ly = y + row / 2.0 + 4.0,
        );
        for (s, one) in series.iter().enumerate() {
            let by = y + (row - (bar + 2.0) * n as f64) / 2.0 + (bar + 2.0) * s as f64;
            let Some(v) = one.values.get(r).copied().flatten() else {
                let _ = write!(
                    out,
                    r#"<text x="{tx}" y="{ty:.1}" font-size="10">no figure</text>"#,
                    tx = left + 4.0,
                    ty = by + 10.0,
                );
                continue;
            };
            let _ = write!(
                out,
                r##"<rect x="{left}" y="{by:.1}" width="{w:.1}" height="{bar}" fill="{f}" stroke="#000" stroke-width="0.5"><title>{name}: {sn} {val}</title></rect><text x="{tx:.1}" y="{ty:.1}" font-size="11">{val}</text>"##,
                w = self.x(v) - left,
                f = fill(id, s),
                name = escape(name),
                sn = escape(&one.name),
                val = compact(v),
                tx = self.x(v) + 4.0,
                ty = by + bar / 2.0 + 4.0,
            );
        }
    }

    /// The vertical axis at the bars' start and both axis labels.
    fn axes(&self, out: &mut String, labels: &Labels) {
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{left}" y1="{TOP}" y2="{base}" stroke="#000"/><text x="{cx:.1}" y="{ay:.1}" text-anchor="middle">{xl}</text>"##,
            left = self.left,
            base = self.base(),
            cx = self.left + self.width / 2.0,
            ay = self.height - 8.0,
            xl = escape(labels.x),
        );
        let _ = write!(
            out,
            r#"<text transform="translate(14 {cy:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
            escape(labels.y),
            cy = TOP + self.plot_height / 2.0,
        );
    }
}

/// The legend: each series' fill beside its name.
fn legend(out: &mut String, id: &str, series: &[Series]) {
    let lx = WIDTH - LEGEND + 10.0;
    for (i, s) in series.iter().enumerate() {
        let ly = TOP + 20.0 * i as f64;
        let _ = write!(
            out,
            r##"<rect x="{lx}" y="{ly}" width="14" height="14" fill="{f}" stroke="#000" stroke-width="0.5"/><text x="{tx}" y="{ty}">{n}</text>"##,
            f = fill(id, i),
            tx = lx + 20.0,
            ty = ly + 11.0,
            n = escape(&s.name),
        );
    }
}
