//! bursar: evaluates governance policies written in Rhai against a sprint snapshot
//! of AI-agent runs and budgets, and produces decisions that explain themselves.
//!
//! The library's surface is the items re-exported here, one path each, grouped by what a
//! caller does: [evaluate] a pack on a snapshot, [load_snapshot] a snapshot, [check] a
//! pack, run its [TestRunner] cases, compare two [Document]s ([DiffReport]) or two packs
//! ([impact]), read a series of sprints ([trends]), [render](Format) a document,
//! import telemetry ([Importer]), [generate] a synthetic snapshot, within [Limits]. The
//! modules behind them are private: the engine's internals, tested by unit tests beside
//! the code. The one exception is the `bursar` command itself (`cli`), public but hidden
//! from the documentation because the binary (`main.rs`) is a crate of its own that calls
//! it; it is not part of the API and changes without notice.
//!
//! ```no_run
//! use std::path::Path;
//!
//! let evaluation = bursar::evaluate(
//!     Path::new("examples/sprint-2026-S24.json"),
//!     Path::new("policies"),
//!     bursar::Limits::default(),
//! )?;
//! for decision in &evaluation.document.decisions {
//!     println!("{} {}: {}", decision.policy, decision.subject, decision.outcome);
//! }
//! # Ok::<(), bursar::Error>(())
//! ```

#![warn(missing_docs)]

// The modules, one line each (a new module is one new line here), all private but `cli`:
// `#[doc(hidden)] pub` because `main.rs`, the binary, calls `cli::parse` and `cli::run`
// (see above). What a library user may reach is the `pub use` list below.
mod audit;
mod check;
#[doc(hidden)]
pub mod cli;
mod decision;
mod digest;
mod error;
mod eval;
mod exceptions;
mod facts;
mod guide;
mod host;
mod impact;
mod import;
mod instant;
mod json_input;
mod limits;
mod money;
mod operator;
mod parallel;
mod problem;
mod render;
mod schema;
mod snapshot;
mod synthetic;
mod testing;
mod text;
mod trends;

// `cargo fuzz` builds with `--cfg fuzzing`: its target (fuzz/fuzz_targets/snapshot.rs)
// drives the two loaders and the facts directly, the tree loader as the oracle, so a
// fuzzing build, and only it, reaches them here.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::snapshot::{parse_streaming, parse_tree};

    /// Aggregates a snapshot into the facts policies read, which must never panic.
    pub fn facts(snapshot: crate::Snapshot) {
        let _ = crate::facts::Facts::new(snapshot);
    }
}

// Instants, as a snapshot's run groups hold them.
pub use instant::{Instant, format_utc as format_instant, parse_rfc3339 as parse_instant};

// Errors and limits.
pub use error::{Code, Error, Level, PolicyError, Result};
pub use limits::Limits;
pub use problem::Problem;

// Evaluate: a pack on a snapshot, into a decisions document.
pub use eval::{DOCUMENT_FORMAT, Evaluation, evaluate, evaluate_loaded};
pub use exceptions::Exceptions;
pub use host::{Host, Pack, PackSource, RHAI_VERSION, UNTAGGED};

// Load: a snapshot, or a decisions document written before; or only check one against
// the schema bursar ships for it, its problems located by JSON Pointer.
pub use audit::document::{parse as parse_document, read as read_document};
pub use schema::{validate_decisions, validate_snapshot};
pub use snapshot::{
    LoadOptions, Loaded, Snapshot, Source, load as load_snapshot, parse as parse_snapshot,
};

// The decisions document.
pub use decision::{
    AppliedException, Check, Computed, Decision, Document, Explanation, Inputs, Link, ModuleRecord,
    PolicyRecord, Severity, Site, Totals, Warning,
};
pub use operator::{Op, Unit};

// Check and test a pack.
pub use check::{Report as CheckReport, check};
pub use testing::{
    Case, CaseReport, Expectation, Expected, Outcome, Runner as TestRunner, TestReport, Verdict,
};

// Compare: two documents, or two packs over many snapshots.
pub use audit::diff_report::{Report as DiffReport, Side as DiffSide};
pub use impact::{
    Failure as ImpactFailure, Impact, Options as ImpactOptions, Report as ImpactReport,
    SnapshotImpact, run as impact,
};

// Across sprints.
pub use trends::{
    Journey, Options as TrendsOptions, Report as TrendsReport, Status as TrendsStatus, Trends,
    run as trends,
};

// Render a decisions document (and the summary of a failing run, the limits of the Markdown
// format), or an error as the command line prints it.
pub use render::decisions::failures::FailuresText;
pub use render::decisions::markdown::{
    MAX_CHARS as MARKDOWN_MAX_CHARS, MAX_ROWS as MARKDOWN_MAX_ROWS,
};
pub use render::diagnostic::render as render_error;
pub use render::{Context as RenderContext, Emitter, Format, to_string as render};

// Render the other reports: a test run, a diff, a series of sprints.
pub use render::diff::markdown::{DiffMarkdown, MAX_CHARS as DIFF_MARKDOWN_MAX_CHARS};
pub use render::diff::text::DiffText;
pub use render::testing::{junit::TestsJunit, text::TestsText};
pub use render::trends::{dashboard::Dashboard, text::TrendsText};

// Import telemetry (parse a mapping, read sources with an Importer, write the base with the
// imported runs and their provenance), generate a synthetic snapshot or a series.
pub use import::mapping::parse as parse_mapping;
pub use import::provenance::object as import_provenance;
pub use import::write::snapshot as write_imported;
pub use import::{ImportError, Imported, Importer, Mapping};
pub use synthetic::{
    Error as GenerateError, MANIFEST as SERIES_MANIFEST, MAX_RUNS, MAX_SERIES_RUNS,
    Options as GenerateOptions, Scenario, Series, generate, manifest as series_manifest,
};

/// Version of the engine, recorded in every decisions document.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
