//! The records the streaming loader hands to serde, exactly as the schema has them: a
//! run's strings borrowed from the window, a group's owned.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::terms::{Outcome, Pool};

/// A string field of a run: borrowed from the window unless it had escapes.
pub struct Text<'a>(pub Cow<'a, str>);

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
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    Option::deserialize(d)
}

/// One run, exactly as the schema has it: every field required, no other field.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRun<'a> {
    #[serde(borrow)]
    pub id: Text<'a>,
    #[serde(borrow)]
    pub squad: Text<'a>,
    #[serde(borrow, deserialize_with = "present")]
    pub workflow: Option<Text<'a>>,
    #[serde(borrow, deserialize_with = "present")]
    pub variant: Option<Text<'a>>,
    pub pool: Pool,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost: f64,
    pub outcome: Outcome,
    #[serde(borrow)]
    pub started_at: Text<'a>,
}

/// One run group, exactly as the schema has it: every field required, no other field.
/// Owned: the snapshot keeps each group's strings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub squad: String,
    #[serde(deserialize_with = "present")]
    pub workflow: Option<String>,
    #[serde(deserialize_with = "present")]
    pub variant: Option<String>,
    pub pool: Pool,
    pub outcome: Outcome,
    pub count: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_micros: u64,
    pub first_started_at: String,
    pub first_run_id: String,
}
