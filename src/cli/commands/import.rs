//! `bursar import`: a base snapshot plus the runs read from OTLP JSON Lines (traces,
//! Claude Code events) and LiteLLM logging payloads, validated as `validate` does and
//! written through the same safe `--out`. Runs outside the sprint are counted on stderr
//! per source; nothing is written unless every source imports cleanly.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::import::{Importer, MAX_MAPPING_BYTES, Mapping};
use crate::snapshot::{STDIN_ORIGIN, Source, load_from, read_within};
use crate::text::escape_terminal;
use anyhow::Context;

use super::super::status::Status;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The snapshot the runs are added to: the sprint, squads, budgets, catalog (`-` for
    /// standard input)
    #[arg(long, value_name = "SNAPSHOT")]
    base: PathBuf,
    /// OTLP JSON Lines (traces and/or logs), as the Collector's and SDKs' file exporters
    /// write them (`-` for standard input); repeatable
    #[arg(long, value_name = "FILE")]
    otlp: Vec<PathBuf>,
    /// LiteLLM standard logging payloads, one JSON object a line (`-` for standard
    /// input); repeatable
    #[arg(long, value_name = "FILE")]
    litellm: Vec<PathBuf>,
    /// Where run fields come from, team translations and model prices (TOML)
    #[arg(long, value_name = "MAP.toml")]
    mapping: Option<PathBuf>,
    /// Where to write the snapshot (default: stdout)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    limit: super::super::args::SnapshotLimitArgs,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let stdin = [&args.base]
        .into_iter()
        .chain(&args.otlp)
        .chain(&args.litellm)
        .filter(|p| p.as_path() == Path::new("-"))
        .count();
    if stdin > 1 {
        anyhow::bail!("`-` (standard input) is given {stdin} times; it can be read only once");
    }
    let mut inputs: Vec<(&str, &Path)> = vec![("the base", args.base.as_path())];
    inputs.extend(args.otlp.iter().map(|p| ("an OTLP source", p.as_path())));
    inputs.extend(
        args.litellm
            .iter()
            .map(|p| ("a LiteLLM source", p.as_path())),
    );
    if let Some(m) = &args.mapping {
        inputs.push(("the mapping", m.as_path()));
    }
    let output = super::super::output::Output::new(args.out.as_deref(), &inputs)?;

    let options = super::super::machine::load_options(args.limit.mb());
    let (origin, base_bytes) = read_base(&args.base, &options)?;
    let source = Source::Bytes {
        origin: origin.clone(),
        bytes: base_bytes.clone().into(),
    };
    let base = load_from(&source, &options, &mut |_, _| {})?;
    let base_map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&base_bytes).with_context(|| format!("`{origin}`"))?;
    let (mapping, mapping_sha) = read_mapping(args.mapping.as_deref())?;

    let mut importer = Importer::new(&base.snapshot, &mapping);
    for path in &args.otlp {
        let (name, reader) = open(path)?;
        importer.read_otlp(&name, reader).map_err(listed)?;
    }
    for path in &args.litellm {
        let (name, reader) = open(path)?;
        importer.read_litellm(&name, reader).map_err(listed)?;
    }
    let imported = importer.finish().map_err(listed)?;
    report(&imported.sources, &base.snapshot.sprint.id);

    let provenance =
        crate::import::provenance::object(&base.sha256, mapping_sha.as_deref(), &imported.sources);
    let mut bytes = Vec::new();
    crate::import::write::snapshot(&mut bytes, &base_map, &imported.runs, &provenance)?;
    // Checked exactly as `validate` checks a file, before anything is written.
    let name = output.name().display().to_string();
    let check = Source::Bytes {
        origin: format!("the imported snapshot ({name})"),
        bytes: bytes.clone().into(),
    };
    load_from(
        &check,
        &crate::snapshot::LoadOptions::default(),
        &mut |_, _| {},
    )?;
    output.write(&bytes)?;
    Ok(Status::Clean)
}

fn read_base(
    path: &Path,
    options: &crate::snapshot::LoadOptions,
) -> anyhow::Result<(String, Vec<u8>)> {
    if path == Path::new("-") {
        let source = Source::read(std::io::stdin().lock(), STDIN_ORIGIN, options)?;
        let Source::Bytes { bytes, .. } = source else {
            unreachable!("a stream is read into bytes")
        };
        return Ok((STDIN_ORIGIN.to_owned(), bytes.to_vec()));
    }
    Ok((
        path.display().to_string(),
        read_within(path, "base snapshot", options)?,
    ))
}

/// The mapping and its digest; none given is the defaults (and no digest).
fn read_mapping(path: Option<&Path>) -> anyhow::Result<(Mapping, Option<String>)> {
    let Some(path) = path else {
        return Ok((Mapping::default(), None));
    };
    let origin = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot read `{origin}`"))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        anyhow::bail!("cannot read `{origin}`: it is a folder");
    }
    let mut bytes = Vec::new();
    file.take(MAX_MAPPING_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read `{origin}`"))?;
    if bytes.len() > MAX_MAPPING_BYTES {
        anyhow::bail!(
            "`{origin}`: a mapping is at most {} KiB",
            MAX_MAPPING_BYTES >> 10
        );
    }
    let text = String::from_utf8(bytes.clone())
        .map_err(|_| anyhow::anyhow!("`{origin}`: the mapping is not UTF-8 text"))?;
    let mapping = crate::import::mapping::parse(&text, &origin)?;
    Ok((mapping, Some(crate::digest::sha256_hex(&bytes))))
}

/// A source, streamed: standard input or a file (a FIFO is streamed too; a folder is
/// refused).
fn open(path: &Path) -> anyhow::Result<(String, Box<dyn std::io::BufRead>)> {
    if path == Path::new("-") {
        return Ok((
            STDIN_ORIGIN.to_owned(),
            Box::new(BufReader::new(std::io::stdin())),
        ));
    }
    let origin = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot read `{origin}`"))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        anyhow::bail!("cannot read `{origin}`: it is a folder");
    }
    Ok((origin, Box::new(BufReader::with_capacity(1 << 20, file))))
}

/// An error of several lines: each on stderr as a line of its own (the final error is
/// one line, its line breaks escaped), then the count as the error.
fn listed(err: crate::import::ImportError) -> anyhow::Error {
    use crate::import::ImportError;
    let (head, lines) = match &err {
        ImportError::Many(problems) => (None, problems.clone()),
        ImportError::Unpriced(_) => {
            let text = err.to_string();
            let mut lines = text.lines().map(str::to_owned);
            (lines.next(), lines.collect())
        }
        _ => return err.into(),
    };
    if let Some(head) = head {
        for line in &lines {
            super::super::stderr::line(&escape_terminal(line));
        }
        return anyhow::anyhow!("{head} (the models are listed above)");
    }
    for line in &lines {
        super::super::stderr::line(&format!("error: {}", escape_terminal(line)));
    }
    anyhow::anyhow!(
        "{}: nothing written",
        crate::text::count(lines.len(), "problem")
    )
}

/// What each source gave, on stderr: runs kept, runs outside the sprint (left out, never
/// silently), records that belong to no run.
fn report(sources: &[crate::import::provenance::SourceReport], sprint: &str) {
    for s in sources {
        super::super::stderr::line(&format!(
            "{}: {} kept, {} outside sprint {} (left out), {} in no run",
            escape_terminal(&s.name),
            crate::text::count(s.runs_kept as usize, "run"),
            s.runs_outside_sprint,
            escape_terminal(sprint),
            crate::text::count(s.records_in_no_run as usize, "record"),
        ));
    }
}
