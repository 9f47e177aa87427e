//! The mapping file (TOML): where each run field comes from, per source (`[traces]`,
//! `[logs]`, `[litellm]`), team ids or aliases translated to squads (`[squads]`), and
//! model prices (`[prices."MODEL"]`). A key bursar does not know is an error with the
//! closest known key, so a typo never falls back to a default silently.

use std::collections::BTreeMap;

use super::error::{ImportError, Result};
use super::prices::{Price, Prices, UsdRate};

/// Most bytes of mapping read: a mapping is a page of configuration.
pub const MAX_MAPPING_BYTES: usize = 1 << 20;

/// Where one run field comes from; the first that gives a value wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    /// A resource attribute (OTLP).
    Resource(String),
    /// An instrumentation scope attribute (OTLP).
    Scope(String),
    /// A span's or log record's attribute; for LiteLLM a `metadata` member, else a
    /// top-level member of the payload.
    Attribute(String),
    /// The rest of the first request tag that starts with this prefix (LiteLLM).
    Tag(String),
    /// This value, always.
    Const(String),
}

/// The run fields a source table may set.
pub const FIELDS: [&str; 5] = ["squad", "workflow", "variant", "outcome", "pool"];
const PREFIXES: [&str; 5] = ["resource", "scope", "attribute", "tag", "const"];
const TABLES: [&str; 6] = ["traces", "logs", "litellm", "squads", "prices", "currency"];

/// One source's field table: field name -> where it comes from (absent: the default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(BTreeMap<String, Vec<From>>);

impl Fields {
    /// The mapped sources of `field`, else `default`.
    pub fn of<'a>(&'a self, field: &str, default: &'a [From]) -> &'a [From] {
        self.0.get(field).map_or(default, Vec::as_slice)
    }
}

/// How `bursar import` reads telemetry into runs: field sources, team to squad names,
/// model prices and the currency (`parse_mapping` reads one; the default is no mapping).
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// The file it was read from, for messages (empty: no mapping given).
    pub(crate) origin: String,
    pub(crate) traces: Fields,
    pub(crate) logs: Fields,
    pub(crate) litellm: Fields,
    /// Team id or alias -> squad id.
    pub(crate) squads: BTreeMap<String, String>,
    pub(crate) prices: Prices,
    /// `[currency]`: what a US dollar is worth in the base's currency.
    pub(crate) usd_rate: Option<UsdRate>,
}

impl Mapping {
    /// A squad id for a team id or alias: translated when `[squads]` names it.
    pub(crate) fn squad<'a>(&'a self, team: &'a str) -> &'a str {
        self.squads.get(team).map_or(team, String::as_str)
    }
}

/// Reads a mapping; `origin` names it in messages.
pub fn parse(text: &str, origin: &str) -> Result<Mapping> {
    let fail = |message: String| ImportError::Mapping {
        origin: origin.to_owned(),
        message,
    };
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| fail(crate::text::lowercase_first(e.message())))?;
    let mut mapping = Mapping {
        origin: origin.to_owned(),
        ..Mapping::default()
    };
    for (key, value) in &table {
        match key.as_str() {
            "traces" => mapping.traces = fields(value, key).map_err(&fail)?,
            "logs" => mapping.logs = fields(value, key).map_err(&fail)?,
            "litellm" => mapping.litellm = fields(value, key).map_err(&fail)?,
            "squads" => mapping.squads = squads(value).map_err(&fail)?,
            "prices" => mapping.prices = prices(value).map_err(&fail)?,
            "currency" => mapping.usd_rate = Some(currency(value).map_err(&fail)?),
            other => return Err(fail(unknown("table", other, &TABLES))),
        }
    }
    Ok(mapping)
}

fn unknown(what: &str, key: &str, known: &[&str]) -> String {
    format!("unknown {what} `{key}`{}", hint(key, known))
}

/// ` (did you mean `x`?)`, or nothing when no known word is close.
fn hint(word: &str, known: &[&str]) -> String {
    crate::text::closest(word, known.iter().copied())
        .map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"))
}

fn table<'a>(value: &'a toml::Value, name: &str) -> Result<&'a toml::Table, String> {
    value
        .as_table()
        .ok_or_else(|| format!("`{name}` must be a table (`[{name}]`)"))
}

