//! Replacements for the parts of Rhai's standard packages that could block, crash the host
//! or leak nondeterminism, and the words for what a policy may not do.
//!
//! Functions registered on the engine are found before the packages' own, so each
//! replacement keeps Rhai's name and signature.

use std::cmp::Ordering;

use rhai::{Array, Dynamic, Engine, EvalAltResult, FnPtr, NativeCallContext, Position};

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

fn fail<T>(message: impl Into<String>) -> RhaiResult<T> {
    Err(Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.into()),
        Position::NONE,
    )))
}

/// Functions a policy may not call, and why; for functions that exist here (`sleep`) and
/// for ones people expect from other Rhai setups (`timestamp`, `open_file`).
pub fn denied(name: &str) -> Option<&'static str> {
    const CLOCK: &str =
        "policies have no clock, so the same snapshot always gives the same decisions";
    const RANDOM: &str =
        "policies have no randomness, so the same snapshot always gives the same decisions";
    const ENV: &str = "policies see no environment and start no programs";
    const FILES: &str = "policies read only the snapshot (`facts`), never files";
    const EXIT: &str =
        "a policy that stops early silently skips subjects; use `return` inside a function";
    Some(match name {
        "exit" => EXIT,
        "sleep" | "timestamp" | "elapsed" | "now" => CLOCK,
        "rand" | "random" | "rand_int" | "rand_float" | "rand_bool" | "shuffle" => RANDOM,
        "env" | "getenv" | "set_env" | "exec" | "system" => ENV,
        "open_file" | "read_file" | "write_file" | "read_string" | "write_string" | "read_dir"
        | "remove_file" => FILES,
        _ => return None,
    })
}

/// The message for calling a denied function.
pub fn denied_message(name: &str, why: &str) -> String {
    format!("`{name}` is not allowed in a policy: {why}")
}

// long: every function the sandbox replaces or denies, registered in one place so an
// audit of what policies may call reads one list
pub fn register(engine: &mut Engine) {
    // `sleep` comes with the core package: it blocks past any deadline, and a huge
    // argument panics the host.
    let why = denied("sleep").unwrap_or_default();
    engine.register_fn("sleep", move |_: i64| -> RhaiResult<()> {
        fail(denied_message("sleep", why))
    });
    engine.register_fn("sleep", move |_: f64| -> RhaiResult<()> {
        fail(denied_message("sleep", why))
    });
    // `exit` ends the whole script as if it had finished: a policy without a `DECIDES`
    // domain (crediting) would silently lose decisions.
    let why = denied("exit").unwrap_or_default();
    engine.register_fn("exit", move || -> RhaiResult<()> {
        fail(denied_message("exit", why))
    });
    engine.register_fn("exit", move |_: Dynamic| -> RhaiResult<()> {
        fail(denied_message("exit", why))
    });
    engine.disable_symbol("eval");
    // A curried function pointer hides its arguments from the size limits, and
    // `p = p.curry(p)` doubles in size with every call. Closures still work: the parser
    // captures their variables without the keyword.
    engine.disable_symbol("curry");

    // Rhai's own reports errors at positions inside the JSON text, as if they were lines
    // of the policy, and recurses without a depth limit.
    engine.register_fn("parse_json", |text: &str| -> RhaiResult<Dynamic> {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(value) => Ok(super::value::from_json(&value)),
            Err(e) => fail(format!("`parse_json` was given invalid JSON: {e}")),
        }
    });

    // Rust's sort panics when the order it is given is not total: a comparer written in
    // the script, or floats with a NaN among them. These sorts never panic.
    engine.register_fn("sort", |ctx: NativeCallContext, a: &mut Array| {
        sort_natural(&ctx, a, false, "sort")
    });
    engine.register_fn("sort_desc", |ctx: NativeCallContext, a: &mut Array| {
        sort_natural(&ctx, a, true, "sort_desc")
    });
    engine.register_fn(
        "order",
        |ctx: NativeCallContext, a: &mut Array| -> RhaiResult<Array> {
            let mut a = a.clone();
            sort_natural(&ctx, &mut a, false, "order")?;
            Ok(a)
        },
    );
    engine.register_fn(
        "order_desc",
        |ctx: NativeCallContext, a: &mut Array| -> RhaiResult<Array> {
            let mut a = a.clone();
            sort_natural(&ctx, &mut a, true, "order_desc")?;
            Ok(a)
        },
    );
    for name in ["sort", "sort_by"] {
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, a: &mut Array, f: FnPtr| sort_with(&ctx, a, &f, name),
        );
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, a: &mut Array, f: &str| -> RhaiResult<()> {
                sort_with(&ctx, a, &FnPtr::new(f)?, name)
            },
        );
    }
    for name in ["order", "order_by"] {
        engine.register_fn(
            name,
            move |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> RhaiResult<Array> {
                let mut a = a.clone();
                sort_with(&ctx, &mut a, &f, name)?;
                Ok(a)
            },
        );
    }
}

