//! Reading every source into one store (a trace or a session may span files), then
//! turning what was read into runs: priced, filtered to the sprint, finished against the
//! base, sorted by id.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

use crate::snapshot::{Outcome, Snapshot};

use super::error::{At, ImportError, Problem, Result, Unpriced, place};
use super::lines::{self, json_error};
use super::litellm::LiteLlm;
use super::logs::Logs;
use super::mapping::Mapping;
use super::otlp_line::Line;
use super::prices::{Pico, UsdRate};
use super::provenance::SourceReport;
use super::run::{self, Draft, Run};
use super::run_id;
use super::traces::{self, Traces};

/// Most problems listed at the end before the rest are only counted.
const MAX_LISTED: usize = 20;

/// Reads telemetry sources (OTLP spans, logs, LiteLLM records) into runs for a base
/// snapshot, as `bursar import` does: create it, read each source, then [`Importer::finish`].
pub struct Importer<'a> {
    base: &'a Snapshot,
    mapping: &'a Mapping,
    names: Vec<String>,
    reports: Vec<SourceReport>,
    traces: Traces,
    logs: Logs,
    litellm: LiteLlm,
}

/// The runs to add, and what each source gave.
#[derive(Debug)]
pub struct Imported {
    /// The runs to add to the base, sorted by id.
    pub runs: Vec<Run>,
    /// What each source gave, for the snapshot's `provenance`.
    pub sources: Vec<SourceReport>,
}

impl<'a> Importer<'a> {
    /// An importer of runs for `base`, reading sources as `mapping` says.
    pub fn new(base: &'a Snapshot, mapping: &'a Mapping) -> Self {
        Importer {
            base,
            mapping,
            names: Vec::new(),
            reports: Vec::new(),
            traces: Traces::default(),
            logs: Logs::default(),
            litellm: LiteLlm::default(),
        }
    }

    fn open(&mut self, kind: &'static str, origin: &str) -> u32 {
        self.names.push(origin.to_owned());
        self.reports.push(SourceReport {
            kind,
            name: origin.to_owned(),
            sha256: String::new(),
            lines: 0,
            records: 0,
            runs_kept: 0,
            runs_outside_sprint: 0,
            records_in_no_run: 0,
        });
        (self.names.len() - 1) as u32
    }

    /// Reads one OTLP JSON Lines source (traces, logs and metrics lines, mixed).
    pub fn read_otlp(&mut self, origin: &str, reader: impl BufRead) -> Result<()> {
        let source = self.open("otlp", origin);
        let mut metrics = 0u64;
        let digested = lines::for_each_line(reader, origin, |line, bytes| {
            let at = At { source, line };
            let parsed: Line =
                serde_json::from_slice(bytes).map_err(|e| json_error(origin, line, &e))?;
            let located = |p: Problem| ImportError::Record {
                origin: origin.to_owned(),
                line,
                message: p.0,
            };
            let kinds = [
                parsed.resource_spans.is_some(),
                parsed.resource_logs.is_some(),
                parsed.resource_metrics.is_some(),
            ];
            if kinds.iter().filter(|k| **k).count() != 1 {
                return Err(located(Problem::new(
                    "not one OTLP object: a line holds exactly one of `resourceSpans`, `resourceLogs`, `resourceMetrics`",
                )));
            }
            if let Some(spans) = parsed.resource_spans {
                self.traces
                    .add(spans, at, &self.mapping.traces)
                    .map_err(located)?;
            } else if let Some(logs) = parsed.resource_logs {
                self.logs
                    .add(logs, at, &self.mapping.logs, &self.names)
                    .map_err(located)?;
            } else {
                metrics += 1;
            }
            Ok(())
        })?;
        let report = &mut self.reports[source as usize];
        report.sha256 = digested.sha256;
        report.lines = digested.lines;
        report.records_in_no_run += metrics;
        Ok(())
    }

