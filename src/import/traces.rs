//! GenAI agent traces to runs. A run is an outermost agent span (`invoke_agent` or
//! `invoke_workflow` with no such ancestor); its tokens are on the span itself or, when
//! not, summed over the nearest descendants that carry usage, never both.
//!
//! Spans of a trace arrive in any order, across lines and files (an exporter writes
//! children before their parents), so the outermost agent is known only at the end.
//! What is kept meanwhile is only what that needs: each span's parent link, its usage
//! and model, and the run fields of agent spans; never a span's other attributes.

use crate::snapshot::Outcome;

use super::error::{At, Problem};
use super::interned::{Interned, NONE, small_index};
use super::mapping::{Fields, From};
use super::otlp::{self, Attrs};
use super::otlp_line::ResourceSpans;
use super::run::{Labels, Lookup, resolve};

const AGENT_OPERATIONS: [&str; 2] = ["invoke_agent", "invoke_workflow"];
/// Deepest nesting followed: deeper (or a loop of parent links) is an error.
const MAX_DEPTH: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Usage {
    input: u64,
    output: u64,
    /// Index into `Traces::models`; `NONE`: the span names no model.
    model: u32,
}

/// One span as kept until the end: its place in the tree and indexes to what it
/// carries, 48 bytes whatever the span held (a file of a million spans keeps 48 MB).
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The trace id's high and low halves (two words keep the node unpadded).
    trace: (u64, u64),
    span: u64,
    /// 0: no parent.
    parent: u64,
    /// Index into `Traces::lines`: where the span was read.
    line: u32,
    /// Index into `Traces::usages`: most spans carry none, so a node stays small.
    usage: u32,
    /// Index into `Traces::agents`.
    agent: u32,
}

impl Node {
    fn key(&self) -> ((u64, u64), u64) {
        (self.trace, self.span)
    }
}

/// An agent span's own run fields.
#[derive(Debug)]
pub struct Agent {
    pub trace: u128,
    pub span: u64,
    pub start_ns: u64,
    pub error: bool,
    /// Index into `Resolved::labels`: runs share few label sets, so each is kept once.
    pub labels: u32,
    pub at: At,
}

/// The spans read so far, across every OTLP source: a flat list sorted and walked only
/// at the end (a hash map of spans would hold twice the memory, and more while it grows).
#[derive(Debug, Default)]
pub struct Traces {
    nodes: Vec<Node>,
    /// Every line that gave spans, in reading order.
    lines: Vec<At>,
    agents: Vec<Agent>,
    usages: Vec<Usage>,
    models: Interned<String>,
    labels: Interned<Labels>,
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
        let line = small_index(self.lines.len())?;
        self.lines.push(at);
        let before = self.nodes.len();
        for resource_spans in data {
            let resource = otlp::attributes(resource_spans.resource.attributes)
                .map_err(|p| Problem::new(format!("resource: {p}")))?;
            for scope_spans in resource_spans.scope_spans {
                let scope = otlp::attributes(scope_spans.scope.attributes)
                    .map_err(|p| Problem::new(format!("scope: {p}")))?;
                for span in scope_spans.spans {
                    self.add_span(span, &resource, &scope, (at, line), fields)?;
                }
            }
        }
        if self.nodes.len() == before {
            self.lines.pop();
        }
        let source = at.source as usize;
        if self.spans.len() <= source {
            self.spans.resize(source + 1, 0);
        }
        self.spans[source] += (self.nodes.len() - before) as u64;
        Ok(())
    }

    fn add_span(
        &mut self,
        span: super::otlp_line::Span,
        resource: &Attrs,
        scope: &Attrs,
        (at, line): (At, u32),
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
        let usage = if input.is_some() || output.is_some() {
            let model = attrs
                .text("gen_ai.response.model")
                .or_else(|| attrs.text("gen_ai.request.model"));
            let usage = Usage {
                input: input.unwrap_or(0),
                output: output.unwrap_or(0),
                model: model.map_or(Ok(NONE), |m| self.models.get(m))?,
            };
            self.usages.push(usage);
            small_index(self.usages.len() - 1)?
        } else {
            NONE
        };
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
            let labels = self.labels.get(labels(fields, &lookup))?;
            self.agents.push(Agent {
                trace,
                span: id,
                start_ns: start,
                error: code == 2,
                labels,
                at,
            });
            small_index(self.agents.len() - 1)?
        } else {
            NONE
        };
        self.nodes.push(Node {
            trace: ((trace >> 64) as u64, trace as u64),
            span: id,
            parent,
            line,
            usage,
            agent,
        });
        Ok(())
    }
}

