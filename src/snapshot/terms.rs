//! The handbook's closed vocabularies (pools, outcomes, statuses) and variant keys: the
//! words the model, the run table and the loaders share, depending on none of them.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TopupStatus {
    Requested,
    Granted,
}

impl TopupStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Granted => "granted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CatalogStatus {
    Standard,
    Deprecated,
}

impl CatalogStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Deprecated => "deprecated",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pool {
    Central = 0,
    Exploration = 1,
}

impl Pool {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Central => "central",
            Self::Exploration => "exploration",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success = 0,
    Failure = 1,
    Abandoned = 2,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
            Self::Abandoned => "abandoned",
        }
    }
}

/// `"<workflow>/<variant>"`: names never contain `/`, so keys never collide.
pub fn variant_key(workflow: &str, variant: &str) -> String {
    format!("{workflow}/{variant}")
}
