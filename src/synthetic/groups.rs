//! Runs aggregated as a warehouse ships them (`--groups`): one group per (squad, workflow,
//! variant, pool, outcome) with its sums and its earliest run by (instant, id).

use std::collections::BTreeMap;
use std::convert::Infallible;

use super::runs::Runs;
use super::stamp::Stamp;
use crate::snapshot::{Outcome, Pool};

/// A run's workflow variant, untagged runs sorting after every variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Tag {
    Variant(usize),
    Untagged,
}

impl Tag {
    pub(super) fn variant(self) -> Option<usize> {
        match self {
            Self::Variant(v) => Some(v),
            Self::Untagged => None,
        }
    }
}

/// What a group is keyed by: squad, tag, pool, outcome (written in this order).
pub(super) type Key = (usize, Tag, Pool, Outcome);

/// Runs of one key.
pub(super) struct Group {
    pub(super) count: u64,
    pub(super) input_tokens: u64,
    pub(super) output_tokens: u64,
    pub(super) cost_micros: u64,
    pub(super) first: Stamp,
    /// Index (from 0) of the earliest run.
    pub(super) first_index: u64,
}

/// The groups of `runs`, in key order.
pub(super) fn group(runs: &Runs) -> BTreeMap<Key, Group> {
    let mut groups: BTreeMap<Key, Group> = BTreeMap::new();
    let grouped: Result<(), Infallible> = runs.for_each(|i, run| {
        let tag = run.variant.map_or(Tag::Untagged, Tag::Variant);
        let g = groups
            .entry((run.squad, tag, run.pool, run.outcome))
            .or_insert(Group {
                count: 0,
                input_tokens: 0,
                output_tokens: 0,
                cost_micros: 0,
                first: run.started,
                first_index: i,
            });
        g.count += 1;
        g.input_tokens += run.input_tokens;
        g.output_tokens += run.output_tokens;
        // A 4-decimal cost is exactly cost_e4 × 100 micro-units: the round-half-even of
        // cost × 1,000,000 that the loader computes (tested in `run_lines`).
        g.cost_micros += run.cost_e4 * 100;
        // Runs come in id order, so an equal instant keeps the smaller id.
        if run.started.at_ms < g.first.at_ms {
            g.first = run.started;
            g.first_index = i;
        }
        Ok(())
    });
    match grouped {
        Ok(()) => groups,
        Err(never) => match never {},
    }
}
