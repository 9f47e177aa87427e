//! The fast path for loading a snapshot: one pass over the bytes, runs streamed straight
//! into columns, no tree of the whole document and no second copy of the runs. It only
//! decides "valid" or "unusual"; anything unusual goes to the complete path in `dom`,
//! which reports every problem. It is at least as strict as the schema plus the
//! handbook's rules, so a snapshot it accepts is one the complete path accepts too.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Read;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::instant;
use crate::money;
use crate::runs::{NewRun, RunTable};
use crate::snapshot::{Outcome, Pool, Snapshot};

/// Why the fast path gave up.
#[derive(Debug)]
pub enum Fallback {
    /// The file could not be read.
    Io(std::io::Error),
    /// Something the fast path does not vouch for: let the complete path judge it.
    Unusual,
}

/// A fast 64-bit hash of a run id, mixing every word fully (SplitMix64's finaliser), so
/// ids that differ in one character do not collide as they can under FxHash. Not
/// collision-proof, and it need not be: a repeat only sends the file to the complete
/// path, which compares the ids themselves.
fn id_hash(id: &str) -> u64 {
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
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

/// What loading needs between runs: the table and the ids seen.
struct State {
    table: RunTable,
    /// Hashes of run ids; a repeat (or a collision) sends the file to the complete path.
    /// Sorted once at the end: cheaper than a million random inserts into a set.
    ids: Vec<u64>,
    saw_runs: bool,
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
        ids: Vec::with_capacity(expected_runs),
        saw_runs: false,
    };
    // One thread reads and hashes, the other parses: on two cores the digest is free.
    let (rest, sha256) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(4);
        let reader = scope.spawn(move || read_and_hash(reader, &tx));
        let mut scanner = Scanner {
            chunks: rx,
            buf: Vec::with_capacity(CHUNK * 2),
            pos: 0,
            valid: 0,
            eof: false,
            read: 0,
            size,
            progress,
        };
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
    let State { table, mut ids, .. } = state;
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err(Fallback::Unusual);
    }

    let doc = Value::Object(rest);
    if !crate::dom::validate(&doc).is_empty() {
        return Err(Fallback::Unusual);
    }
    let squads: HashSet<&str> = doc["squads"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["id"].as_str())
        .collect();
    if table
        .squad_names()
        .iter()
        .any(|s| !squads.contains(s.as_str()))
    {
        return Err(Fallback::Unusual);
    }
    let grouped_first_ids = doc
        .get("run_groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|g| g["first_run_id"].as_str());
    for id in grouped_first_ids {
        if ids.binary_search(&id_hash(id)).is_ok() {
            return Err(Fallback::Unusual);
        }
    }
    drop(ids);
    let mut snapshot: Snapshot = serde_json::from_value(doc).map_err(|_| Fallback::Unusual)?;
    snapshot.runs = table;
    crate::dom::finish(&mut snapshot);
    Ok((snapshot, sha256))
}

/// Bytes read from the file at a time.
const CHUNK: usize = 1 << 20;

/// A minimal JSON structure scanner over a sliding window of the file. It finds where
/// each top-level value and each run ends, then hands exactly those bytes to
/// `serde_json::from_slice`, which is several times faster than parsing from a reader
/// byte by byte, while the window keeps memory to a few chunks.
struct Scanner<'p> {
    chunks: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    buf: Vec<u8>,
    pos: usize,
    /// `buf[..valid]` is known to be UTF-8 and ends on a character boundary.
    valid: usize,
    eof: bool,
    read: u64,
    size: u64,
    progress: &'p mut dyn FnMut(u64, u64),
}

/// Reads the input in chunks, hashing them, and sends them on; returns the digest, or
/// `None` when the parser stopped listening before the end.
fn read_and_hash(
    mut reader: impl Read,
    tx: &std::sync::mpsc::SyncSender<std::io::Result<Vec<u8>>>,
) -> Option<String> {
    let mut hasher = Sha256::new();
    loop {
        let mut chunk = vec![0; CHUNK];
        let n = loop {
            match reader.read(&mut chunk) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return None;
                }
            }
        };
        chunk.truncate(n);
        hasher.update(&chunk);
        tx.send(Ok(chunk)).ok()?;
        if n == 0 {
            return Some(format!("{:x}", hasher.finalize()));
        }
    }
}

