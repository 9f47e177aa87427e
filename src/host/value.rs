//! Conversions between Rhai values and JSON, so numbers reach the decisions document
//! formatted by Rust, never by the script engine.

use rhai::{Array, Dynamic, Engine, Map};
use serde_json::{Number, Value};

/// Deepest nesting of arrays and maps a decision may record; deeper data is refused
/// rather than walked (a script can nest data far deeper than the host's stack).
pub const MAX_DEPTH: usize = 64;

/// Converts a script value to JSON; custom types, non-finite floats and data nested
/// deeper than `MAX_DEPTH` are refused. `engine` names types as scripts know them.
pub fn to_json(value: &Dynamic, engine: &Engine) -> Result<Value, String> {
    convert(value, engine, 0)
}

fn convert(value: &Dynamic, engine: &Engine, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH && (value.is_array() || value.is_map()) {
        return Err(format!(
            "data nested deeper than {MAX_DEPTH} levels cannot be recorded"
        ));
    }
    if value.is_unit() {
        return Ok(Value::Null);
    }
    if let Some(b) = value.clone().try_cast::<bool>() {
        return Ok(Value::Bool(b));
    }
    if let Ok(i) = value.as_int() {
        return Ok(Value::from(i));
    }
    if let Ok(f) = value.as_float() {
        return Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| format!("`{f}` is not a finite number"));
    }
    if let Ok(c) = value.as_char() {
        return Ok(Value::String(c.to_string()));
    }
    if value.is_string() {
        return Ok(Value::String(
            value.clone().into_string().unwrap_or_default(),
        ));
    }
    if value.is_array() {
        let array = value.read_lock::<Array>().expect("checked to be an array");
        return array
            .iter()
            .map(|v| convert(v, engine, depth + 1))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if value.is_map() {
        let map = value.read_lock::<Map>().expect("checked to be a map");
        let mut out = serde_json::Map::new();
        for (k, v) in map.iter() {
            out.insert(k.to_string(), convert(v, engine, depth + 1)?);
        }
        return Ok(Value::Object(out));
    }
    Err(format!(
        "a `{}` cannot be recorded; record its fields instead",
        super::words::type_word(engine.map_type_name(value.type_name()))
    ))
}

/// Converts JSON to a script value (used to hand earlier decisions to later policies).
pub fn from_json(value: &Value) -> Dynamic {
    match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into(),
            None => n.as_f64().unwrap_or(f64::NAN).into(),
        },
        Value::String(s) => s.clone().into(),
        Value::Array(a) => Dynamic::from_array(a.iter().map(from_json).collect()),
        Value::Object(o) => {
            let map: Map = o
                .iter()
                .map(|(k, v)| (k.as_str().into(), from_json(v)))
                .collect();
            Dynamic::from_map(map)
        }
    }
}
