//! `bursar diff`: what differs between two decisions documents, or, given two snapshots
//! and two packs, between the old pack on the old snapshot and the new pack on the new
//! one, with the cause of each change. Exit 0 no difference, 1 differences, 2 error.

use std::path::{Path, PathBuf};

use crate::audit::diff_report::{Report, Side};
use crate::exceptions::Exceptions;
use crate::host::PackSource;
use crate::render;

use super::super::args::{LimitArgs, OutputArgs};
use super::super::status::Status;

super::super::formats::formats!("text", Text, Json, Markdown);

const FOUR: [&str; 4] = [
    "old_snapshot",
    "old_policies",
    "new_snapshot",
    "new_policies",
];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Two decisions documents (`eval --format json`): the old one, then the new one
    #[arg(value_names = ["OLD", "NEW"], num_args = 2, required_unless_present_any = FOUR, conflicts_with_all = FOUR)]
    documents: Vec<PathBuf>,
    /// The old snapshot, evaluated with both packs (instead of two documents)
    #[arg(long, value_name = "FILE")]
    old_snapshot: Option<PathBuf>,
    /// The old policy pack, evaluated on both snapshots
    #[arg(long, value_name = "DIR")]
    old_policies: Option<PathBuf>,
    /// The new snapshot, evaluated with both packs
    #[arg(long, value_name = "FILE")]
    new_snapshot: Option<PathBuf>,
    /// The new policy pack, evaluated on both snapshots
    #[arg(long, value_name = "DIR")]
    new_policies: Option<PathBuf>,
    /// Exceptions applied with the old pack (`eval --exceptions`), on both snapshots
    #[arg(long, value_name = "FILE", requires = "old_snapshot")]
    old_exceptions: Option<PathBuf>,
    /// Exceptions applied with the new pack, on both snapshots
    #[arg(long, value_name = "FILE", requires = "old_snapshot")]
    new_exceptions: Option<PathBuf>,
    /// Also list decisions with the same outcome whose values differ, and every changed
    /// value (always in json)
    #[arg(long)]
    details: bool,
    #[command(flatten)]
    output: OutputArgs<Format>,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    document_limit: DocumentLimitArgs,
}

/// The size bound of a decisions document read back (`diff`, `explain`, `verify`).
#[derive(Debug, Clone, clap::Args)]
pub struct DocumentLimitArgs {
    /// Largest decisions document read, in MiB (a file, a pipe or a device)
    #[arg(long, value_name = "MIB", default_value_t = crate::audit::document::DEFAULT_MAX_DOCUMENT_MB, value_parser = clap::value_parser!(u64).range(1..))]
    max_document_mb: u64,
}

impl DocumentLimitArgs {
    pub fn mb(&self) -> u64 {
        self.max_document_mb
    }
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let details = args.details || args.output.format == Format::Json;
    let report = match (
        &args.old_snapshot,
        &args.old_policies,
        &args.new_snapshot,
        &args.new_policies,
    ) {
        (Some(s1), Some(p1), Some(s2), Some(p2)) => {
            // Refused before anything is opened or read: the second read of standard
            // input would find it empty.
            if [s1, s2].iter().all(|s| s.as_path() == Path::new("-")) {
                anyhow::bail!(
                    "`-` (standard input) is given for both --old-snapshot and \
                     --new-snapshot; it can be read only once"
                );
            }
            let mut inputs = vec![
                ("the old snapshot", s1.as_path()),
                ("the old policy pack", p1.as_path()),
                ("the new snapshot", s2.as_path()),
                ("the new policy pack", p2.as_path()),
            ];
            for (name, path) in [
                ("the old exceptions", &args.old_exceptions),
                ("the new exceptions", &args.new_exceptions),
            ] {
                inputs.extend(path.as_deref().map(|p| (name, p)));
            }
            let output = args.output.open(&inputs)?;
            let report = attributed(&args, [s1, p1, s2, p2], details)?;
            (output, report)
        }
        (None, None, None, None) => {
            let [old, new] = [&args.documents[0], &args.documents[1]];
            let output = args
                .output
                .open(&[("the old document", old), ("the new document", new)])?;
            let max = args.document_limit.mb();
            let old_doc = read(old, max, false)?;
            let new_doc = read(new, max, false)?;
            let side = |path: &Path, doc: &crate::audit::recorded::Recorded| Side {
                document: Some(path.display().to_string()),
                sprint: doc.document.sprint.clone(),
                ..Side::default()
            };
            let report = Report::new(
                (side(old, &old_doc), &old_doc.json, &old_doc.document),
                (side(new, &new_doc), &new_doc.json, &new_doc.document),
                details,
            );
            (output, report)
        }
        _ => anyhow::bail!(
            "comparing two snapshots under two packs takes all four of --old-snapshot, \
             --old-policies, --new-snapshot and --new-policies"
        ),
    };
    let (output, report) = report;
    let text = match args.output.format {
        Format::Text => render::to_string(&render::diff::text::DiffText, &report),
        Format::Json => render::to_string(&render::json::Json, &report),
        Format::Markdown => render::to_string(&render::diff::markdown::DiffMarkdown, &report),
    };
    output.write(text.as_bytes())?;
    Ok(if report.has_differences() {
        Status::Flagged
    } else {
        Status::Clean
    })
}

