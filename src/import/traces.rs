//! GenAI agent traces to runs. A run is an outermost agent span (`invoke_agent` or
//! `invoke_workflow` with no such ancestor); its tokens are on the span itself or, when
//! not, summed over the nearest descendants that carry usage, never both.
//!
//! Spans of a trace arrive in any order, across lines and files (an exporter writes
//! children before their parents), so the outermost agent is known only at the end.
//! What is kept meanwhile is only what that needs: each span's parent link, its usage
//! and model, and the run fields of agent spans; never a span's other attributes.

use std::collections::HashMap;

use crate::snapshot::Outcome;

use super::error::{At, Problem};
use super::mapping::{Fields, From};
use super::otlp::{self, Attrs};
use super::otlp_line::ResourceSpans;
use super::run::{resolve, Labels, Lookup};

const AGENT_OPERATIONS: [&str; 2] = ["invoke_agent", "invoke_workflow"];
/// Deepest nesting followed: deeper (or a loop of parent links) is an error.
const MAX_DEPTH: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Usage {
    input: u64,
    output: u64,
    /// Index into `Traces::models`; `None`: the span names no model.
    model: Option<u32>,
}

#[derive(Debug)]
struct Node {
    /// 0: no parent.
    parent: u64,
    at: At,
    /// Index into `Traces::usages`: most spans carry none, so a node stays small.
    usage: Option<u32>,
    /// Index into `Traces::agents`.
    agent: Option<u32>,
}

/// An agent span's own run fields.
#[derive(Debug)]
pub struct Agent {
    pub trace: u128,
    pub span: u64,
    pub start_ns: u64,
    pub error: bool,
    pub labels: Labels,
    pub at: At,
}

/// The spans read so far, across every OTLP source.
#[derive(Debug, Default)]
pub struct Traces {
    nodes: HashMap<(u128, u64), Node>,
    agents: Vec<Agent>,
    usages: Vec<Usage>,
    models: Vec<String>,
    model_index: HashMap<String, u32>,
    /// Spans read, per source.
    pub spans: Vec<u64>,
}

/// What a span offers the mapping.
struct SpanLookup<'a> {
    resource: &'a Attrs,
    scope: &'a Attrs,
    span: &'a Attrs,
}

impl Lookup for SpanLookup<'_> {
    fn resource(&self, key: &str) -> Option<String> {
        self.resource.text(key)
    }
    fn scope(&self, key: &str) -> Option<String> {
        self.scope.text(key)
    }
    fn attribute(&self, key: &str) -> Option<String> {
        self.span.text(key)
    }
}

/// Where trace run fields come from when the mapping does not say.
pub fn defaults(field: &str) -> Vec<From> {
    let attr = |k: &str| From::Attribute(k.to_owned());
    match field {
        "squad" => vec![From::Resource("team.id".into()), attr("team.id")],
        "workflow" => vec![attr("gen_ai.workflow.name"), attr("gen_ai.agent.name")],
        "variant" => vec![attr("gen_ai.agent.version")],
        _ => Vec::new(),
    }
}

pub fn labels(fields: &Fields, record: &dyn Lookup) -> Labels {
    let get = |field: &str| resolve(fields.of(field, &defaults(field)), record);
    Labels {
        squad: get("squad"),
        workflow: get("workflow"),
        variant: get("variant"),
        outcome: get("outcome"),
        pool: get("pool"),
    }
}

impl Traces {
    /// Takes in one line's spans; a problem is returned with the span it is about.
    pub fn add(
        &mut self,
        data: Vec<ResourceSpans>,
        at: At,
        fields: &Fields,
    ) -> Result<(), Problem> {
        for resource_spans in data {
            let resource = otlp::attributes(resource_spans.resource.attributes)
                .map_err(|p| Problem::new(format!("resource: {p}")))?;
            for scope_spans in resource_spans.scope_spans {
                let scope = otlp::attributes(scope_spans.scope.attributes)
                    .map_err(|p| Problem::new(format!("scope: {p}")))?;
                for span in scope_spans.spans {
                    self.add_span(span, &resource, &scope, at, fields)?;
                }
            }
        }
        Ok(())
    }

