//! The fast path for loading a snapshot: one pass over the bytes, runs streamed straight
//! into columns, no tree of the whole document and no second copy of the runs. It only
//! decides "valid" or "unusual"; anything unusual goes to the complete path in `dom`,
//! which reports every problem. It is at least as strict as the schema plus the
//! handbook's rules, so a snapshot it accepts is one the complete path accepts too.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::io::{BufRead, BufReader, Read};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
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

/// Hashes and counts the bytes as the parser pulls them.
struct Hashing<'p, R> {
    inner: R,
    hasher: Sha256,
    read: u64,
    size: u64,
    progress: &'p mut dyn FnMut(u64, u64),
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        (self.progress)(self.read, self.size);
        Ok(n)
    }
}

/// A u64 that is already a hash needs no more hashing.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

fn id_hash(id: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// What the run visitor needs between runs: reusable buffers, the table, the ids seen.
struct State {
    table: RunTable,
    /// Hashes of run ids; a repeat (or a collision) sends the file to the complete path.
    ids: HashSet<u64, BuildHasherDefault<Prehashed>>,
    id: String,
    squad: String,
    workflow: String,
    variant: String,
    started_at: String,
    saw_runs: bool,
}

/// Loads a snapshot in one pass; returns it with the SHA-256 of every byte read.
pub fn load(
    reader: impl Read,
    size: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(Snapshot, String), Fallback> {
    let mut hashing = Hashing {
        inner: reader,
        hasher: Sha256::new(),
        read: 0,
        size,
        progress,
    };
    // A run takes about 230 bytes of JSON: reserving up front avoids regrowing columns.
    let expected_runs = usize::try_from(size / 256).unwrap_or(0);
    let mut state = State {
        table: RunTable::with_capacity(expected_runs),
        ids: HashSet::with_capacity_and_hasher(expected_runs, BuildHasherDefault::default()),
        id: String::new(),
        squad: String::new(),
        workflow: String::new(),
        variant: String::new(),
        started_at: String::new(),
        saw_runs: false,
    };
    let rest = {
        let mut buffered = BufReader::with_capacity(1 << 16, &mut hashing);
        let head = buffered.fill_buf().map_err(Fallback::Io)?;
        if head.starts_with(b"\xEF\xBB\xBF") {
            buffered.consume(3);
        }
        let mut de = serde_json::Deserializer::from_reader(&mut buffered);
        let rest = match (TopLevel { state: &mut state }).deserialize(&mut de) {
            Ok(rest) => rest,
            Err(e) if e.is_io() => return Err(Fallback::Io(e.into())),
            Err(_) => return Err(Fallback::Unusual),
        };
        de.end().map_err(|_| Fallback::Unusual)?;
        // Trailing whitespace still belongs to the digest.
        std::io::copy(&mut buffered, &mut std::io::sink()).map_err(Fallback::Io)?;
        rest
    };
    let sha256 = format!("{:x}", hashing.hasher.finalize());
    let State { table, ids, .. } = state;

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
        if ids.contains(&id_hash(id)) {
            return Err(Fallback::Unusual);
        }
    }
    drop(ids);
    let mut snapshot: Snapshot = serde_json::from_value(doc).map_err(|_| Fallback::Unusual)?;
    snapshot.runs = table;
    crate::dom::finish(&mut snapshot);
    Ok((snapshot, sha256))
}

/// The top-level object: `runs` streamed, every other (small) section kept as a tree.
struct TopLevel<'s> {
    state: &'s mut State,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_> {
    type Value = Map<String, Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a snapshot object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut rest = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "runs" {
                if self.state.saw_runs {
                    return Err(de::Error::custom("repeated key"));
                }
                self.state.saw_runs = true;
                map.next_value_seed(Runs {
                    state: &mut *self.state,
                })?;
                // The schema sees an empty list; the runs themselves were checked here.
                rest.insert(key, Value::Array(Vec::new()));
            } else {
                let value: Value = map.next_value()?;
                if rest.insert(key, value).is_some() {
                    return Err(de::Error::custom("repeated key"));
                }
            }
        }
        Ok(rest)
    }
}