/// A decisions document read once, no larger than `max_mb`, and checked; errors name the
/// file. `keep_bytes` for a byte comparison (`verify`).
pub(super) fn read(
    path: &Path,
    max_mb: u64,
    keep_bytes: bool,
) -> anyhow::Result<crate::audit::recorded::Recorded> {
    let bytes = crate::audit::document::read_bytes(path, max_mb)?;
    let origin = path.display().to_string();
    Ok(crate::audit::recorded::read(bytes, &origin, keep_bytes)?)
}

/// The four evaluations, compared, each change labelled with its cause.
fn attributed(
    args: &Args,
    [s1, p1, s2, p2]: [&PathBuf; 4],
    details: bool,
) -> anyhow::Result<Report> {
    let limits = args.limits.limits()?;
    let load = super::super::machine::load_options(limits.max_snapshot_mb);
    let old_pack = PackSource::read(p1, &limits)?;
    let new_pack = PackSource::read(p2, &limits)?;
    let exceptions = |path: &Option<PathBuf>| match path {
        Some(path) => Exceptions::read(path),
        None => Ok(Exceptions::none()),
    };
    let (old_exceptions, new_exceptions) = (
        exceptions(&args.old_exceptions)?,
        exceptions(&args.new_exceptions)?,
    );
    // As impact reads them: a pipe named twice is read once and shared.
    let [old_snapshot, new_snapshot]: [_; 2] =
        super::super::machine::snapshot_sources(&[s1.clone(), s2.clone()], &load)?
            .try_into()
            .map_err(|_| anyhow::anyhow!("two snapshots read as a different number"))?;
    let crossed = crate::audit::attribution::evaluate(
        crate::audit::attribution::Inputs {
            snapshot: &old_snapshot,
            policies: &old_pack,
            exceptions: &old_exceptions,
        },
        crate::audit::attribution::Inputs {
            snapshot: &new_snapshot,
            policies: &new_pack,
            exceptions: &new_exceptions,
        },
        limits,
        &load,
    )?;
    super::super::stderr::policies_printed(&crossed.log);
    let side = |s: &Path, p: &Path, doc: &crate::decision::Document| Side {
        snapshot: Some(s.display().to_string()),
        policies: Some(p.display().to_string()),
        sprint: doc.sprint.clone(),
        ..Side::default()
    };
    let json = |doc| serde_json::to_value(doc).expect("a document is JSON");
    let (old_json, new_json) = (json(&crossed.old), json(&crossed.new));
    let mut report = Report::new(
        (side(s1, p1, &crossed.old), &old_json, &crossed.old),
        (side(s2, p2, &crossed.new), &new_json, &crossed.new),
        details,
    );
    crate::audit::attribution::attribute(
        &mut report.diff,
        &crossed.new.decisions,
        &crossed.policy_only.decisions,
        &crossed.data_only.decisions,
    );
    Ok(report.counted())
}
