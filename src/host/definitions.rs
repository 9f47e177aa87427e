//! Rhai definition files (`*.d.rhai`) of the API policies see, so that editors with Rhai
//! support complete and check `facts`, its types and `decision(..)` as bursar defines
//! them, from the engine itself rather than a hand-kept copy.

use std::cell::RefCell;
use std::rc::Rc;

use std::collections::HashMap;

use rhai::Engine;

use super::{engine, facts, provenance, record};

/// The definition files, as (file name, contents), in a stable order: the language's own
/// functions and operators, bursar's API (`__static__.d.rhai`) and the variables a policy
/// starts with (`__scope__.d.rhai`).
pub fn definitions() -> Vec<(String, String)> {
    let mut engine = engine::sandboxed();
    let state: record::Shared = Rc::new(RefCell::new(record::State::default()));
    facts::register(&mut engine);
    record::register(&mut engine, &state);
    provenance::register(&mut engine, &state);
    let returns = fallible_returns(&engine);
    let mut files: Vec<(String, String)> = engine
        .definitions()
        .include_standard_packages(true)
        .iter_files()
        .map(|(name, text)| (name, repair(&text, &returns)))
        .collect();
    // A policy's only variable is the constant `facts` (host::run); writing it here needs
    // no snapshot to build a value from.
    files.push((
        "__scope__.d.rhai".to_owned(),
        "module static;\n\n/// The sprint's facts: squads, variants, families, top-ups, the catalog and runs.\nconst facts: Facts;\n"
            .to_owned(),
    ));
    files.sort();
    files
}

/// Rhai 1.27 writes the return type of a function that can fail
/// (`Result<T, Box<EvalAltResult>>`) as `EvalAltResult>>`, losing `T`; its signature list
/// keeps the whole type. (name as definitions spell it, parameter count) -> `T` as a
/// script sees it.
fn fallible_returns(engine: &Engine) -> HashMap<(String, usize), String> {
    const RESULT: &str = "core::result::Result<";
    const ERROR: &str = ",alloc::boxed::Box<rhai::types::error::EvalAltResult>>";
    let mut returns = HashMap::new();
    for signature in engine.gen_fn_signatures(false) {
        let Some((head, ret)) = signature.split_once(") -> ") else {
            continue;
        };
        let Some(inner) = ret.strip_prefix(RESULT).and_then(|r| r.strip_suffix(ERROR)) else {
            continue;
        };
        let (name, params) = head.split_once('(').unwrap_or((head, ""));
        let name = name.replacen("get$", "get ", 1).replacen("set$", "set ", 1);
        returns.insert(
            (name, params.matches("_:").count()),
            script_type(engine, inner),
        );
    }
    returns
}

/// A Rust type name as scripts know it: the registered name (`Decision`), Rhai's own
/// names (`array`, `bool`), `?` for any value.
fn script_type(engine: &Engine, rust: &str) -> String {
    match rust {
        "()" => "()".to_owned(),
        "rhai::types::dynamic::Dynamic" | "types::dynamic::Dynamic" => "?".to_owned(),
        "alloc::vec::Vec<rhai::types::dynamic::Dynamic>" => "array".to_owned(),
        _ => {
            let mapped = engine.map_type_name(rust);
            mapped.rsplit("::").next().unwrap_or(mapped).to_owned()
        }
    }
}

/// Puts back the return types Rhai lost (see `fallible_returns`); a line it cannot match
/// says `?` (any value) rather than a broken type.
fn repair(text: &str, returns: &HashMap<(String, usize), String>) -> String {
    const BROKEN: &str = " -> EvalAltResult>>;";
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let Some(head) = body.strip_suffix(BROKEN) else {
            out.push_str(line);
            continue;
        };
        let name = head
            .trim_start()
            .strip_prefix("fn ")
            .and_then(|rest| rest.split_once('('))
            .map_or("", |(name, _)| name);
        let key = (name.to_owned(), head.matches("_:").count());
        let ty = returns.get(&key).map_or("?", String::as_str);
        out.push_str(&format!("{head} -> {ty};{newline}"));
    }
    out
}