/// A stable bottom-up merge sort over indices: any comparer, consistent or not, gives a
/// permutation, and the array is only rearranged once every comparison succeeded.
fn merge_sort<E>(
    items: &mut Array,
    mut cmp: impl FnMut(&Dynamic, &Dynamic) -> Result<Ordering, E>,
) -> Result<(), E> {
    let n = items.len();
    let mut order: Vec<usize> = (0..n).collect();
    let mut merged: Vec<usize> = Vec::with_capacity(n);
    let mut width = 1;
    while width < n {
        merged.clear();
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut l, mut r) = (start, mid);
            while l < mid && r < end {
                // Equal elements keep their order: the right one goes first only if smaller.
                if cmp(&items[order[l]], &items[order[r]])? == Ordering::Greater {
                    merged.push(order[r]);
                    r += 1;
                } else {
                    merged.push(order[l]);
                    l += 1;
                }
            }
            merged.extend_from_slice(&order[l..mid]);
            merged.extend_from_slice(&order[r..end]);
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    let mut slots: Vec<Option<Dynamic>> = std::mem::take(items).into_iter().map(Some).collect();
    *items = order.into_iter().filter_map(|i| slots[i].take()).collect();
    Ok(())
}

fn sort_with(ctx: &NativeCallContext, items: &mut Array, f: &FnPtr, name: &str) -> RhaiResult<()> {
    merge_sort(items, |a, b| {
        let result = f.call_raw(ctx, None, [a.clone(), b.clone()])?;
        if let Ok(n) = result.as_int() {
            Ok(n.cmp(&0))
        } else if let Ok(le) = result.as_bool() {
            Ok(if le {
                Ordering::Less
            } else {
                Ordering::Greater
            })
        } else {
            fail(format!(
                "the comparer given to `{name}` returned a `{}`: it must return a number \
                 (negative, zero or positive) or a boolean (`true` when the first comes first)",
                super::words::type_word(ctx.engine().map_type_name(result.type_name()))
            ))
        }
    })
}

/// Floats order with NaN last, so the order is total and the same on every platform.
fn float_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

fn natural_cmp(a: &Dynamic, b: &Dynamic) -> Option<Ordering> {
    if let (Ok(x), Ok(y)) = (a.as_int(), b.as_int()) {
        return Some(x.cmp(&y));
    }
    if let (Ok(x), Ok(y)) = (a.as_float(), b.as_float()) {
        return Some(float_cmp(x, y));
    }
    if let (Ok(x), Ok(y)) = (a.as_char(), b.as_char()) {
        return Some(x.cmp(&y));
    }
    if let (Ok(x), Ok(y)) = (a.as_bool(), b.as_bool()) {
        return Some(x.cmp(&y));
    }
    if a.is_unit() && b.is_unit() {
        return Some(Ordering::Equal);
    }
    if let (Some(x), Some(y)) = (
        a.read_lock::<rhai::ImmutableString>(),
        b.read_lock::<rhai::ImmutableString>(),
    ) {
        return Some(x.as_str().cmp(y.as_str()));
    }
    None
}

fn sort_natural(
    ctx: &NativeCallContext,
    items: &mut Array,
    descending: bool,
    name: &str,
) -> RhaiResult<()> {
    let Some(first) = items.first() else {
        return Ok(());
    };
    let type_name =
        |x: &Dynamic| super::words::type_word(ctx.engine().map_type_name(x.type_name())).to_owned();
    // The variants that take a comparer.
    let with_comparer = name.trim_end_matches("_desc");
    if let Some(other) = items.iter().find(|x| x.type_id() != first.type_id()) {
        return fail(format!(
            "`{name}` cannot order a `{}` and a `{}` in one array: use `{with_comparer}` with \
             a comparer, e.g. `a.{with_comparer}(|x, y| ...)`",
            type_name(first),
            type_name(other)
        ));
    }
    if natural_cmp(first, first).is_none() {
        return fail(format!(
            "`{name}` orders numbers, strings, characters and booleans, not `{}`: use \
             `{with_comparer}` with a comparer, e.g. `a.{with_comparer}(|x, y| ...)`",
            type_name(first)
        ));
    }
    merge_sort(items, |a, b| {
        let order = natural_cmp(a, b).unwrap_or(Ordering::Equal);
        Ok::<_, std::convert::Infallible>(if descending { order.reverse() } else { order })
    })
    .unwrap_or_else(|never| match never {});
    Ok(())
}

