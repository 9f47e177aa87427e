//! The inline charts, each drawn from numbers written for the test.

use super::{Labels, Reference, Series};

fn labels(id: &'static str) -> Labels<'static> {
    Labels {
        id,
        title: "A <title> & more",
        x: "the x axis",
        y: "the y axis",
    }
}

fn categories(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("S{i:02}")).collect()
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// What every chart must have: an accessible title, the visible title, both axis labels,
/// escaped, and nothing that could load or run anything.
fn assert_labelled(svg: &str, id: &str) {
    assert!(svg.starts_with("<svg "), "{svg}");
    assert!(svg.contains(&format!(r#"aria-labelledby="{id}-title""#)));
    assert_eq!(count(svg, "A &lt;title&gt; &amp; more"), 2, "{svg}");
    for axis in ["the x axis", "the y axis"] {
        assert!(svg.contains(&format!(">{axis}<")), "{axis}");
    }
    assert!(!svg.contains("<title> &"), "unescaped title");
    for forbidden in [
        "http", "<script", "href", "@import", "url(h", "url('", "url(\"",
    ] {
        assert!(!svg.contains(forbidden), "{forbidden} in {svg}");
    }
}

#[test]
fn stacked_bars_draw_one_segment_per_positive_value_and_stack_to_the_total() {
    let bands = [
        Series::new("review", [Some(10.0), Some(0.0), Some(30.0)]),
        Series::new("<untagged>", [Some(10.0), Some(5.0), None]),
    ];
    let svg = super::stacked::chart(&labels("st"), &categories(3), &bands);
    assert_labelled(&svg, "st");
    // Four segments (a zero and a missing value draw nothing) and two legend swatches.
    assert_eq!(count(&svg, r#"fill="url(#st-p0)""#), 2 + 1);
    assert_eq!(count(&svg, r#"fill="url(#st-p1)""#), 2 + 1);
    assert!(svg.contains("&lt;untagged&gt;") && !svg.contains("<untagged>"));
    // The tallest stack (30) reaches the top tick (30) at the top of the plot.
    assert!(svg.contains(r#"y="44.0" width"#), "{svg}");
    // Patterns differ, not only colours: the second band has marks drawn over its fill.
    let second = svg.split(r#"<pattern id="st-p1""#).nth(1).unwrap();
    assert!(second.split("</pattern>").next().unwrap().contains("<path"));
}

#[test]
fn grouped_bars_label_each_value_and_draw_the_reference() {
    let groups = [
        Series::new("new", [Some(1.0), Some(3.0)]),
        Series::new("backlog", [Some(0.0), None]),
    ];
    let reference = Reference {
        value: 2.0,
        label: "limit",
    };
    let svg = super::bars::chart(&labels("gb"), &categories(2), &groups, Some(&reference));
    assert_labelled(&svg, "gb");
    assert_eq!(count(&svg, "<rect x"), 3 + 2, "three bars, two swatches");
    assert_eq!(count(&svg, r#"class="reference""#), 1);
    assert!(svg.contains(">limit<"));
    for value in [">1<", ">3<", ">0<"] {
        assert!(svg.contains(value), "{value}");
    }
}

#[test]
fn lines_leave_a_gap_for_a_missing_value_and_draw_the_threshold() {
    let line = [Series::new(
        "gini",
        [Some(0.2), Some(0.3), None, Some(0.5), Some(0.4)],
    )];
    let threshold = Reference {
        value: 0.35,
        label: "threshold ≤ 0.35",
    };
    let svg = super::lines::chart(&labels("ln"), &categories(5), &line, Some(&threshold));
    assert_labelled(&svg, "ln");
    assert_eq!(count(&svg, r#"<path d="M"#), 2, "two runs around the gap");
    assert_eq!(count(&svg, "<circle"), 4, "a marker per value");
    assert!(svg.contains(">threshold ≤ 0.35<"));
    // One series: the title names it, no legend entry repeats it.
    assert_eq!(count(&svg, ">gini<"), 0);
    assert!(
        svg.contains(">0.1<") && svg.contains(">0.5<"),
        "ticks by 0.1: {svg}"
    );
}

#[test]
fn horizontal_bars_write_values_and_say_when_there_is_no_figure() {
    let rows = ["top".to_owned(), "bottom".to_owned()];
    let series = [
        Series::new("access ratio", [Some(1.96), None]),
        Series::new("credit ratio", [Some(2.01), Some(0.0)]),
    ];
    let proportional = Reference {
        value: 1.0,
        label: "proportional (1.0)",
    };
    let svg = super::hbars::chart(&labels("hb"), &rows, &series, Some(&proportional));
    assert_labelled(&svg, "hb");
    for text in [
        ">1.96<",
        ">2.01<",
        ">no figure<",
        ">proportional (1.0)<",
        ">access ratio<",
    ] {
        assert!(svg.contains(text), "{text} in {svg}");
    }
}

#[test]
fn ticks_are_round_steps_that_cover_the_largest_value() {
    assert_eq!(
        super::ticks(38.0),
        (40.0, vec![0.0, 10.0, 20.0, 30.0, 40.0])
    );
    let (top, ticks) = super::ticks(0.37);
    assert!((top - 0.4).abs() < 1e-12, "{top}");
    assert_eq!(ticks.len(), 5);
    assert_eq!(super::ticks(0.0).0, 1.0, "an empty chart still has an axis");
    assert_eq!(super::tick_label(0.15, 0.05), "0.15");
    assert_eq!(super::tick_label(1.5, 0.5), "1.5");
    assert_eq!(super::tick_label(20.0, 10.0), "20");
    assert_eq!(super::compact(45_000_000.0), "45M");
    assert_eq!(super::compact(1_250_000.0), "1.2M");
    assert_eq!(super::compact(350_000.0), "350k");
}
