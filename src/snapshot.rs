//! The sprint snapshot: its typed model, and loading it with every problem reported at once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::instant::{self, Instant};
use crate::money;
use crate::problem::{pointer, Problem};
use crate::schema;
use crate::{Error, Result};

/// Most problems listed for one input; past this the rest are counted, not listed.
pub const MAX_PROBLEMS: usize = 200;

#[derive(Debug, Clone, Deserialize)]
pub struct Sprint {
    pub id: String,
    pub start: String,
    pub end: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Squad {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub headcount: u64,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExplorationBudget {
    pub squad: String,
    pub baseline_tokens: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Budgets {
    pub central_tokens: u64,
    pub exploration: Vec<ExplorationBudget>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TopupStatus {
    Requested,
    Granted,
}

impl TopupStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Granted => "granted",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Topup {
    pub id: String,
    pub squad: String,
    pub tokens: u64,
    pub status: TopupStatus,
    pub reason: Option<String>,
    pub justification: Option<String>,
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CatalogStatus {
    Standard,
    Deprecated,
}

impl CatalogStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Deprecated => "deprecated",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CatalogEntry {
    pub workflow: String,
    pub variant: String,
    pub status: CatalogStatus,
    #[serde(default)]
    pub origin_squad: Option<String>,
    #[serde(default)]
    pub promoted_in: Option<String>,
}

impl CatalogEntry {
    pub fn key(&self) -> String {
        variant_key(&self.workflow, &self.variant)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pool {
    Central,
    Exploration,
}

impl Pool {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Central => "central",
            Self::Exploration => "exploration",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
    Abandoned,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Abandoned => "abandoned",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Run {
    pub id: String,
    pub squad: String,
    pub workflow: Option<String>,
    pub variant: Option<String>,
    pub pool: Pool,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost: f64,
    pub outcome: Outcome,
    pub started_at: String,
    /// `cost` in exact micro-units, filled in by the loader.
    #[serde(skip)]
    pub cost_micros: i64,
    /// `started_at` as an instant, filled in by the loader.
    #[serde(skip)]
    pub started: Instant,
}

impl Run {
    pub fn tokens(&self) -> u64 {
        self.input_tokens + self.output_tokens
    }

    /// `workflow/variant`, or `None` for an untagged run.
    pub fn key(&self) -> Option<String> {
        Some(variant_key(
            self.workflow.as_deref()?,
            self.variant.as_deref()?,
        ))
    }
}

/// Runs pre-aggregated in a warehouse: one row per (squad, workflow, variant, pool, outcome).
#[derive(Debug, Clone, Deserialize)]
pub struct RunGroup {
    pub squad: String,
    pub workflow: Option<String>,
    pub variant: Option<String>,
    pub pool: Pool,
    pub outcome: Outcome,
    pub count: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_micros: i64,
    pub first_started_at: String,
    pub first_run_id: String,
    #[serde(skip)]
    pub first_started: Instant,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Snapshot {
    pub schema_version: u32,
    #[serde(default)]
    pub org: Option<String>,
    pub sprint: Sprint,
    #[serde(default = "default_currency")]
    pub currency: String,
    pub squads: Vec<Squad>,
    pub budgets: Budgets,
    #[serde(default)]
    pub topups: Vec<Topup>,
    #[serde(default)]
    pub catalog: Vec<CatalogEntry>,
    #[serde(default)]
    pub runs: Vec<Run>,
    #[serde(default)]
    pub run_groups: Vec<RunGroup>,
}

fn default_currency() -> String {
    "USD".to_owned()
}

/// `"<workflow>/<variant>"`: names never contain `/`, so keys never collide.
pub fn variant_key(workflow: &str, variant: &str) -> String {
    format!("{workflow}/{variant}")
}

/// A snapshot with the digest of the exact bytes it was read from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub snapshot: Snapshot,
    pub sha256: String,
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads and validates a snapshot file.
pub fn load(path: &Path) -> Result<Loaded> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&bytes, &path.display().to_string())
}

/// Parses and validates snapshot bytes; `origin` names them in errors.
pub fn parse(bytes: &[u8], origin: &str) -> Result<Loaded> {
    let sha256 = sha256_hex(bytes);
    // A UTF-8 byte-order mark is accepted (RFC 8259 lets parsers ignore it); the digest
    // still covers the bytes as they are.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Json {
            origin: origin.to_owned(),
            line: 1,
            column: 1,
            message: "the file is empty; expected a JSON object".to_owned(),
        });
    }
    let value: Value = serde_json::from_slice(text).map_err(|e| Error::Json {
        origin: origin.to_owned(),
        line: e.line(),
        column: e.column(),
        message: json_message(&e, text),
    })?;

    let mut problems = schema::validate_snapshot(&value);
    if value.is_object() {
        let mut rules = Vec::new();
        check_rules(&value, &mut rules);
        // One message per place: where the schema already objected, it has said enough.
        let flagged: HashSet<String> = problems.iter().map(|p| p.pointer.clone()).collect();
        problems.extend(rules.into_iter().filter(|p| !flagged.contains(&p.pointer)));
    }
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(Error::Invalid {
            origin: origin.to_owned(),
            problems,
        });
    }
    let mut snapshot: Snapshot = serde_json::from_value(value).map_err(|e| Error::Invalid {
        origin: origin.to_owned(),
        problems: vec![Problem::new("", e.to_string())],
    })?;
    for run in &mut snapshot.runs {
        // Both were checked by `check_rules`; the fallbacks are unreachable.
        run.cost_micros = money::to_micros(run.cost).unwrap_or_default();
        run.started = instant::parse_rfc3339(&run.started_at).unwrap_or_default();
    }
    for group in &mut snapshot.run_groups {
        group.first_started = instant::parse_rfc3339(&group.first_started_at).unwrap_or_default();
    }
    Ok(Loaded { snapshot, sha256 })
}

/// The bytes at a 1-based line and column of a JSON text.
fn at(text: &[u8], line: usize, column: usize) -> &[u8] {
    let start = text
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum::<usize>();
    text.get(start + column.saturating_sub(1)..)
        .unwrap_or_default()
}

fn json_message(e: &serde_json::Error, input: &[u8]) -> String {
    let here = at(input, e.line(), e.column());
    let text = e.to_string();
    // serde_json appends " at line L column C"; the location is reported separately.
    let text = match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    let text = super::host::lowercase_first(&text);
    match e.classify() {
        serde_json::error::Category::Eof => {
            format!("{text}: the JSON ends too early (truncated file?)")
        }
        _ if ["NaN", "Infinity", "-Infinity", "+Infinity"]
            .iter()
            .any(|w| here.starts_with(w.as_bytes())) =>
        {
            format!("{text}: NaN and Infinity are not JSON numbers")
        }
        _ if text.contains("recursion limit") => {
            format!("{text}: the document is nested too deeply")
        }
        _ => text,
    }
}

fn str_at<'a>(record: &'a Value, field: &str) -> Option<&'a str> {
    record.get(field)?.as_str()
}

fn array_at<'a>(doc: &'a Value, path: &[&str]) -> &'a [Value] {
    let mut v = doc;
    for p in path {
        match v.get(p) {
            Some(next) => v = next,
            None => return &[],
        }
    }
    v.as_array().map_or(&[], Vec::as_slice)
}

