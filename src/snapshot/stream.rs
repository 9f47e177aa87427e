//! The fast path for loading a snapshot: one pass over the bytes, runs streamed straight
//! into columns, no tree of the whole document and no second copy of the runs. It is at
//! least as strict as the schema plus the handbook's rules, so a snapshot it accepts is
//! one the tree loader accepts too. Records it refuses are judged where they stand
//! (`located`), giving the tree loader's list of problems; anything else unusual goes to
//! the tree loader, which reports every problem.

use std::collections::HashSet;
use std::io::Read;

use serde_json::Value;

use super::located::Located;
use super::model::{RunGroup, Snapshot};
use super::raw::{RawGroup, RawRun, Text};
use super::rules;
use super::runs::{NewRun, RunTable};
use super::scanner::{Refused, Scan, Scanner, Sink, read_and_hash};
use crate::instant;

pub use super::scanner::Fallback;

/// A fast 64-bit hash of a run id, mixing every word fully (SplitMix64's finaliser), so
/// ids that differ in one character do not collide as they can under FxHash. Not
/// collision-proof, and it need not be: a repeat only sends the file to the complete
/// path, which compares the ids themselves.
fn id_hash(id: &str) -> u64 {
    let bytes = id.as_bytes();
    let mut state = mix(bytes.len() as u64 ^ 0x9e37_79b9_7f4a_7c15);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        state = mix(state ^ u64::from_le_bytes(w.try_into().expect("8 bytes")));
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    mix(state ^ u64::from_le_bytes(tail))
}

/// SplitMix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A hash of what makes a run group one group (squad, workflow, variant, pool, outcome,
/// each as the text it is written with, absent when it is not a string): a repeat (or a
/// collision) sends the file to the complete path, as for run ids.
fn group_key_hash(key: [Option<&str>; 5]) -> u64 {
    // Absent names hash apart from every present one, and from each other by position.
    key.iter()
        .enumerate()
        .fold(0, |h, (i, n)| mix(h ^ n.map_or(i as u64 + 1, id_hash)))
}

/// The key of a refused run group, as the tree loader's rule reads it.
fn refused_group_key(g: &Value) -> [Option<&str>; 5] {
    ["squad", "workflow", "variant", "pool", "outcome"].map(|f| g.get(f).and_then(Value::as_str))
}

/// What loading needs between records: the runs' table, the groups, and what must not
/// repeat.
struct State {
    table: RunTable,
    groups: Vec<RunGroup>,
    /// Hashes of run ids and of groups' first run ids, which share one namespace: a run
    /// id twice, a first run id twice, or a run that is also a group's first run are all
    /// refused. A repeat (or a collision) sends the file to the complete path. Sorted
    /// once at the end: cheaper than a million random inserts into a set.
    ids: Vec<u64>,
    /// Hashes of the groups' keys, checked the same way.
    group_keys: Vec<u64>,
    /// The records refused, and their problems.
    located: Located,
}

impl Sink for State {
    fn run(&mut self, run: RawRun<'_>) -> Scan<()> {
        accept(self, run)
    }

    fn group(&mut self, group: RawGroup) -> Scan<()> {
        accept_group(self, group)
    }

    fn refused(&mut self, record: Refused<'_>) -> Scan<()> {
        // Its id and key still count among the others', as the tree loader counts them.
        let id = if record.array == "runs" {
            "id"
        } else {
            "first_run_id"
        };
        if let Some(id) = record.value.get(id).and_then(Value::as_str) {
            self.ids.push(id_hash(id));
        }
        if record.array == "run_groups" {
            let key = refused_group_key(&record.value);
            self.group_keys.push(group_key_hash(key));
        }
        self.located.refuse(&record)
    }
}

/// Whether a sorted list holds a value twice.
fn repeats(sorted: &[u64]) -> bool {
    sorted.windows(2).any(|w| w[0] == w[1])
}

