//! LiteLLM's standard logging payload (one JSON object a line) to runs: a run is the
//! records sharing a `trace_id` (one record otherwise); tokens and `response_cost`
//! summed; the outcome is the `status` of its last record, so a retried call that
//! succeeded is a success.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::{At, Problem};
use super::mapping::{Fields, From};
use super::prices::Pico;
use super::run::{Gathered, Labels, Lookup, resolve};

/// The members runs need; the others are parsed but not kept. A member given twice is
/// refused by the derive.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
struct Payload {
    id: Option<String>,
    trace_id: Option<String>,
    #[serde(rename = "startTime")]
    start_time: Option<Value>,
    response_cost: Option<Value>,
    prompt_tokens: Option<Value>,
    completion_tokens: Option<Value>,
    status: Option<String>,
    #[serde(default)]
    request_tags: Option<Vec<String>>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

/// One run so far.
#[derive(Debug)]
pub struct Group {
    /// Labels, earliest start (microseconds) and tokens.
    pub run: Gathered<i64>,
    pub cost: Pico,
    /// (start, record id) of the last record and whether it failed.
    pub last: (i64, String, bool),
}

#[derive(Debug, Default)]
pub struct LiteLlm {
    /// Run id -> run.
    pub groups: HashMap<String, Group>,
    /// Records read, per source.
    pub records: Vec<u64>,
}

struct PayloadLookup<'a> {
    metadata: &'a Map<String, Value>,
    tags: &'a [String],
}

impl Lookup for PayloadLookup<'_> {
    fn attribute(&self, key: &str) -> Option<String> {
        match self.metadata.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    fn tags(&self) -> &[String] {
        self.tags
    }
}

pub fn defaults(field: &str) -> Vec<From> {
    let attr = |k: &str| From::Attribute(k.to_owned());
    match field {
        "squad" => vec![
            attr("user_api_key_team_alias"),
            attr("team_alias"),
            attr("user_api_key_team_id"),
            attr("team_id"),
        ],
        "workflow" => vec![From::Tag("workflow:".into())],
        "variant" => vec![From::Tag("variant:".into())],
        _ => Vec::new(),
    }
}

fn count(field: &str, v: Option<&Value>) -> Result<u64, Problem> {
    match v {
        None | Some(Value::Null) => Err(Problem::new(format!("no `{field}`"))),
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
            Problem::new(format!("`{field}` {n} is not a whole count zero or more"))
        }),
        Some(other) => Err(Problem::new(format!("`{field}` {other} is not a number"))),
    }
}

/// The run id of a record: `litellm:trace:<trace_id>`, else `litellm:record:<id>`.
fn run_id(payload: &Payload) -> Result<String, Problem> {
    match (&payload.trace_id, &payload.id) {
        (Some(t), _) if !t.is_empty() => Ok(super::run_id::litellm_trace(t)),
        (_, Some(id)) if !id.is_empty() => Ok(super::run_id::litellm_record(id)),
        _ => Err(Problem::new("a record with neither `trace_id` nor `id`")),
    }
}

impl LiteLlm {
    pub fn add(
        &mut self,
        line: &[u8],
        at: At,
        fields: &Fields,
        names: &[String],
    ) -> Result<(), Problem> {
        let payload: Payload = serde_json::from_slice(line).map_err(|e| {
            let text = e.to_string();
            let text = text
                .rsplit_once(" at line ")
                .map_or(text.as_str(), |(m, _)| m);
            Problem::new(format!("column {}: {text}", e.column()))
        })?;
        let i = at.source as usize;
        if self.records.len() <= i {
            self.records.resize(i + 1, 0);
        }
        self.records[i] += 1;
        let id = run_id(&payload)?;
        let start_us = match &payload.start_time {
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e13)
                .map(|s| (s * 1e6).round() as i64),
            _ => None,
        }
        .ok_or_else(|| Problem::new("no `startTime` in seconds since the epoch"))?;
        let input = count("prompt_tokens", payload.prompt_tokens.as_ref())?;
        let output = count("completion_tokens", payload.completion_tokens.as_ref())?;
        let cost = match &payload.response_cost {
            Some(Value::Number(n)) => n.as_f64().and_then(Pico::from_amount),
            _ => None,
        }
        .ok_or_else(|| Problem::new("no `response_cost` (an amount zero or more)"))?;
        let failed = match payload.status.as_deref() {
            Some("success") => false,
            Some("failure") => true,
            other => {
                return Err(Problem::new(format!(
                    "`status` {} is not `success` or `failure`",
                    other.map_or("absent".to_owned(), |s| format!("`{s}`"))
                )));
            }
        };
        let empty = Map::new();
        let tags = payload.request_tags.unwrap_or_default();
        let lookup = PayloadLookup {
            metadata: payload.metadata.as_ref().unwrap_or(&empty),
            tags: &tags,
        };
        let get = |field: &str| resolve(fields.of(field, &defaults(field)), &lookup);
        let labels = Labels {
            squad: get("squad"),
            workflow: get("workflow"),
            variant: get("variant"),
            outcome: get("outcome"),
            pool: get("pool"),
        };
        let record = payload.id.unwrap_or_default();
        let group = self.groups.entry(id.clone()).or_insert_with(|| Group {
            run: Gathered::new(start_us, at, labels.clone()),
            cost: Pico::default(),
            last: (start_us, record.clone(), failed),
        });
        if let Err(labels_at) = group.run.add(&labels, start_us, at, input, output) {
            return Err(Problem::new(format!(
                "`{id}`: this record's squad, workflow, variant, outcome or pool differ from those of its record at {}",
                super::error::place(names, labels_at)
            )));
        }
        group.cost = group.cost.plus(cost);
        let this = (start_us, record, failed);
        if this > group.last {
            group.last = this;
        }
        Ok(())
    }
}