#[cfg(test)]
mod tests {
    use rhai::{Array, Engine};

    fn engine() -> Engine {
        super::super::engine::sandboxed()
    }

    /// 33 pseudo-random floats, about a quarter of them NaN: Rhai's own `sort` panics on
    /// exactly this array (Rust's sort detects the broken order), crashing the evaluation.
    const FLOATS: &str = "let a = []; let s = 1; for i in 0..33 { \
        s = (s * 1103515245 + 12345) % 2147483648; \
        a.push(if (s / 65536) % 4 == 0 { 0.0 / 0.0 } else { ((s / 65536) % 1000).to_float() }); } a";

    fn floats(array: &Array) -> Vec<f64> {
        array.iter().map(|x| x.as_float().unwrap()).collect()
    }

    #[test]
    fn floats_with_nan_sort_without_panicking_nan_last() {
        let engine = engine();
        for (call, descending) in [
            ("a.sort(); a", false),
            ("a.order()", false),
            ("a.sort_desc(); a", true),
            ("a.order_desc()", true),
        ] {
            let sorted = floats(&engine.eval::<Array>(&format!("{FLOATS}; {call}")).unwrap());
            assert_eq!(sorted.len(), 33);
            let nans = sorted.iter().filter(|x| x.is_nan()).count();
            assert!(nans > 0, "{call}");
            let numbers: Vec<f64> = sorted.iter().copied().filter(|x| !x.is_nan()).collect();
            let ordered = numbers.windows(2).all(|w| {
                if descending {
                    w[0] >= w[1]
                } else {
                    w[0] <= w[1]
                }
            });
            assert!(ordered, "{call}: {numbers:?}");
            let nan_end = if descending {
                sorted[..nans].iter().all(|x| x.is_nan())
            } else {
                sorted[33 - nans..].iter().all(|x| x.is_nan())
            };
            assert!(
                nan_end,
                "{call}: NaN sorts after every number (before, descending)"
            );
        }
    }

    #[test]
    fn inconsistent_comparers_give_a_permutation_never_a_panic() {
        let engine = engine();
        let comparers = [
            "|x, y| if (x + y) % 2 == 0 { 1 } else { -1 }",
            "|x, y| ((x * 31 + y * 17) % 3) - 1",
            "|x, y| 1",
            "|x, y| x > y",
            "|x, y| y - x",
        ];
        for comparer in comparers {
            let script = format!(
                "let a = []; for i in 0..500 {{ a.push((i * 7919) % 503); }} a.sort({comparer}); a"
            );
            let mut sorted: Vec<i64> = engine
                .eval::<Array>(&script)
                .unwrap()
                .iter()
                .map(|x| x.as_int().unwrap())
                .collect();
            sorted.sort_unstable();
            let mut original: Vec<i64> = (0..500).map(|i| (i * 7919) % 503).collect();
            original.sort_unstable();
            assert_eq!(sorted, original, "{comparer}");
        }
    }

    #[test]
    fn sorting_is_stable_and_comparer_errors_are_reported() {
        let engine = engine();
        let pairs = engine
            .eval::<Array>(
                "let a = []; for i in 0..40 { a.push([i % 3, i]); } a.order(|x, y| x[0] - y[0])",
            )
            .unwrap();
        let keys: Vec<(i64, i64)> = pairs
            .iter()
            .map(|p| {
                let p = p.read_lock::<Array>().unwrap();
                (p[0].as_int().unwrap(), p[1].as_int().unwrap())
            })
            .collect();
        let mut expected = keys.clone();
        expected.sort_by_key(|&(k, _)| k);
        assert_eq!(keys, expected, "equal keys keep their order");
        assert!(keys.windows(2).all(|w| w[0].0 < w[1].0 || w[0].1 < w[1].1));

        let err = engine
            .eval::<Array>("let a = [3, 1, 2]; a.sort(|x, y| throw \"no\"); a")
            .unwrap_err();
        assert!(err.to_string().contains("no"), "{err}");
        let err = engine.eval::<Array>("[1, 2.0].order()").unwrap_err();
        assert!(err.to_string().contains("cannot order"), "{err}");
    }
}
