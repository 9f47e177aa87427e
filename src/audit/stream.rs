//! Reading a decisions document in one pass without a tree of the whole of it: every
//! field but `decisions` kept as JSON, and each decision, as the parser reaches it,
//! checked against the decision's part of the schema and turned into the model before
//! the next one is read. Memory holds the model and one decision's tree, never a tree of
//! a million decisions (which took about ten times the document's size).

use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::decision::Decision;
use crate::problem::Problem;

/// Most schema problems kept from the decisions: as many as the whole schema reports.
const MAX_SCHEMA_PROBLEMS: usize = crate::schema::MAX_SCHEMA_ERRORS;

/// A document read in one pass.
#[derive(Debug, Default)]
pub struct Streamed {
    /// The document as written, except that `decisions`, when it is a list, stands as an
    /// empty list: its envelope, for the schema and the model.
    pub envelope: Value,
    /// Each decision the model could read, in document order.
    pub decisions: Vec<Decision>,
    /// What the decision's part of the schema says of each decision, located in the
    /// document (at most as many as the whole schema would report).
    pub schema: Vec<Problem>,
    /// The first decision the model could not read, located: the problem to report when
    /// the schema is not applied (an older format) or found nothing.
    pub model: Option<Problem>,
}

/// Parses `bytes` as one JSON value, streaming the `decisions` of a top-level object.
/// A syntax error is serde_json's, with its line and column.
pub fn parse(bytes: &[u8]) -> serde_json::Result<Streamed> {
    let mut streamed = Streamed::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    streamed.envelope = de.deserialize_any(Top {
        streamed: &mut streamed,
    })?;
    de.end()?;
    Ok(streamed)
}

impl Streamed {
    /// Checks decision `index` and keeps its model; its tree is dropped on return.
    fn decision(&mut self, index: usize, value: &Value) {
        let at = format!("/decisions/{index}");
        let room = MAX_SCHEMA_PROBLEMS - self.schema.len();
        if room > 0 {
            self.schema
                .extend(crate::schema::validate_decision(value, &at, room));
        }
        match Decision::deserialize(value) {
            Ok(decision) => self.decisions.push(decision),
            Err(e) if self.model.is_none() => {
                self.model = Some(crate::snapshot::serde_words::problem_under(value, &at, &e));
            }
            Err(_) => {}
        }
    }
}

/// Any JSON value that is not the container a visitor streams, read whole: a wrong
/// `decisions` (an object, a number) or a document that is not an object still reaches
/// the schema as written, so it is named as the whole-tree reader named it.
macro_rules! any_scalar {
    () => {
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(Value::from(v))
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_owned()))
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
    };
}

/// The document: an object whose `decisions` is streamed, or any other value whole.
struct Top<'s> {
    streamed: &'s mut Streamed,
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decisions document")
    }

    any_scalar!();

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = if key == "decisions" {
                map.next_value_seed(List {
                    streamed: &mut *self.streamed,
                })?
            } else {
                map.next_value()?
            };
            // A key written twice keeps its last value here, as a tree would; the
            // duplicate check that follows refuses the document anyway.
            fields.insert(key, value);
        }
        Ok(Value::Object(fields))
    }
}

/// The value of `decisions`: a list, each element checked and modelled as it is read, or
/// any other value whole (for the schema to name).
struct List<'s> {
    streamed: &'s mut Streamed,
}

impl<'de> DeserializeSeed<'de> for List<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for List<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of decisions")
    }

    any_scalar!();

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        // A second `decisions` (refused later as a repeated key) starts the list afresh,
        // as a tree keeps only the last.
        self.streamed.decisions.clear();
        self.streamed.schema.clear();
        self.streamed.model = None;
        let mut index = 0;
        while let Some(value) = seq.next_element::<Value>()? {
            self.streamed.decision(index, &value);
            index += 1;
        }
        self.streamed.decisions.shrink_to_fit();
        Ok(Value::Array(Vec::new()))
    }
}
