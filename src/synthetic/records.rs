//! The snapshot's records as `gen` writes them, one struct per kind with its fields in
//! the order the handbook lists them; serde_json serialises them (runs excepted, see
//! `run_lines`).

use serde::{Serialize, Serializer};

use super::digits::right_aligned;
use super::groups::{Group, Key};
use super::stamp::Stamp;
use super::world::{Squad, Status, Topup, Variant, World};

#[derive(Serialize)]
pub(super) struct SprintRecord<'a> {
    pub(super) id: &'a str,
    pub(super) start: &'a str,
    pub(super) end: &'a str,
}

#[derive(Serialize)]
pub(super) struct SquadRecord<'a> {
    id: &'a str,
    name: &'a str,
    headcount: u64,
    tags: &'a [&'a str],
}

impl<'a> From<&'a Squad> for SquadRecord<'a> {
    fn from(s: &'a Squad) -> Self {
        Self {
            id: &s.id,
            name: &s.name,
            headcount: s.headcount,
            tags: s.tags,
        }
    }
}

#[derive(Serialize)]
pub(super) struct BaselineRecord<'a> {
    squad: &'a str,
    baseline_tokens: u64,
}

impl<'a> BaselineRecord<'a> {
    /// `None` for a squad without a baseline.
    pub(super) fn of(s: &'a Squad) -> Option<Self> {
        Some(Self {
            squad: &s.id,
            baseline_tokens: s.baseline?,
        })
    }
}

#[derive(Serialize)]
pub(super) struct TopupRecord<'a> {
    id: String,
    squad: &'a str,
    tokens: u64,
    status: &'static str,
    reason: Option<&'a str>,
    justification: Option<&'a str>,
    approved_by: Option<&'a str>,
}

impl<'a> TopupRecord<'a> {
    /// The `i`-th top-up (from 0).
    pub(super) fn new(world: &'a World, i: usize, t: &'a Topup) -> Self {
        Self {
            id: format!("tu-{}", i + 1),
            squad: &world.squads[t.squad].id,
            tokens: t.tokens,
            status: if t.granted { "granted" } else { "requested" },
            reason: t.reason,
            justification: t.justification,
            approved_by: t.approved_by,
        }
    }
}

#[derive(Serialize)]
pub(super) struct CatalogRecord<'a> {
    workflow: &'a str,
    variant: &'a str,
    status: &'static str,
    /// Absent when the variant's origin squad is out of range (a planted bare entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    origin_squad: Option<&'a str>,
    promoted_in: &'a str,
}

impl<'a> CatalogRecord<'a> {
    /// `None` for an exploring variant: the catalog lists the others.
    pub(super) fn of(world: &'a World, v: &'a Variant) -> Option<Self> {
        let status = match v.status {
            Status::Standard => "standard",
            Status::Deprecated => "deprecated",
            Status::Exploring => return None,
        };
        Some(Self {
            workflow: &world.families[v.family].name,
            variant: &v.name,
            status,
            origin_squad: world.squads.get(v.origin_squad).map(|s| s.id.as_str()),
            promoted_in: &v.promoted_in,
        })
    }
}

/// A run's id, `r-` and its number from 1, zero-padded so ids sort as they were drawn.
#[derive(Clone, Copy)]
pub(super) struct RunId {
    index: u64,
    width: usize,
}

/// Digits in every run id of a snapshot of `count` runs: at least 7, as exports pad them.
pub(super) fn id_width(count: u64) -> usize {
    (count.max(1).ilog10() as usize + 1).max(7)
}

impl RunId {
    /// The id of run `index` (from 0) in a snapshot whose ids have `width` digits.
    pub(super) fn new(index: u64, width: usize) -> Self {
        Self { index, width }
    }

    fn text(self, text: &mut [u8; 22]) -> &[u8] {
        let start = right_aligned(text, self.index + 1, self.width) - 2;
        text[start..start + 2].copy_from_slice(b"r-");
        &text[start..]
    }

    /// Appends the id (the JSON string's contents: nothing in it needs escaping).
    pub(super) fn push(self, line: &mut Vec<u8>) {
        line.extend_from_slice(self.text(&mut [0; 22]));
    }
}

impl Serialize for RunId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = [0; 22];
        let text = self.text(&mut text);
        serializer.serialize_str(std::str::from_utf8(text).expect("an id is ASCII"))
    }
}

/// Workflow and variant names of a variant index, `None` for an untagged run.
fn tags(world: &World, variant: Option<usize>) -> (Option<&str>, Option<&str>) {
    match variant {
        Some(v) => {
            let v = &world.variants[v];
            (Some(&world.families[v.family].name), Some(&v.name))
        }
        None => (None, None),
    }
}

#[derive(Serialize)]
pub(super) struct GroupRecord<'a> {
    squad: &'a str,
    workflow: Option<&'a str>,
    variant: Option<&'a str>,
    pool: &'static str,
    outcome: &'static str,
    count: u64,
    input_tokens: u64,
    output_tokens: u64,
    cost_micros: u64,
    first_started_at: Stamp,
    first_run_id: RunId,
}

impl<'a> GroupRecord<'a> {
    pub(super) fn new(world: &'a World, width: usize, key: &Key, g: &Group) -> Self {
        let &(squad, tag, pool, outcome) = key;
        let (workflow, variant) = tags(world, tag.variant());
        Self {
            squad: &world.squads[squad].id,
            workflow,
            variant,
            pool: pool.as_str(),
            outcome: outcome.as_str(),
            count: g.count,
            input_tokens: g.input_tokens,
            output_tokens: g.output_tokens,
            cost_micros: g.cost_micros,
            first_started_at: g.first,
            first_run_id: RunId::new(g.first_index, width),
        }
    }
}