/// Loads a snapshot in one pass; returns it with the SHA-256 of every byte read.
pub fn load(
    reader: impl Read + Send,
    size: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(Snapshot, String), Fallback> {
    // A run takes about 230 bytes of JSON: reserving up front avoids regrowing columns.
    let expected_runs = usize::try_from(size / 256).unwrap_or(0);
    let mut state = State {
        table: RunTable::with_capacity(expected_runs),
        groups: Vec::new(),
        ids: Vec::with_capacity(expected_runs),
        group_keys: Vec::new(),
        located: Located::default(),
    };
    // One thread reads and hashes, the other parses: on two cores the digest is free.
    let (rest, sha256) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(4);
        let reader = scope.spawn(move || read_and_hash(reader, &tx));
        let mut scanner = Scanner::new(rx, size, progress);
        let rest = scanner.document(&mut state);
        // Dropping the receiver stops the reader early when parsing gave up.
        drop(scanner);
        let sha256 = reader.join().expect("the reader thread does not panic");
        (rest, sha256)
    });
    let State {
        table,
        groups,
        mut ids,
        mut group_keys,
        located,
    } = state;
    let rest = match rest {
        Ok(rest) => rest,
        Err(Fallback::Unusual) if !located.is_clean() => return Err(located.partial()),
        Err(e) => return Err(e),
    };
    let Some(sha256) = sha256 else {
        return Err(Fallback::Unusual);
    };
    ids.sort_unstable();
    group_keys.sort_unstable();
    let repeated = repeats(&ids) || repeats(&group_keys);
    drop((ids, group_keys));
    let doc = Value::Object(rest);
    if !located.is_clean() {
        let run_squads = table.squad_names().iter().map(String::as_str);
        let group_squads = groups.iter().map(|g| g.squad.as_str());
        return Err(located.verdict(&doc, run_squads.chain(group_squads), repeated));
    }
    if repeated {
        return Err(Fallback::Unusual);
    }

    if !rules::validate(&doc).is_empty() {
        return Err(Fallback::Unusual);
    }
    let squads: HashSet<&str> = doc["squads"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["id"].as_str())
        .collect();
    let run_squads = table.squad_names().iter().map(String::as_str);
    let group_squads = groups.iter().map(|g| g.squad.as_str());
    if run_squads.chain(group_squads).any(|s| !squads.contains(s)) {
        return Err(Fallback::Unusual);
    }
    let mut snapshot: Snapshot = serde_json::from_value(doc).map_err(|_| Fallback::Unusual)?;
    snapshot.runs = table;
    // Finished as they were accepted (their instants parsed), so `rules::finish` is not
    // needed here.
    snapshot.run_groups = groups;
    if !rules::check_totals(&snapshot).is_empty() {
        return Err(Fallback::Unusual);
    }
    Ok((snapshot, sha256))
}

fn name<'a>(text: &'a Option<Text<'_>>) -> Option<&'a str> {
    text.as_ref().map(|t| &*t.0)
}

/// Checks one run as strictly as the schema and the rules would, and stores it.
fn accept(state: &mut State, run: RawRun<'_>) -> Scan<()> {
    let Some(tag) = rules::tag(name(&run.workflow), name(&run.variant)) else {
        return Err(Fallback::Unusual);
    };
    let cost_micros = rules::cost_micros(run.cost);
    let started = instant::parse_rfc3339(&run.started_at.0);
    let (Some(cost_micros), Some(started)) = (cost_micros, started) else {
        return Err(Fallback::Unusual);
    };
    // Past what a policy sees is the schema's to say, at this run: refused here, it is
    // judged where it stands, beside any other refused record.
    if run.id.0.is_empty()
        || run.squad.0.is_empty()
        || run.input_tokens > rules::MAX_INTEGER
        || run.output_tokens > rules::MAX_INTEGER
    {
        return Err(Fallback::Unusual);
    }
    state.ids.push(id_hash(&run.id.0));
    state.table.push(NewRun {
        id: &run.id.0,
        squad: &run.squad.0,
        tag,
        pool: run.pool,
        outcome: run.outcome,
        input_tokens: run.input_tokens,
        output_tokens: run.output_tokens,
        cost_micros,
        started,
    });
    Ok(())
}

/// Checks one run group as strictly as the schema and the rules would, and keeps it.
fn accept_group(state: &mut State, g: RawGroup) -> Scan<()> {
    if rules::tag(g.workflow.as_deref(), g.variant.as_deref()).is_none()
        || g.squad.is_empty()
        || g.first_run_id.is_empty()
        || g.count == 0
        || [g.count, g.input_tokens, g.output_tokens]
            .iter()
            .any(|&n| n > rules::MAX_INTEGER)
    {
        return Err(Fallback::Unusual);
    }
    let first_started = instant::parse_rfc3339(&g.first_started_at);
    let (Some(first_started), Ok(cost_micros)) = (first_started, i64::try_from(g.cost_micros))
    else {
        return Err(Fallback::Unusual);
    };
    state.ids.push(id_hash(&g.first_run_id));
    let key = [
        Some(g.squad.as_str()),
        g.workflow.as_deref(),
        g.variant.as_deref(),
        Some(g.pool.as_str()),
        Some(g.outcome.as_str()),
    ];
    state.group_keys.push(group_key_hash(key));
    state.groups.push(RunGroup {
        squad: g.squad,
        workflow: g.workflow,
        variant: g.variant,
        pool: g.pool,
        outcome: g.outcome,
        count: g.count,
        input_tokens: g.input_tokens,
        output_tokens: g.output_tokens,
        cost_micros,
        first_started_at: g.first_started_at,
        first_run_id: g.first_run_id,
        first_started,
    });
    Ok(())
}