    /// Reads one LiteLLM source: a standard logging payload a line.
    pub fn read_litellm(&mut self, origin: &str, reader: impl BufRead) -> Result<()> {
        let source = self.open("litellm", origin);
        let digested = lines::for_each_line(reader, origin, |line, bytes| {
            self.litellm
                .add(
                    bytes,
                    At { source, line },
                    &self.mapping.litellm,
                    &self.names,
                )
                .map_err(|p| ImportError::Record {
                    origin: origin.to_owned(),
                    line,
                    message: p.0,
                })
        })?;
        let report = &mut self.reports[source as usize];
        report.sha256 = digested.sha256;
        report.lines = digested.lines;
        Ok(())
    }

    /// The runs of every source read.
    pub fn finish(mut self) -> Result<Imported> {
        self.count_records();
        let mut unpriced = BTreeMap::new();
        let mut drafts = self.trace_drafts(&mut unpriced)?;
        drafts.extend(self.session_drafts(&mut unpriced)?);
        drafts.extend(self.litellm_drafts()?);
        if !unpriced.is_empty() {
            return Err(ImportError::Unpriced(
                unpriced
                    .into_iter()
                    .map(|(model, (input, output, at))| Unpriced {
                        model,
                        input_tokens: input,
                        output_tokens: output,
                        first: place(&self.names, at),
                    })
                    .collect(),
            ));
        }
        let mut runs = Vec::with_capacity(drafts.len());
        let mut problems = Vec::new();
        drafts.sort_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)));
        for draft in drafts {
            let report = &mut self.reports[draft.at.source as usize];
            if !run::in_sprint(draft.started_ns, self.base) {
                report.runs_outside_sprint += 1;
                continue;
            }
            report.runs_kept += 1;
            let (id, at) = (draft.id.clone(), draft.at);
            match run::finish(draft, self.base, self.mapping) {
                Ok(run) => runs.push(run),
                Err(problem) => {
                    problems.push(format!("{}: run `{id}`: {problem}", place(&self.names, at)))
                }
            }
        }
        if !problems.is_empty() {
            let more = problems.len().saturating_sub(MAX_LISTED);
            problems.truncate(MAX_LISTED);
            if more > 0 {
                problems.push(format!("and {more} more"));
            }
            return Err(ImportError::Many(problems));
        }
        runs.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Imported {
            runs,
            sources: self.reports,
        })
    }

    fn count_records(&mut self) {
        for (i, report) in self.reports.iter_mut().enumerate() {
            let get = |v: &Vec<u64>| v.get(i).copied().unwrap_or(0);
            report.records +=
                get(&self.traces.spans) + get(&self.logs.records) + get(&self.litellm.records);
            report.records_in_no_run += get(&self.logs.other);
        }
    }

    fn trace_drafts(&mut self, unpriced: &mut Missing) -> Result<Vec<Draft>> {
        let spans = std::mem::take(&mut self.traces);
        let (mapping, reports) = (self.mapping, &mut self.reports);
        let mut totals: HashMap<u32, (u64, u64, Pico)> = HashMap::new();
        let resolved = spans
            .resolve(|used| {
                let Some(agent) = used.agent else {
                    reports[used.at.source as usize].records_in_no_run += 1;
                    return;
                };
                let model = used.model.unwrap_or("");
                let cost = price(mapping, model, used.input, used.output, used.at, unpriced);
                let total = totals.entry(agent).or_default();
                total.0 = total.0.saturating_add(used.input);
                total.1 = total.1.saturating_add(used.output);
                total.2 = total.2.plus(cost);
            })
            .map_err(|(at, p)| ImportError::Record {
                origin: self.names[at.source as usize].clone(),
                line: at.line,
                message: p.0,
            })?;
        let mut drafts = Vec::with_capacity(resolved.runs.len());
        for index in resolved.runs {
            let agent = &resolved.agents[index as usize];
            let (input, output, cost) = totals.get(&index).copied().unwrap_or_default();
            drafts.push(Draft {
                id: run_id::span(agent.trace, agent.span),
                at: agent.at,
                labels: resolved.labels[agent.labels as usize].clone(),
                outcome: traces::outcome(agent),
                input_tokens: input,
                output_tokens: output,
                cost,
                started_ns: i128::from(agent.start_ns),
            });
        }
        Ok(drafts)
    }

    fn session_drafts(&mut self, unpriced: &mut Missing) -> Result<Vec<Draft>> {
        let usd = self.usd()?;
        let sessions = std::mem::take(&mut self.logs.sessions);
        let mut drafts = Vec::with_capacity(sessions.len());
        for (id, session) in sessions {
            // `cost_usd` is in US dollars: used when they can be the base's currency,
            // else the session is priced by the mapping's prices.
            let cost = match session.cost.and_then(|c| usd.convert(c)) {
                Some(cost) => cost,
                None => session
                    .by_model
                    .iter()
                    .fold(Pico::default(), |sum, (m, i, o, at)| {
                        sum.plus(price(self.mapping, m, *i, *o, *at, unpriced))
                    }),
            };
            drafts.push(Draft {
                id: run_id::session(&id),
                at: session.run.at,
                labels: session.run.labels,
                outcome: Outcome::Success,
                input_tokens: session.run.input,
                output_tokens: session.run.output,
                cost,
                started_ns: i128::from(session.run.first),
            });
        }
        Ok(drafts)
    }

    /// How US dollar amounts become the base's currency; a `[currency]` rate for another
    /// currency than the base's is an error of the mapping.
    fn usd(&self) -> Result<Usd<'a>> {
        let currency = &self.base.currency;
        match &self.mapping.usd_rate {
            Some(rate) if rate.code != *currency => Err(ImportError::Mapping {
                origin: self.mapping.origin.clone(),
                message: format!(
                    "[currency] code `{}` is not the base's currency `{currency}`: the rate converts to another currency",
                    rate.code
                ),
            }),
            _ if currency == "USD" => Ok(Usd::Same),
            Some(rate) => Ok(Usd::Rate(rate)),
            None => Ok(Usd::Unknown),
        }
    }

    fn litellm_drafts(&mut self) -> Result<Vec<Draft>> {
        let usd = self.usd()?;
        let groups = std::mem::take(&mut self.litellm.groups);
        if let (Usd::Unknown, Some(first)) = (usd, groups.values().map(|g| g.run.at).min()) {
            let currency = &self.base.currency;
            return Err(ImportError::Many(vec![format!(
                "{}: LiteLLM's `response_cost` is in USD and the base counts in `{currency}`: give the mapping `[currency]` with `code = \"{currency}\"` and `usd_rate` ({currency} per US dollar)",
                place(&self.names, first)
            )]));
        }
        Ok(groups
            .into_iter()
            .map(|(id, group)| Draft {
                id,
                at: group.run.at,
                labels: group.run.labels,
                outcome: if group.last.2 {
                    Outcome::Failure
                } else {
                    Outcome::Success
                },
                input_tokens: group.run.input,
                output_tokens: group.run.output,
                cost: usd.convert(group.cost).unwrap_or_default(),
                started_ns: i128::from(group.run.first) * 1000,
            })
            .collect())
    }
}

