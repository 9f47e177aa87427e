//! Small indexes for an import that holds millions of spans: values kept once each and
//! named by a `u32`, and the bound past which an index would not fit.

use std::collections::HashMap;

use super::error::Problem;

/// An index that points nowhere (no usage, no agent).
pub(super) const NONE: u32 = u32::MAX;

/// Values kept once each, by index.
#[derive(Debug)]
pub(super) struct Interned<T> {
    pub(super) values: Vec<T>,
    index: HashMap<T, u32>,
}

impl<T> Default for Interned<T> {
    fn default() -> Self {
        Interned {
            values: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<T: Clone + Eq + std::hash::Hash> Interned<T> {
    /// The index of `value`, kept now if it is new.
    pub(super) fn get(&mut self, value: T) -> Result<u32, Problem> {
        if let Some(i) = self.index.get(&value) {
            return Ok(*i);
        }
        let i = small_index(self.values.len())?;
        self.values.push(value.clone());
        self.index.insert(value, i);
        Ok(i)
    }
}

/// An index that fits a node, or the bound that was passed.
pub(super) fn small_index(len: usize) -> Result<u32, Problem> {
    u32::try_from(len)
        .ok()
        .filter(|i| *i != NONE)
        .ok_or_else(|| {
            Problem::new(format!(
                "more than {} spans, lines or models in one import",
                NONE - 1
            ))
        })
}