/// Where a value ends, if the window holds all of it.
enum Extent {
    Complete(usize),
    NeedMore,
}

type Scan<T> = Result<T, Fallback>;

impl Scanner<'_> {
    /// Appends the next chunk; drops what was consumed first, so the window stays small.
    fn fill(&mut self) -> Scan<()> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.valid -= self.pos;
            self.pos = 0;
        }
        let chunk = match self.chunks.recv() {
            Ok(Ok(chunk)) => chunk,
            Ok(Err(e)) => return Err(Fallback::Io(e)),
            Err(_) => return Err(Fallback::Unusual),
        };
        self.eof = chunk.is_empty();
        self.read += chunk.len() as u64;
        (self.progress)(self.read, self.size);
        if self.buf.is_empty() {
            self.buf = chunk;
        } else {
            self.buf.extend_from_slice(&chunk);
        }
        // Validated once here, so runs can be parsed from `&str` without serde checking
        // every string again. A character cut by the chunk's end waits for the next one.
        match std::str::from_utf8(&self.buf[self.valid..]) {
            Ok(_) => self.valid = self.buf.len(),
            Err(e) if e.error_len().is_none() && !self.eof => self.valid += e.valid_up_to(),
            Err(_) => return Err(Fallback::Unusual),
        }
        Ok(())
    }

    /// The validated text from the current position.
    fn text(&self) -> &str {
        let bytes = &self.buf[self.pos..self.valid];
        debug_assert!(std::str::from_utf8(bytes).is_ok());
        // SAFETY: `fill` checked `buf[..valid]` is UTF-8 ending on a character boundary,
        // and `pos` only moves past whole JSON values and ASCII separators, so it sits on
        // a character boundary too.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    /// The next non-whitespace byte, without consuming it; `None` at the end.
    fn peek(&mut self) -> Scan<Option<u8>> {
        loop {
            while let Some(&b) = self.buf.get(self.pos) {
                match b {
                    b' ' | b'\n' | b'\r' | b'\t' => self.pos += 1,
                    _ => return Ok(Some(b)),
                }
            }
            if self.eof {
                return Ok(None);
            }
            self.fill()?;
        }
    }

    fn expect(&mut self, byte: u8) -> Scan<()> {
        if self.peek()? == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Fallback::Unusual)
        }
    }

    /// The bytes of the next value, read in whole.
    fn value(&mut self) -> Scan<std::ops::Range<usize>> {
        if self.peek()?.is_none() {
            return Err(Fallback::Unusual);
        }
        loop {
            match extent(&self.buf[self.pos..], self.eof) {
                Extent::Complete(n) => {
                    let range = self.pos..self.pos + n;
                    self.pos += n;
                    return Ok(range);
                }
                Extent::NeedMore if self.eof => return Err(Fallback::Unusual),
                // `fill` keeps the unread bytes, so the value still starts at `pos`.
                Extent::NeedMore => self.fill()?,
            }
        }
    }

    fn parse<'de, T: DeserializeSeed<'de>>(bytes: &'de [u8], seed: T) -> Scan<T::Value> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let value = seed.deserialize(&mut de).map_err(|_| Fallback::Unusual)?;
        de.end().map_err(|_| Fallback::Unusual)?;
        Ok(value)
    }

    /// The whole document: `runs` streamed into `state`, every other (small) section
    /// returned as a tree.
    fn document(&mut self, state: &mut State) -> Scan<Map<String, Value>> {
        self.fill()?;
        if self.buf.starts_with(b"\xEF\xBB\xBF") {
            self.pos = 3;
        }
        self.expect(b'{')?;
        let mut rest = Map::new();
        if self.peek()? == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                let key = self.value()?;
                let key: String = Self::parse(&self.buf[key], std::marker::PhantomData)?;
                self.expect(b':')?;
                if key == "runs" {
                    if state.saw_runs {
                        return Err(Fallback::Unusual);
                    }
                    state.saw_runs = true;
                    self.runs(state)?;
                    // The schema sees an empty list; the runs were checked here.
                    rest.insert(key, Value::Array(Vec::new()));
                } else {
                    let range = self.value()?;
                    let value: Value = Self::parse(&self.buf[range], std::marker::PhantomData)?;
                    if rest.insert(key, value).is_some() {
                        return Err(Fallback::Unusual);
                    }
                }
                match self.peek()? {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(Fallback::Unusual),
                }
            }
        }
        // Only whitespace may follow; it still belongs to the digest.
        if self.peek()?.is_some() {
            return Err(Fallback::Unusual);
        }
        Ok(rest)
    }

    fn runs(&mut self, state: &mut State) -> Scan<()> {
        self.expect(b'[')?;
        if self.peek()? == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            // serde finds the end of the run itself; a run cut by the window's end is
            // parsed again once the next chunk is in.
            loop {
                let mut runs =
                    serde_json::Deserializer::from_str(self.text()).into_iter::<RawRun>();
                match runs.next() {
                    Some(Ok(run)) => {
                        let used = runs.byte_offset();
                        accept(state, run)?;
                        self.pos += used;
                        break;
                    }
                    // The window ended inside the run, or before it started.
                    Some(Err(e)) if e.is_eof() && !self.eof => self.fill()?,
                    None if !self.eof => self.fill()?,
                    _ => return Err(Fallback::Unusual),
                }
            }
            match self.peek()? {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Fallback::Unusual),
            }
        }
    }
}