    fn add_span(
        &mut self,
        span: super::otlp_line::Span,
        resource: &Attrs,
        scope: &Attrs,
        at: At,
        fields: &Fields,
    ) -> Result<(), Problem> {
        let trace = otlp::hex_id("traceId", &span.trace_id, 16)?;
        let id = otlp::hex_id("spanId", &span.span_id, 8)?;
        let here = |p: Problem| Problem::new(format!("span `{id}` of trace `{trace}`: {p}"));
        let parent = if span.parent_span_id.is_empty() {
            0
        } else {
            parse_hex(&otlp::hex_id("parentSpanId", &span.parent_span_id, 8).map_err(here)?)
        };
        let start = otlp::nanos("startTimeUnixNano", span.start_time_unix_nano.as_ref())
            .map_err(here)?
            .ok_or_else(|| {
                here(Problem::new(
                    "no `startTimeUnixNano`: a span must say when it started",
                ))
            })?;
        let code = otlp::enum_code("status.code", span.status.code.as_ref()).map_err(here)?;
        let attrs = otlp::attributes(span.attributes).map_err(here)?;
        let input = attrs.count("gen_ai.usage.input_tokens").map_err(here)?;
        let output = attrs.count("gen_ai.usage.output_tokens").map_err(here)?;
        let usage = (input.is_some() || output.is_some()).then(|| Usage {
            input: input.unwrap_or(0),
            output: output.unwrap_or(0),
            model: attrs
                .text("gen_ai.response.model")
                .or_else(|| attrs.text("gen_ai.request.model"))
                .map(|m| self.model(m)),
        });
        let operation = attrs.text("gen_ai.operation.name");
        let (trace, id) = (
            u128::from_str_radix(&trace, 16).unwrap_or(0),
            parse_hex(&id),
        );
        let agent = if operation.is_some_and(|o| AGENT_OPERATIONS.contains(&o.as_str())) {
            let lookup = SpanLookup {
                resource,
                scope,
                span: &attrs,
            };
            self.agents.push(Agent {
                trace,
                span: id,
                start_ns: start,
                error: code == 2,
                labels: labels(fields, &lookup),
                at,
            });
            Some((self.agents.len() - 1) as u32)
        } else {
            None
        };
        let usage = usage.map(|u| {
            self.usages.push(u);
            (self.usages.len() - 1) as u32
        });
        let node = Node {
            parent,
            at,
            usage,
            agent,
        };
        if let Some(first) = self.nodes.insert((trace, id), node) {
            return Err(Problem::new(format!(
                "span `{id:016x}` of trace `{trace:032x}` appears twice (first at line {})",
                first.at.line
            )));
        }
        let source = at.source as usize;
        if self.spans.len() <= source {
            self.spans.resize(source + 1, 0);
        }
        self.spans[source] += 1;
        Ok(())
    }

    fn model(&mut self, name: String) -> u32 {
        if let Some(i) = self.model_index.get(&name) {
            return *i;
        }
        let i = self.models.len() as u32;
        self.models.push(name.clone());
        self.model_index.insert(name, i);
        i
    }
}

fn parse_hex(text: &str) -> u64 {
    u64::from_str_radix(text, 16).unwrap_or(0)
}

/// Usage that counts, and where it counts.
#[derive(Debug)]
pub struct Counted {
    /// The run (outermost agent) it counts for; `None`: outside every agent span.
    pub agent: Option<u32>,
    pub input: u64,
    pub output: u64,
    /// Index into `Resolved::models`.
    pub model: Option<u32>,
    pub at: At,
}

/// The end of reading: the agents that are runs, and the usage that counts.
pub struct Resolved {
    pub agents: Vec<Agent>,
    /// Indexes into `agents` of the outermost ones.
    pub runs: Vec<u32>,
    pub usage: Vec<Counted>,
    pub models: Vec<String>,
}

impl Traces {
    /// Walks up from every agent and every span with usage; a loop of parent links or
    /// nesting past `MAX_DEPTH` is an error at the span it was found from.
    pub fn resolve(self) -> Result<Resolved, (At, Problem)> {
        let mut runs = Vec::new();
        let mut usage = Vec::new();
        for (&(trace, _), node) in &self.nodes {
            let walk = self.walk(trace, node).map_err(|p| (node.at, p))?;
            if node.agent.is_some() && walk.agent_above.is_none() {
                runs.push(node.agent.unwrap_or(0));
            }
            if let (Some(u), false) = (node.usage, walk.usage_above) {
                let u = self.usages[u as usize];
                usage.push(Counted {
                    agent: walk.agent_above.or(node.agent),
                    input: u.input,
                    output: u.output,
                    model: u.model,
                    at: node.at,
                });
            }
        }
        runs.sort_unstable();
        Ok(Resolved {
            agents: self.agents,
            runs,
            usage,
            models: self.models,
        })
    }

    fn walk(&self, trace: u128, node: &Node) -> Result<Walk, Problem> {
        let mut walk = Walk::default();
        let mut parent = node.parent;
        for _ in 0..MAX_DEPTH {
            let Some(up) = (parent != 0)
                .then(|| self.nodes.get(&(trace, parent)))
                .flatten()
            else {
                return Ok(walk);
            };
            walk.usage_above |= up.usage.is_some();
            if up.agent.is_some() {
                walk.agent_above = up.agent;
            }
            parent = up.parent;
        }
        Err(Problem::new(format!(
            "its parent links go deeper than {MAX_DEPTH} levels (a loop?)"
        )))
    }
}

#[derive(Debug, Default)]
struct Walk {
    /// The outermost agent above.
    agent_above: Option<u32>,
    /// Whether a span above carries usage itself (then this span's is inside it).
    usage_above: bool,
}

/// The outcome a span's status gives: `ERROR` (2) is a failure.
pub fn outcome(agent: &Agent) -> Outcome {
    if agent.error {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}