/// Integer fields of each record kind, which must fit 64 bits (JSON Schema's `integer`
/// also accepts `1e20`, which no counter can hold).
const INTEGER_FIELDS: &[(&[&str], &[&str])] = &[
    (&["squads"], &["headcount"]),
    (&["budgets", "exploration"], &["baseline_tokens"]),
    (&["topups"], &["tokens"]),
    (&["runs"], &["input_tokens", "output_tokens"]),
    (
        &["run_groups"],
        &["count", "input_tokens", "output_tokens", "cost_micros"],
    ),
];

/// The handbook's rules beyond the JSON Schema. Tolerates wrong types: those were
/// reported by the schema already.
fn check_rules(doc: &Value, problems: &mut Vec<Problem>) {
    if let Some(v) = doc.pointer("/budgets/central_tokens") {
        check_u64(v, "/budgets/central_tokens", problems);
    }
    for (path, fields) in INTEGER_FIELDS {
        let base: String = path.iter().map(|p| format!("/{p}")).collect();
        for (i, record) in array_at(doc, path).iter().enumerate() {
            for field in *fields {
                if let Some(v) = record.get(field) {
                    check_u64(v, &pointer(&pointer(&base, i), field), problems);
                }
            }
        }
    }

    for field in ["start", "end"] {
        if let Some(date) = doc
            .pointer(&format!("/sprint/{field}"))
            .and_then(Value::as_str)
        {
            if instant::parse_date(date).is_none() {
                problems.push(Problem::new(
                    format!("/sprint/{field}"),
                    format!("`{date}` is not a calendar date (YYYY-MM-DD)"),
                ));
            }
        }
    }
    if let (Some(start), Some(end)) = (
        doc.pointer("/sprint/start")
            .and_then(Value::as_str)
            .and_then(instant::parse_date),
        doc.pointer("/sprint/end")
            .and_then(Value::as_str)
            .and_then(instant::parse_date),
    ) {
        if end < start {
            problems.push(Problem::new(
                "/sprint/end",
                "the sprint ends before it starts",
            ));
        }
    }

    let mut squads: HashMap<&str, String> = HashMap::new();
    for (i, squad) in array_at(doc, &["squads"]).iter().enumerate() {
        if let Some(id) = str_at(squad, "id") {
            let here = pointer(&pointer("/squads", i), "id");
            if let Some(first) = squads.get(id) {
                problems.push(Problem::new(
                    here,
                    format!("duplicate squad id `{id}` (first at {first})"),
                ));
            } else {
                squads.insert(id, here);
            }
        }
    }
    let mut unknown_squad = |base: &str, i: usize, record: &Value, field: &str| {
        if let Some(squad) = str_at(record, field) {
            if !squads.contains_key(squad) {
                problems.push(Problem::new(
                    pointer(&pointer(base, i), field),
                    format!("unknown squad `{squad}`"),
                ));
            }
        }
    };
    let budgets = array_at(doc, &["budgets", "exploration"]);
    let topups = array_at(doc, &["topups"]);
    let runs = array_at(doc, &["runs"]);
    let groups = array_at(doc, &["run_groups"]);
    for (i, b) in budgets.iter().enumerate() {
        unknown_squad("/budgets/exploration", i, b, "squad");
    }
    for (i, t) in topups.iter().enumerate() {
        unknown_squad("/topups", i, t, "squad");
    }
    for (i, r) in runs.iter().enumerate() {
        unknown_squad("/runs", i, r, "squad");
    }
    for (i, g) in groups.iter().enumerate() {
        unknown_squad("/run_groups", i, g, "squad");
    }

    duplicates(
        budgets,
        "/budgets/exploration",
        "squad",
        "budget entry for squad",
        problems,
    );
    duplicates(topups, "/topups", "id", "top-up id", problems);
    duplicates(runs, "/runs", "id", "run id", problems);

    let mut catalog: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, entry) in array_at(doc, &["catalog"]).iter().enumerate() {
        if let (Some(w), Some(v)) = (str_at(entry, "workflow"), str_at(entry, "variant")) {
            if let Some(first) = catalog.get(&(w, v)) {
                problems.push(Problem::new(
                    pointer("/catalog", i),
                    format!("duplicate catalog entry `{w}/{v}` (first at /catalog/{first})"),
                ));
            } else {
                catalog.insert((w, v), i);
            }
        }
    }

    for (base, records) in [("/runs", runs), ("/run_groups", groups)] {
        for (i, r) in records.iter().enumerate() {
            check_tagging(r, &pointer(base, i), problems);
        }
    }
    for (i, r) in runs.iter().enumerate() {
        if let Some(cost) = r.get("cost").and_then(Value::as_f64) {
            if cost >= 0.0 && money::to_micros(cost).is_none() {
                problems.push(Problem::new(
                    pointer(&pointer("/runs", i), "cost"),
                    format!("cost `{cost}` is too large to count in micro-units"),
                ));
            }
        }
        check_instant(r, "started_at", &pointer("/runs", i), problems);
    }
    let mut group_keys: HashMap<Vec<Option<&str>>, usize> = HashMap::new();
    let mut group_first_ids: HashMap<&str, usize> = HashMap::new();
    let run_ids: HashMap<&str, usize> = runs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((str_at(r, "id")?, i)))
        .collect();
    for (i, g) in groups.iter().enumerate() {
        let here = pointer("/run_groups", i);
        check_instant(g, "first_started_at", &here, problems);
        let key: Vec<Option<&str>> = ["squad", "workflow", "variant", "pool", "outcome"]
            .iter()
            .map(|f| str_at(g, f))
            .collect();
        if let Some(first) = group_keys.get(&key) {
            problems.push(Problem::new(
                here.clone(),
                format!("duplicate run group (same squad, workflow, variant, pool and outcome as /run_groups/{first})"),
            ));
        } else {
            group_keys.insert(key, i);
        }
        if let Some(id) = str_at(g, "first_run_id") {
            if let Some(run) = run_ids.get(id) {
                problems.push(Problem::new(
                    pointer(&here, "first_run_id"),
                    format!("run `{id}` is both in /runs/{run} and in a run group"),
                ));
            }
            if let Some(first) = group_first_ids.insert(id, i) {
                problems.push(Problem::new(
                    pointer(&here, "first_run_id"),
                    format!("run `{id}` is also the first run of /run_groups/{first}"),
                ));
            }
        }
    }
}

