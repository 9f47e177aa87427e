//! The runs of a snapshot, stored as compact columns: interned squads and variant keys,
//! ids in one arena. A million runs take about 60 MB instead of several hundred.

use std::collections::HashMap;

use super::terms::{Outcome, Pool, variant_key};
use crate::instant::Instant;

/// FxHash (from rustc): a multiply-rotate hash, much faster than SipHash on short keys.
/// Used only for lookups where an adversarial collision costs time, never correctness.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// Strings stored once, referred to by index.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    names: Vec<String>,
    index: HashMap<String, u32, FxBuild>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = u32::try_from(self.names.len()).expect("fewer than 2^32 distinct names");
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), i);
        i
    }

    pub fn get(&self, i: u32) -> &str {
        &self.names[i as usize]
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// Marks an untagged run in the variant column.
const UNTAGGED: u32 = u32::MAX;

/// One run as it is added to the table.
pub struct NewRun<'a> {
    pub id: &'a str,
    pub squad: &'a str,
    pub tag: Option<(&'a str, &'a str)>,
    pub pool: Pool,
    pub outcome: Outcome,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_micros: i64,
    pub started: Instant,
}

/// Runs in columns. Index `i` in every column is the `i`-th run of the snapshot.
#[derive(Debug, Clone, Default)]
pub struct RunTable {
    ids: String,
    id_ends: Vec<usize>,
    squads: Interner,
    squad: Vec<u32>,
    /// (workflow, variant) pairs, interned by their key.
    tags: Vec<(String, String)>,
    /// workflow → variant → tag, so a lookup needs no allocation.
    tag_index: HashMap<String, HashMap<String, u32, FxBuild>, FxBuild>,
    tag: Vec<u32>,
    kind: Vec<u8>,
    input_tokens: Vec<u64>,
    output_tokens: Vec<u64>,
    cost_micros: Vec<i64>,
    started: Vec<Instant>,
}

impl RunTable {
    pub fn with_capacity(runs: usize) -> Self {
        Self {
            ids: String::with_capacity(runs * 10),
            id_ends: Vec::with_capacity(runs),
            squad: Vec::with_capacity(runs),
            tag: Vec::with_capacity(runs),
            kind: Vec::with_capacity(runs),
            input_tokens: Vec::with_capacity(runs),
            output_tokens: Vec::with_capacity(runs),
            cost_micros: Vec::with_capacity(runs),
            started: Vec::with_capacity(runs),
            ..Self::default()
        }
    }

    pub fn push(&mut self, run: NewRun<'_>) {
        self.ids.push_str(run.id);
        self.id_ends.push(self.ids.len());
        let squad = self.squads.intern(run.squad);
        self.squad.push(squad);
        let tag = match run.tag {
            None => UNTAGGED,
            Some((w, v)) => self.intern_tag(w, v),
        };
        self.tag.push(tag);
        self.kind.push(run.pool as u8 | (run.outcome as u8) << 1);
        self.input_tokens.push(run.input_tokens);
        self.output_tokens.push(run.output_tokens);
        self.cost_micros.push(run.cost_micros);
        self.started.push(run.started);
    }

    fn intern_tag(&mut self, workflow: &str, variant: &str) -> u32 {
        // Most runs repeat a pair seen before: look it up without allocating.
        if let Some(last) = self.tag.last() {
            if let Some((w, v)) = self.tags.get(*last as usize) {
                if w == workflow && v == variant {
                    return *last;
                }
            }
        }
        if let Some(&i) = self.tag_index.get(workflow).and_then(|m| m.get(variant)) {
            return i;
        }
        let i = u32::try_from(self.tags.len()).expect("fewer than 2^32 variants");
        self.tags.push((workflow.to_owned(), variant.to_owned()));
        self.tag_index
            .entry(workflow.to_owned())
            .or_default()
            .insert(variant.to_owned(), i);
        i
    }

    pub fn len(&self) -> usize {
        self.id_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id_ends.is_empty()
    }

    pub fn get(&self, i: usize) -> RunView<'_> {
        RunView { table: self, i }
    }

    pub fn iter(&self) -> impl Iterator<Item = RunView<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// (workflow, variant) pairs named by the runs, each once, by tag index.
    pub fn tags(&self) -> &[(String, String)] {
        &self.tags
    }

    /// Squad ids named by the runs, each once, by squad index.
    pub fn squad_names(&self) -> &[String] {
        self.squads.names()
    }

    pub fn shrink_to_fit(&mut self) {
        self.ids.shrink_to_fit();
        self.id_ends.shrink_to_fit();
        self.squad.shrink_to_fit();
        self.tag.shrink_to_fit();
        self.kind.shrink_to_fit();
        self.input_tokens.shrink_to_fit();
        self.output_tokens.shrink_to_fit();
        self.cost_micros.shrink_to_fit();
        self.started.shrink_to_fit();
    }
}

/// One run, read from the columns.
#[derive(Clone, Copy)]
pub struct RunView<'a> {
    table: &'a RunTable,
    i: usize,
}

impl<'a> RunView<'a> {
    pub fn id(&self) -> &'a str {
        let start = if self.i == 0 {
            0
        } else {
            self.table.id_ends[self.i - 1]
        };
        &self.table.ids[start..self.table.id_ends[self.i]]
    }

    /// Index into [`RunTable::squad_names`].
    pub fn squad_index(&self) -> u32 {
        self.table.squad[self.i]
    }

    /// Index into [`RunTable::tags`], or `None` for an untagged run.
    pub fn tag_index(&self) -> Option<u32> {
        let t = self.table.tag[self.i];
        (t != UNTAGGED).then_some(t)
    }

    pub fn squad(&self) -> &'a str {
        self.table.squads.get(self.table.squad[self.i])
    }

    /// (workflow, variant), or `None` for an untagged run.
    pub fn tag(&self) -> Option<(&'a str, &'a str)> {
        let t = self.table.tag[self.i];
        (t != UNTAGGED).then(|| {
            let (w, v) = &self.table.tags[t as usize];
            (w.as_str(), v.as_str())
        })
    }

    pub fn key(&self) -> Option<String> {
        self.tag().map(|(w, v)| variant_key(w, v))
    }

    pub fn pool(&self) -> Pool {
        if self.table.kind[self.i] & 1 == 0 {
            Pool::Central
        } else {
            Pool::Exploration
        }
    }

    pub fn outcome(&self) -> Outcome {
        match self.table.kind[self.i] >> 1 {
            0 => Outcome::Success,
            1 => Outcome::Failure,
            _ => Outcome::Abandoned,
        }
    }

    pub fn input_tokens(&self) -> u64 {
        self.table.input_tokens[self.i]
    }

    pub fn output_tokens(&self) -> u64 {
        self.table.output_tokens[self.i]
    }

    pub fn tokens(&self) -> u64 {
        self.input_tokens() + self.output_tokens()
    }

    pub fn cost_micros(&self) -> i64 {
        self.table.cost_micros[self.i]
    }

    pub fn started(&self) -> Instant {
        self.table.started[self.i]
    }
}
