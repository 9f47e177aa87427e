//! OTLP/JSON values exactly as the protocol's JSON encoding writes them: `AnyValue`
//! kinds, attribute lists, hex ids, 64-bit integers as strings or numbers, enums as
//! integers. Anything in another encoding is an error naming the field, never dropped.

use serde::Deserialize;
use serde_json::Value;

use super::error::Problem;

/// One attribute value, decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum Attr {
    Str(String),
    Int(i64),
    Double(f64),
    Bool(bool),
    Bytes(String),
    Array(Vec<Attr>),
    KvList(Vec<(String, Attr)>),
    /// `{}`: a value of no kind (the protocol allows it).
    Empty,
}

/// `AnyValue` as written: at most one kind set. Any other member is an error (a generic
/// decoder would drop it), and a member given twice is refused by the derive.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RawAny {
    string_value: Option<Value>,
    int_value: Option<Value>,
    double_value: Option<Value>,
    bool_value: Option<Value>,
    bytes_value: Option<Value>,
    array_value: Option<RawArray>,
    kvlist_value: Option<RawKvList>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArray {
    #[serde(default)]
    values: Vec<RawAny>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKvList {
    #[serde(default)]
    values: Vec<RawKeyValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeyValue {
    key: String,
    #[serde(default)]
    value: Option<RawAny>,
}

/// Decoded attributes, in the order written (few: looked up by scanning).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attrs(pub Vec<(String, Attr)>);

impl Attrs {
    pub fn get(&self, key: &str) -> Option<&Attr> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The attribute as text: a string, or a number or boolean written as JSON would.
    pub fn text(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Attr::Str(s) => Some(s.clone()),
            Attr::Int(i) => Some(i.to_string()),
            Attr::Double(d) => Some(d.to_string()),
            Attr::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A count (tokens): an `intValue` zero or more, or a string of digits (some
    /// clients send numbers as strings). Anything else is an error naming the key.
    pub fn count(&self, key: &str) -> Result<Option<u64>, Problem> {
        let problem = |what: String| Problem::new(what).in_attribute(key);
        match self.get(key) {
            None => Ok(None),
            Some(Attr::Int(i)) => u64::try_from(*i)
                .map(Some)
                .map_err(|_| problem(format!("`{i}` is negative: a count is zero or more"))),
            Some(Attr::Str(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s
                .parse()
                .map(Some)
                .map_err(|_| problem(format!("`{s}` does not fit in 64 bits"))),
            Some(other) => Err(problem(format!(
                "{} is not a count (an `intValue` or a string of digits)",
                describe(other)
            ))),
        }
    }

    /// An amount of money: a `doubleValue` or `intValue` zero or more, or a decimal string.
    pub fn amount(&self, key: &str) -> Result<Option<f64>, Problem> {
        let problem = |what: String| Problem::new(what).in_attribute(key);
        let value = match self.get(key) {
            None => return Ok(None),
            Some(Attr::Double(d)) => *d,
            Some(Attr::Int(i)) => *i as f64,
            Some(Attr::Str(s)) if is_decimal(s) => s
                .parse()
                .map_err(|_| problem(format!("`{s}` is not a number")))?,
            Some(other) => {
                return Err(problem(format!(
                    "{} is not an amount (a `doubleValue`, an `intValue` or a decimal string)",
                    describe(other)
                )));
            }
        };
        if value.is_finite() && value >= 0.0 {
            Ok(Some(value))
        } else {
            Err(problem(format!("`{value}` is not an amount zero or more")))
        }
    }
}

fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// How a value is named in a message.
pub fn describe(value: &Attr) -> String {
    match value {
        Attr::Str(s) => format!("the string `{s}`"),
        Attr::Int(i) => format!("the integer `{i}`"),
        Attr::Double(d) => format!("the double `{d}`"),
        Attr::Bool(b) => format!("the boolean `{b}`"),
        Attr::Bytes(_) => "a bytes value".to_owned(),
        Attr::Array(_) => "an array".to_owned(),
        Attr::KvList(_) => "a key-value list".to_owned(),
        Attr::Empty => "an empty value".to_owned(),
    }
}

/// Decodes an attribute list; a key given twice is an error (which one counts would be
/// a guess).
pub fn attributes(raw: Vec<RawKeyValue>) -> Result<Attrs, Problem> {
    let mut out: Vec<(String, Attr)> = Vec::with_capacity(raw.len());
    for kv in raw {
        if out.iter().any(|(k, _)| *k == kv.key) {
            return Err(Problem::new("given twice").in_attribute(&kv.key));
        }
        let value = match kv.value {
            Some(v) => any(v).map_err(|p| p.in_attribute(&kv.key))?,
            None => Attr::Empty,
        };
        out.push((kv.key, value));
    }
    Ok(Attrs(out))
}

pub fn any(raw: RawAny) -> Result<Attr, Problem> {
    let RawAny {
        string_value,
        int_value,
        double_value,
        bool_value,
        bytes_value,
        array_value,
        kvlist_value,
    } = raw;
    let kinds = [
        string_value.is_some(),
        int_value.is_some(),
        double_value.is_some(),
        bool_value.is_some(),
        bytes_value.is_some(),
        array_value.is_some(),
        kvlist_value.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() > 1 {
        return Err(Problem::new("a value with more than one kind"));
    }
    if let Some(v) = string_value {
        return match v {
            Value::String(s) => Ok(Attr::Str(s)),
            other => Err(Problem::new(format!(
                "`stringValue` {other} is not a string"
            ))),
        };
    }
    if let Some(v) = int_value {
        return int64(&v).map(Attr::Int).ok_or_else(|| {
            Problem::new(format!(
                "`intValue` {v} is not a 64-bit integer (an integer, or a string of digits)"
            ))
        });
    }
    if let Some(v) = double_value {
        return double(&v)
            .map(Attr::Double)
            .ok_or_else(|| Problem::new(format!("`doubleValue` {v} is not a number")));
    }
    if let Some(v) = bool_value {
        return match v {
            Value::Bool(b) => Ok(Attr::Bool(b)),
            other => Err(Problem::new(format!(
                "`boolValue` {other} is not true or false"
            ))),
        };
    }
    if let Some(v) = bytes_value {
        return match v {
            Value::String(s) => Ok(Attr::Bytes(s)),
            other => Err(Problem::new(format!(
                "`bytesValue` {other} is not base64 text"
            ))),
        };
    }
    if let Some(array) = array_value {
        return array
            .values
            .into_iter()
            .map(any)
            .collect::<Result<_, _>>()
            .map(Attr::Array);
    }
    if let Some(list) = kvlist_value {
        return attributes(list.values).map(|a| Attr::KvList(a.0));
    }
    Ok(Attr::Empty)
}

/// A signed 64-bit integer as OTLP/JSON writes one: a JSON integer or a string of one.
pub fn int64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        }
        _ => None,
    }
}

/// An unsigned 64-bit integer (timestamps): a JSON integer or a string of digits.
pub fn uint64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        _ => None,
    }
}

/// A double: a JSON number, or one of the strings proto3 JSON writes for the rest.
fn double(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            s if is_decimal(s) => s.parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// A timestamp field (`startTimeUnixNano`, `timeUnixNano`): absent or zero is no time.
pub fn nanos(field: &str, v: Option<&Value>) -> Result<Option<u64>, Problem> {
    match v {
        None => Ok(None),
        Some(v) => match uint64(v) {
            Some(0) => Ok(None),
            Some(n) => Ok(Some(n)),
            None => Err(Problem::new(format!(
                "`{field}` {v} is not a 64-bit count of nanoseconds (an integer, or a string of digits)"
            ))),
        },
    }
}

/// A trace or span id: exactly `bytes` bytes in hex (OTLP/JSON writes ids in hex, not
/// base64), not all zero. Returned in lowercase.
pub fn hex_id(field: &str, text: &str, bytes: usize) -> Result<String, Problem> {
    let ok = text.len() == bytes * 2 && text.bytes().all(|b| b.is_ascii_hexdigit());
    if !ok {
        return Err(Problem::new(format!(
            "`{field}` `{text}` is not {bytes} bytes in hex ({} hex digits)",
            bytes * 2
        )));
    }
    if text.bytes().all(|b| b == b'0') {
        return Err(Problem::new(format!(
            "`{field}` is all zeros (an invalid id)"
        )));
    }
    Ok(text.to_ascii_lowercase())
}

/// An enum field (`status.code`): OTLP/JSON writes enums as integers.
pub fn enum_code(field: &str, v: Option<&Value>) -> Result<i64, Problem> {
    match v {
        None => Ok(0),
        Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or(0)),
        Some(other) => Err(Problem::new(format!(
            "`{field}` {other} is not an integer (OTLP/JSON writes enums as integers)"
        ))),
    }
}