fn check_u64(v: &Value, at: &str, problems: &mut Vec<Problem>) {
    if v.is_number() && v.as_u64().is_none() && v.as_f64().is_some_and(|f| f >= 0.0) {
        problems.push(Problem::new(
            at,
            format!("`{v}` is not a whole number that fits in 64 bits"),
        ));
    }
}

fn check_instant(record: &Value, field: &str, base: &str, problems: &mut Vec<Problem>) {
    if let Some(text) = str_at(record, field) {
        if instant::parse_rfc3339(text).is_none() {
            problems.push(Problem::new(
                pointer(base, field),
                format!("`{text}` is not an RFC 3339 date-time"),
            ));
        }
    }
}

fn check_tagging(record: &Value, here: &str, problems: &mut Vec<Problem>) {
    let workflow = record.get("workflow");
    let variant = record.get("variant");
    let tagged = |v: Option<&Value>| v.is_some_and(Value::is_string);
    let null = |v: Option<&Value>| v.is_some_and(Value::is_null);
    if tagged(workflow) && null(variant) || null(workflow) && tagged(variant) {
        let (set, unset) = if tagged(workflow) {
            ("workflow", "variant")
        } else {
            ("variant", "workflow")
        };
        problems.push(Problem::new(
            here,
            format!("half-tagged: `{set}` is set but `{unset}` is null (set both, or neither for an untagged run)"),
        ));
    }
}

fn duplicates(records: &[Value], base: &str, field: &str, what: &str, problems: &mut Vec<Problem>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if let Some(id) = str_at(r, field) {
            if let Some(first) = seen.get(id) {
                problems.push(Problem::new(
                    pointer(&pointer(base, i), field),
                    format!("duplicate {what} `{id}` (first at {base}/{first}/{field})"),
                ));
            } else {
                seen.insert(id, i);
            }
        }
    }
}

/// Squad id → baseline tokens, for the squads that have a budget entry.
pub fn baselines(snapshot: &Snapshot) -> BTreeMap<&str, u64> {
    snapshot
        .budgets
        .exploration
        .iter()
        .map(|b| (b.squad.as_str(), b.baseline_tokens))
        .collect()
}