/// Where the JSON value at the start of `bytes` ends. Strings are skipped honouring
/// escapes; containers by depth. Whether the bytes are valid JSON is for serde to say.
fn extent(bytes: &[u8], eof: bool) -> Extent {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                loop {
                    if i >= bytes.len() {
                        return Extent::NeedMore;
                    }
                    match memchr2(b'"', b'\\', &bytes[i..]) {
                        None => return Extent::NeedMore,
                        Some(j) if bytes[i + j] == b'\\' => i += j + 2,
                        Some(j) => {
                            i += j + 1;
                            break;
                        }
                    }
                }
                if depth == 0 {
                    return Extent::Complete(i);
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return Extent::Complete(i);
                }
                depth -= 1;
                if depth == 0 {
                    return Extent::Complete(i + 1);
                }
            }
            b',' | b' ' | b'\n' | b'\r' | b'\t' | b':' if depth == 0 => return Extent::Complete(i),
            _ => {}
        }
        i += 1;
    }
    // A number or literal that runs to the end of the input is complete only at EOF.
    if depth == 0 && eof && i > 0 {
        Extent::Complete(i)
    } else {
        Extent::NeedMore
    }
}

/// Position of the first `a` or `b` in `hay`.
fn memchr2(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == a || c == b)
}

/// A string field of a run: borrowed from the window unless it had escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// A nullable field that must still be present (serde would default a missing `Option`).
fn present<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Text<'a>>, D::Error> {
    Option::deserialize(d)
}

/// One run, exactly as the schema has it: every field required, no other field.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRun<'a> {
    #[serde(borrow)]
    id: Text<'a>,
    #[serde(borrow)]
    squad: Text<'a>,
    #[serde(borrow, deserialize_with = "present")]
    workflow: Option<Text<'a>>,
    #[serde(borrow, deserialize_with = "present")]
    variant: Option<Text<'a>>,
    pool: Pool,
    input_tokens: u64,
    output_tokens: u64,
    cost: f64,
    outcome: Outcome,
    #[serde(borrow)]
    started_at: Text<'a>,
}

/// Names must be non-empty and free of `/` and `@`, so variant keys never collide.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '@'])
}

/// Checks one run as strictly as the schema and the rules would, and stores it.
fn accept(state: &mut State, run: RawRun<'_>) -> Scan<()> {
    let tag = match (&run.workflow, &run.variant) {
        (None, None) => None,
        (Some(w), Some(v)) if valid_name(&w.0) && valid_name(&v.0) => Some((&*w.0, &*v.0)),
        _ => return Err(Fallback::Unusual),
    };
    let cost_micros = (run.cost >= 0.0)
        .then(|| money::to_micros(run.cost))
        .flatten();
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