fn parse_hex(text: &str) -> u64 {
    u64::from_str_radix(text, 16).unwrap_or(0)
}

/// Usage that counts, and where it counts.
#[derive(Debug)]
pub struct Counted<'a> {
    /// The run (outermost agent) it counts for; `None`: outside every agent span.
    pub agent: Option<u32>,
    pub input: u64,
    pub output: u64,
    /// The model named; `None`: none.
    pub model: Option<&'a str>,
    pub at: At,
}

/// The end of reading: the agents that are runs, and their label sets.
pub struct Resolved {
    pub agents: Vec<Agent>,
    /// Indexes into `agents` of the outermost ones, ascending.
    pub runs: Vec<u32>,
    pub labels: Vec<Labels>,
}

impl Traces {
    /// Sorts the spans, then walks up from every one, handing `count` each usage that
    /// counts. A span read twice, a loop of parent links or nesting past `MAX_DEPTH` is
    /// an error at the span it was found from.
    pub fn resolve(
        mut self,
        mut count: impl FnMut(Counted<'_>),
    ) -> Result<Resolved, (At, Problem)> {
        self.nodes.sort_unstable_by_key(|n| (n.key(), n.line));
        self.refuse_twice()?;
        let mut runs = Vec::new();
        for node in &self.nodes {
            let walk = self
                .walk(node)
                .map_err(|p| (self.lines[node.line as usize], p))?;
            if node.agent != NONE && walk.agent_above.is_none() {
                runs.push(node.agent);
            }
            if node.usage != NONE && !walk.usage_above {
                let u = self.usages[node.usage as usize];
                count(Counted {
                    agent: walk
                        .agent_above
                        .or((node.agent != NONE).then_some(node.agent)),
                    input: u.input,
                    output: u.output,
                    model: (u.model != NONE).then(|| self.models.values[u.model as usize].as_str()),
                    at: self.lines[node.line as usize],
                });
            }
        }
        runs.sort_unstable();
        Ok(Resolved {
            agents: self.agents,
            runs,
            labels: self.labels.values,
        })
    }

    /// A span read twice: the error is at the second reading that comes first.
    fn refuse_twice(&self) -> Result<(), (At, Problem)> {
        let twice = self
            .nodes
            .windows(2)
            .filter(|w| w[0].key() == w[1].key())
            .min_by_key(|w| w[1].line);
        match twice {
            None => Ok(()),
            Some(w) => {
                let (first, again) = (
                    self.lines[w[0].line as usize],
                    self.lines[w[1].line as usize],
                );
                let trace = (u128::from(w[1].trace.0) << 64) | u128::from(w[1].trace.1);
                Err((
                    again,
                    Problem::new(format!(
                        "span `{:016x}` of trace `{trace:032x}` appears twice (first at line {})",
                        w[1].span, first.line
                    )),
                ))
            }
        }
    }

    fn walk(&self, node: &Node) -> Result<Walk, Problem> {
        let mut walk = Walk::default();
        let mut parent = node.parent;
        for _ in 0..MAX_DEPTH {
            let found = (parent != 0)
                .then(|| {
                    self.nodes
                        .binary_search_by_key(&(node.trace, parent), Node::key)
                        .ok()
                })
                .flatten();
            let Some(up) = found.map(|i| &self.nodes[i]) else {
                return Ok(walk);
            };
            walk.usage_above |= up.usage != NONE;
            if up.agent != NONE {
                walk.agent_above = Some(up.agent);
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
