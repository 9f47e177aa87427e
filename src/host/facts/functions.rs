//! Plain script functions over numbers: the exact integer helpers the default pack needs.

use rhai::{Array, Engine};

pub(super) fn register(engine: &mut Engine) {
    engine.register_fn(
        "gini",
        |values: Array| -> Result<f64, Box<rhai::EvalAltResult>> {
            let ints: Option<Vec<u64>> = values
                .iter()
                .map(|v| v.as_int().ok().and_then(|i| u64::try_from(i).ok()))
                .collect();
            ints.map(|xs| crate::facts::gini(&xs))
                .ok_or_else(|| "`gini` takes an array of non-negative integers".into())
        },
    );
}
