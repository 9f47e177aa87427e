//! `fmt` and `fmt_money`: numbers as text the way the document writes them.

use rhai::Engine;

use crate::money;

pub(super) fn register(engine: &mut Engine) {
    engine.register_fn("fmt", |x: f64, decimals: i64| {
        format!("{x:.*}", decimals.clamp(0, 12) as usize)
    });
    engine.register_fn("fmt", |x: i64, _decimals: i64| x.to_string());
    engine.register_fn("fmt_money", |micros: f64| money::format_micros(micros));
    engine.register_fn("fmt_money", |micros: i64| {
        money::format_micros(micros as f64)
    });
}