fn fields(value: &toml::Value, name: &str) -> Result<Fields, String> {
    let mut out = BTreeMap::new();
    for (key, v) in table(value, name)? {
        if !FIELDS.contains(&key.as_str()) {
            return Err(format!("[{name}]: {}", unknown("key", key, &FIELDS)));
        }
        let here = format!("[{name}] {key}");
        let list = match v {
            toml::Value::String(s) => vec![from(s).map_err(|e| format!("{here}: {e}"))?],
            toml::Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(|item| match item {
                    toml::Value::String(s) => from(s).map_err(|e| format!("{here}: {e}")),
                    _ => Err(format!("{here}: every entry must be a string")),
                })
                .collect::<Result<_, _>>()?,
            _ => {
                return Err(format!(
                    "{here}: must be a string or a non-empty list of strings"
                ));
            }
        };
        out.insert(key.clone(), list);
    }
    Ok(Fields(out))
}

/// `resource:NAME`, `scope:NAME`, `attribute:NAME`, `tag:PREFIX`, `const:VALUE`, or a
/// plain value (no `:`) taken as a constant.
fn from(text: &str) -> Result<From, String> {
    let Some((prefix, rest)) = text.split_once(':') else {
        return if text.is_empty() {
            Err("an empty value".to_owned())
        } else {
            Ok(From::Const(text.to_owned()))
        };
    };
    if rest.is_empty() && prefix != "const" {
        return Err(format!("`{text}` names nothing after `{prefix}:`"));
    }
    match prefix {
        "resource" => Ok(From::Resource(rest.to_owned())),
        "scope" => Ok(From::Scope(rest.to_owned())),
        "attribute" => Ok(From::Attribute(rest.to_owned())),
        "tag" => Ok(From::Tag(rest.to_owned())),
        "const" if !rest.is_empty() => Ok(From::Const(rest.to_owned())),
        _ => Err(format!(
            "`{text}`: unknown source `{prefix}:`{}; a constant with `:` is written `const:VALUE`",
            hint(prefix, &PREFIXES)
        )),
    }
}

fn squads(value: &toml::Value) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (team, squad) in table(value, "squads")? {
        match squad {
            toml::Value::String(s) if !s.is_empty() => {
                out.insert(team.clone(), s.clone());
            }
            _ => return Err(format!("[squads] `{team}`: must be a squad id (a string)")),
        }
    }
    Ok(out)
}

fn prices(value: &toml::Value) -> Result<Prices, String> {
    let mut out = Prices::default();
    for (model, entry) in table(value, "prices")? {
        let here = format!("[prices.\"{model}\"]");
        let entry = entry
            .as_table()
            .ok_or_else(|| format!("{here}: must be a table with `input` and `output`"))?;
        let mut input = None;
        let mut output = None;
        for (key, v) in entry {
            let slot = match key.as_str() {
                "input" => &mut input,
                "output" => &mut output,
                other => {
                    return Err(format!(
                        "{here}: {}",
                        unknown("key", other, &["input", "output"])
                    ));
                }
            };
            let number = match v {
                toml::Value::Float(f) => *f,
                toml::Value::Integer(i) => *i as f64,
                _ => return Err(format!("{here} {key}: must be a number")),
            };
            *slot = Some(Price::per_million(number).map_err(|e| format!("{here} {key}: {e}"))?);
        }
        match (input, output) {
            (Some(input), Some(output)) => out.insert(model.clone(), input, output),
            _ => return Err(format!("{here}: needs both `input` and `output`")),
        }
    }
    Ok(out)
}

/// `[currency]`: `code` (the base's currency) and `usd_rate` (its units per US dollar),
/// both required so a rate is never applied to a currency it was not meant for.
fn currency(value: &toml::Value) -> Result<UsdRate, String> {
    let mut code = None;
    let mut rate = None;
    for (key, v) in table(value, "currency")? {
        match (key.as_str(), v) {
            ("code", toml::Value::String(s)) if !s.is_empty() => code = Some(s.clone()),
            ("code", _) => return Err("[currency] code: must be a currency code (a string)".into()),
            ("usd_rate", toml::Value::Float(f)) => rate = Some(*f),
            ("usd_rate", toml::Value::Integer(i)) => rate = Some(*i as f64),
            ("usd_rate", _) => return Err("[currency] usd_rate: must be a number".into()),
            (other, _) => {
                return Err(format!(
                    "[currency]: {}",
                    unknown("key", other, &["code", "usd_rate"])
                ));
            }
        }
    }
    match (code, rate) {
        (Some(code), Some(rate)) => {
            UsdRate::new(code, rate).map_err(|e| format!("[currency] usd_rate: {e}"))
        }
        _ => Err(
            "[currency]: needs both `code` (the base's currency) and `usd_rate` (its units per US dollar)"
                .into(),
        ),
    }
}
