//! The fast path for loading a snapshot: one pass over the bytes, runs streamed straight
//! into columns, no tree of the whole document and no second copy of the runs. It only
//! decides "valid" or "unusual"; anything unusual goes to the tree loader, which reports
//! every problem. It is at least as strict as the schema plus the handbook's rules, so a
//! snapshot it accepts is one the tree loader accepts too.

use std::collections::HashSet;
use std::io::Read;

use serde_json::Value;

use super::model::{RunGroup, Snapshot};
use super::rules;
use super::runs::{NewRun, RunTable};
use super::scanner::{read_and_hash, RawGroup, RawRun, Scan, Scanner, Sink, Text};
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

/// A hash of what makes a run group one group (squad, workflow, variant, pool, outcome):
/// a repeat (or a collision) sends the file to the complete path, as for run ids.
fn group_key_hash(g: &RawGroup) -> u64 {
    // Absent names hash apart from every present one, and from each other by position.
    let name = |n: &Option<String>, absent: u64| n.as_deref().map_or(absent, id_hash);
    let mut h = id_hash(&g.squad);
    h = mix(h ^ name(&g.workflow, 1));
    h = mix(h ^ name(&g.variant, 2));
    mix(h ^ ((g.pool as u64) << 8 | g.outcome as u64))
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
}

impl Sink for State {
    fn run(&mut self, run: RawRun<'_>) -> Scan<()> {
        accept(self, run)
    }

    fn group(&mut self, group: RawGroup) -> Scan<()> {
        accept_group(self, group)
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
    let rest = rest?;
    let Some(sha256) = sha256 else {
        return Err(Fallback::Unusual);
    };
    let State {
        table,
        groups,
        mut ids,
        mut group_keys,
    } = state;
    ids.sort_unstable();
    group_keys.sort_unstable();
    if repeats(&ids) || repeats(&group_keys) {
        return Err(Fallback::Unusual);
    }
    drop((ids, group_keys));

    let doc = Value::Object(rest);
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
    if run.id.0.is_empty()
        || run.squad.0.is_empty()
        || run.input_tokens.checked_add(run.output_tokens).is_none()
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
    {
        return Err(Fallback::Unusual);
    }
    let first_started = instant::parse_rfc3339(&g.first_started_at);
    let (Some(first_started), Ok(cost_micros)) = (first_started, i64::try_from(g.cost_micros))
    else {
        return Err(Fallback::Unusual);
    };
    state.ids.push(id_hash(&g.first_run_id));
    state.group_keys.push(group_key_hash(&g));
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