struct Runs<'s> {
    state: &'s mut State,
}

impl<'de> DeserializeSeed<'de> for Runs<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Runs<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of runs")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(RunSeed {
                state: &mut *self.state,
            })?
            .is_some()
        {}
        Ok(())
    }
}

#[derive(Clone, Copy, Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Id,
    Squad,
    Workflow,
    Variant,
    Pool,
    InputTokens,
    OutputTokens,
    Cost,
    Outcome,
    StartedAt,
}

const ALL_FIELDS: u16 = (1 << 10) - 1;

struct RunSeed<'s> {
    state: &'s mut State,
}

impl<'de> DeserializeSeed<'de> for RunSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

/// Names must be non-empty and free of `/` and `@`, so variant keys never collide.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '@'])
}

impl<'de> Visitor<'de> for RunSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a run object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let s = self.state;
        let mut seen = 0u16;
        let (mut tagged_workflow, mut tagged_variant) = (false, false);
        let (mut pool, mut outcome) = (Pool::Central, Outcome::Success);
        let (mut input_tokens, mut output_tokens, mut cost) = (0u64, 0u64, 0f64);
        while let Some(field) = map.next_key::<Field>()? {
            let bit = 1u16 << field as u16;
            if seen & bit != 0 {
                return Err(de::Error::custom("repeated field"));
            }
            seen |= bit;
            match field {
                Field::Id => map.next_value_seed(Text(&mut s.id))?,
                Field::Squad => map.next_value_seed(Text(&mut s.squad))?,
                Field::Workflow => {
                    tagged_workflow = map.next_value_seed(NullableText(&mut s.workflow))?
                }
                Field::Variant => {
                    tagged_variant = map.next_value_seed(NullableText(&mut s.variant))?
                }
                Field::Pool => pool = map.next_value()?,
                Field::Outcome => outcome = map.next_value()?,
                Field::InputTokens => input_tokens = map.next_value()?,
                Field::OutputTokens => output_tokens = map.next_value()?,
                Field::Cost => cost = map.next_value()?,
                Field::StartedAt => map.next_value_seed(Text(&mut s.started_at))?,
            }
        }
        let unusual = || de::Error::custom("unusual run");
        if seen != ALL_FIELDS || s.id.is_empty() || s.squad.is_empty() {
            return Err(unusual());
        }
        if tagged_workflow != tagged_variant
            || tagged_workflow && !(valid_name(&s.workflow) && valid_name(&s.variant))
        {
            return Err(unusual());
        }
        let cost_micros = if cost >= 0.0 {
            money::to_micros(cost)
        } else {
            None
        };
        let (Some(cost_micros), Some(started)) =
            (cost_micros, instant::parse_rfc3339(&s.started_at))
        else {
            return Err(unusual());
        };
        if input_tokens.checked_add(output_tokens).is_none() || !s.ids.insert(id_hash(&s.id)) {
            return Err(unusual());
        }
        s.table.push(NewRun {
            id: &s.id,
            squad: &s.squad,
            tag: tagged_workflow.then_some((s.workflow.as_str(), s.variant.as_str())),
            pool,
            outcome,
            input_tokens,
            output_tokens,
            cost_micros,
            started,
        });
        Ok(())
    }
}

/// A string copied into a reused buffer: no allocation per run.
struct Text<'b>(&'b mut String);

impl<'de> DeserializeSeed<'de> for Text<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.clear();
        self.0.push_str(v);
        Ok(())
    }
}

/// A string or null; `true` when it was a string.
struct NullableText<'b>(&'b mut String);

impl<'de> DeserializeSeed<'de> for NullableText<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for NullableText<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(Text(self.0)).map(|()| true)
    }
}
