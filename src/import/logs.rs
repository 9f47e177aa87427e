//! Claude Code's `claude_code.api_request` events to runs: a run is a session
//! (`session.id`); its tokens and cost are summed over the session's events. Input
//! counts every prompt token the model read: `input_tokens` (uncached) plus
//! `cache_read_tokens` and `cache_creation_tokens`, which Claude Code reports apart
//! from it; output is `output_tokens`.

use std::collections::HashMap;

use serde_json::Value;

use super::error::{At, Problem};
use super::mapping::{Fields, From};
use super::otlp::{self, Attr, Attrs};
use super::otlp_line::{LogRecord, ResourceLogs};
use super::prices::Pico;
use super::run::{Gathered, Labels, Lookup, resolve};

const EVENT: &str = "claude_code.api_request";

/// One session so far.
#[derive(Debug)]
pub struct Session {
    /// Labels, earliest event (nanoseconds) and tokens.
    pub run: Gathered<u64>,
    /// `cost_usd` summed; `None` once an event lacks it.
    pub cost: Option<Pico>,
    /// Tokens by model, for pricing when `cost_usd` cannot be used.
    pub by_model: Vec<(String, u64, u64, At)>,
}

#[derive(Debug, Default)]
pub struct Logs {
    pub sessions: HashMap<String, Session>,
    /// Log records read, and those that are no `api_request` event, per source.
    pub records: Vec<u64>,
    pub other: Vec<u64>,
}

struct RecordLookup<'a> {
    resource: &'a Attrs,
    scope: &'a Attrs,
    record: &'a Attrs,
}

impl Lookup for RecordLookup<'_> {
    fn resource(&self, key: &str) -> Option<String> {
        self.resource.text(key)
    }
    fn scope(&self, key: &str) -> Option<String> {
        self.scope.text(key)
    }
    fn attribute(&self, key: &str) -> Option<String> {
        self.record.text(key)
    }
}

pub fn defaults(field: &str) -> Vec<From> {
    match field {
        "squad" => vec![From::Resource("team.id".into())],
        _ => Vec::new(),
    }
}

fn bump(counts: &mut Vec<u64>, source: u32) {
    let i = source as usize;
    if counts.len() <= i {
        counts.resize(i + 1, 0);
    }
    counts[i] += 1;
}

impl Logs {
    pub fn add(
        &mut self,
        data: Vec<ResourceLogs>,
        at: At,
        fields: &Fields,
        names: &[String],
    ) -> Result<(), Problem> {
        for resource_logs in data {
            let resource = otlp::attributes(resource_logs.resource.attributes)
                .map_err(|p| Problem::new(format!("resource: {p}")))?;
            for scope_logs in resource_logs.scope_logs {
                let scope = otlp::attributes(scope_logs.scope.attributes)
                    .map_err(|p| Problem::new(format!("scope: {p}")))?;
                for record in scope_logs.log_records {
                    bump(&mut self.records, at.source);
                    self.add_record(record, (&resource, &scope), at, fields, names)?;
                }
            }
        }
        Ok(())
    }

    /// Adds one log record to its session, or counts it as another event.
    fn add_record(
        &mut self,
        record: LogRecord,
        (resource, scope): (&Attrs, &Attrs),
        at: At,
        fields: &Fields,
        names: &[String],
    ) -> Result<(), Problem> {
        let body = record
            .body
            .map(otlp::any)
            .transpose()
            .map_err(|p| Problem::new(format!("body: {p}")))?;
        let attrs = otlp::attributes(record.attributes)?;
        let is_event = record.event_name.as_deref() == Some(EVENT)
            || body == Some(Attr::Str(EVENT.to_owned()))
            || attrs.text("event.name").as_deref() == Some("api_request");
        if !is_event {
            bump(&mut self.other, at.source);
            return Ok(());
        }
        let event = Event::read(
            record.time_unix_nano.as_ref(),
            record.observed_time_unix_nano.as_ref(),
            &attrs,
        )?;
        let lookup = RecordLookup {
            resource,
            scope,
            record: &attrs,
        };
        let get = |field: &str| resolve(fields.of(field, &defaults(field)), &lookup);
        let labels = Labels {
            squad: get("squad"),
            workflow: get("workflow"),
            variant: get("variant"),
            outcome: get("outcome"),
            pool: get("pool"),
        };
        self.gather(event, &labels, at, names)
    }

    /// Adds an event with its labels to its session: tokens, cost and tokens by model.
    fn gather(
        &mut self,
        event: Event,
        labels: &Labels,
        at: At,
        names: &[String],
    ) -> Result<(), Problem> {
        let Event {
            time,
            session,
            input,
            output,
            cost,
            model,
        } = event;
        let entry = self
            .sessions
            .entry(session.clone())
            .or_insert_with(|| Session {
                run: Gathered::new(time, at, labels.clone()),
                cost: Some(Pico::default()),
                by_model: Vec::new(),
            });
        if let Err(labels_at) = entry.run.add(labels, time, at, input, output) {
            return Err(Problem::new(format!(
                "session `{session}`: this event's squad, workflow, variant, outcome or pool differ from those of its event at {}",
                super::error::place(names, labels_at)
            )));
        }
        entry.cost = match (entry.cost, cost) {
            (Some(total), Some(c)) => Some(total.plus(c)),
            _ => None,
        };
        match entry.by_model.iter_mut().find(|(m, ..)| *m == model) {
            Some(slot) => {
                slot.1 = slot.1.saturating_add(input);
                slot.2 = slot.2.saturating_add(output);
                slot.3 = slot.3.min(at);
            }
            None => entry.by_model.push((model, input, output, at)),
        }
        Ok(())
    }
}

/// What one `api_request` event says of its session.
struct Event {
    /// When it happened, in nanoseconds.
    time: u64,
    session: String,
    input: u64,
    output: u64,
    cost: Option<Pico>,
    model: String,
}

impl Event {
    /// Reads an event from its record's stamps (`time`, else `observed`) and attributes.
    fn read(
        time: Option<&Value>,
        observed: Option<&Value>,
        attrs: &Attrs,
    ) -> Result<Self, Problem> {
        let time = otlp::nanos("timeUnixNano", time)?;
        let observed = otlp::nanos("observedTimeUnixNano", observed)?;
        let time = time.or(observed).ok_or_else(|| {
            Problem::new(
                "an `api_request` event with neither `timeUnixNano` nor `observedTimeUnixNano`",
            )
        })?;
        let session = attrs
            .text("session.id")
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Problem::new("an `api_request` event with no `session.id`"))?;
        let input = [
            attrs.count("input_tokens")?,
            attrs.count("cache_read_tokens")?,
            attrs.count("cache_creation_tokens")?,
        ]
        .into_iter()
        .flatten()
        .fold(0u64, u64::saturating_add);
        let output = attrs.count("output_tokens")?.unwrap_or(0);
        let cost = match attrs.amount("cost_usd")? {
            Some(c) => {
                Some(Pico::from_amount(c).ok_or_else(|| Problem::new("`cost_usd` is too large"))?)
            }
            None => None,
        };
        let model = attrs.text("model").unwrap_or_default();
        Ok(Self {
            time,
            session,
            input,
            output,
            cost,
            model,
        })
    }
}
