//! `bursar import`: runs from the telemetry organisations already have (OTLP traces and
//! logs as JSON Lines, LiteLLM's logging payloads), added to a base snapshot.
//!
//! Files, each one concept: `error` (located errors); `otlp` (OTLP/JSON values) and
//! `otlp_line` (one line's objects); `lines` (reading a source line by line);
//! `mapping` (the TOML mapping); `prices` (exact costs); `run` (drafted and finished
//! runs); `traces`, `logs`, `litellm` (each source's records to runs); `run_id`;
//! `importer` (reading sources and finishing runs); `provenance`; `write` (the bytes).

pub mod error;
mod importer;
mod interned;
pub mod lines;
mod litellm;
mod logs;
pub mod mapping;
mod otlp;
mod otlp_line;
pub mod prices;
pub mod provenance;
pub mod run;
pub mod run_id;
mod traces;
pub mod write;

pub use error::ImportError;
pub use importer::{Imported, Importer};
pub use mapping::{MAX_MAPPING_BYTES, Mapping};