/// How amounts in US dollars become amounts in the base's currency.
#[derive(Debug, Clone, Copy)]
enum Usd<'r> {
    /// The base counts in US dollars.
    Same,
    /// By the mapping's `[currency] usd_rate`.
    Rate(&'r UsdRate),
    /// No way: the base counts in another currency and the mapping gives no rate.
    Unknown,
}

impl Usd<'_> {
    fn convert(self, usd: Pico) -> Option<Pico> {
        match self {
            Usd::Same => Some(usd),
            Usd::Rate(rate) => Some(rate.convert(usd)),
            Usd::Unknown => None,
        }
    }
}

/// Unpriced models: name -> (input tokens, output tokens, first record).
type Missing = BTreeMap<String, (u64, u64, At)>;

/// The cost of some tokens of `model` by the price table; an unpriced model is
/// remembered with its tokens (every one is listed at the end).
fn price(
    mapping: &Mapping,
    model: &str,
    input: u64,
    output: u64,
    at: At,
    unpriced: &mut Missing,
) -> Pico {
    match mapping.prices.cost(model, input, output) {
        Some(cost) => cost,
        None => {
            let name = if model.is_empty() {
                "(no model named)"
            } else {
                model
            };
            let entry = unpriced.entry(name.to_owned()).or_insert((0, 0, at));
            entry.0 = entry.0.saturating_add(input);
            entry.1 = entry.1.saturating_add(output);
            entry.2 = entry.2.min(at);
            Pico::default()
        }
    }
}
