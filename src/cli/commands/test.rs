//! `bursar test`: runs the case files kept beside a policy pack (`<pack>/tests/*.case`)
//! and reports each; `--update` rewrites their expectations from what the pack decides.

use std::path::PathBuf;

use crate::render;
use crate::testing::{self, Case, Runner, TestReport, TestRun};
use crate::text::escape_terminal;

use super::super::ErrorFormat;
use super::super::args::{LimitArgs, OutputArgs, PackArgs};
use super::super::output::Output;
use super::super::status::Status;

super::super::formats::formats!("text", Text, Json, Junit);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Case files, or folders searched for `*.case` files [default: the pack's `tests/`]
    #[arg(value_name = "CASE_OR_FOLDER")]
    cases: Vec<PathBuf>,
    #[command(flatten)]
    pack: PackArgs,
    /// Rewrite the expectation lines of the cases from the decisions the pack now gives,
    /// keeping comments and the snapshot as they are
    #[arg(long)]
    update: bool,
    /// Also report which outcomes, checks, branches and loops of each policy the cases
    /// exercised, and why the rest were not
    #[arg(long)]
    coverage: bool,
    /// Fail (exit 1) when coverage is below PCT percent, listing what is not covered;
    /// implies --coverage
    #[arg(long, value_name = "PCT", value_parser = percent)]
    min_coverage: Option<f64>,
    /// Report coverage for this policy only, counting what the cases that judge it ran
    /// (repeat for more); implies --coverage
    #[arg(long, value_name = "POLICY")]
    policy: Vec<String>,
    #[command(flatten)]
    output: OutputArgs<Format>,
    /// In text, only the failing cases and the totals
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

/// A percentage from 0 to 100 (`80`, `92.5`).
fn percent(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a percentage from 0 to 100")),
    }
}

pub fn run(args: Args, errors: ErrorFormat) -> anyhow::Result<Status> {
    let paths = if args.cases.is_empty() {
        vec![args.pack.dir().join("tests")]
    } else {
        args.cases.clone()
    };
    let mut inputs = vec![("the policy pack", args.pack.dir())];
    inputs.extend(paths.iter().map(|p| ("a case", p.as_path())));
    let output = args.output.open(&inputs)?;
    // The pack first: a missing or broken pack is named before any case is looked for.
    let limits = args.limits.limits()?;
    let measure = args.coverage || args.min_coverage.is_some() || !args.policy.is_empty();
    let open = if measure {
        Runner::measuring
    } else {
        Runner::open
    };
    let runner = open(args.pack.dir(), limits).map_err(|e| args.pack.explain(e))?;
    known_policies(&runner, &args.policy)?;
    let found = testing::case::discover(&paths)?;
    for (path, message) in &found.skipped {
        notice(errors, "warning", "skipped-case", path, message);
    }
    let files = found.files;
    if args.update {
        refuse_special(&files)?;
    }
    if files.is_empty() {
        anyhow::bail!(
            "no `*.{}` case files in {}",
            testing::case::EXTENSION,
            paths
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    // Every case is read before anything runs: a broken one stops the run (exit 2) with
    // its file and line, before any case is rewritten.
    // A case carries a snapshot: it is read once, and no more of it than a snapshot may
    // be, so a path such as `/dev/zero` stops at the limit.
    let load = super::super::machine::load_options(limits.max_snapshot_mb);
    let cases = files
        .iter()
        .map(|f| read_case(f, &load))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (report, updates) = run_cases(&args, &runner, &cases)?;
    // Each rewritten case appears whole or not at all (temporary file, then rename).
    for (path, text) in updates {
        Output::new(Some(&path), &[])?.write(text.as_bytes())?;
        if !args.quiet {
            let message = format!("updated `{}`", path.display());
            notice(errors, "info", "case-updated", &path, &message);
        }
    }
    let run = TestRun {
        coverage: (runner.coverage(args.min_coverage)).map(|c| c.narrowed(&args.policy)),
        report,
    };
    let text = rendered(&args, &run);
    output.write(text.as_bytes())?;
    Ok(if run.passed() {
        Status::Clean
    } else {
        Status::Flagged
    })
}

/// Every case run, and with `--update` rewritten in memory: the report, and the cases
/// whose text changed (written by the caller, once every case has read back).
fn run_cases(
    args: &Args,
    runner: &Runner,
    cases: &[Case],
) -> anyhow::Result<(TestReport, Vec<(PathBuf, String)>)> {
    let mut report = TestReport {
        policies: args.pack.dir().display().to_string(),
        cases: Vec::new(),
    };
    let mut updates = Vec::new();
    for case in cases {
        // A policy error names the policy's file; which case it ran on is said with it
        // (as a line before it, or the `context` of its JSON object).
        let (case_report, document) = runner.run(case).map_err(|e| match e {
            crate::Error::Policy(_) => anyhow::Error::from(e)
                .context(format!("while running the case `{}`", case.path.display())),
            other => other.into(),
        })?;
        if args.update {
            let rewritten = testing::update::update(case, &document.decisions).map_err(|e| {
                anyhow::anyhow!("{e} (in the expectations `--update` wrote; nothing was rewritten)")
            })?;
            report.cases.push(rewritten.report);
            if let Some(text) = rewritten.text {
                updates.push((case.path.clone(), text));
            }
        } else {
            report.cases.push(case_report);
        }
    }
    Ok((report, updates))
}

/// The test run in the format asked for.
fn rendered(args: &Args, run: &TestRun) -> String {
    match args.output.format {
        Format::Text => {
            let cases = render::testing::text::TestsText { quiet: args.quiet };
            let mut text = render::to_string::<TestReport>(&cases, &run.report);
            if let Some(coverage) = &run.coverage {
                let emitter = render::testing::coverage::CoverageText {
                    quiet: args.quiet,
                    policies: run.report.policies.clone(),
                };
                text.push_str(&render::to_string(&emitter, coverage));
            }
            text
        }
        Format::Json => render::to_string(&render::json::Json, run),
        Format::Junit => render::to_string(&render::testing::junit::TestsJunit, run),
    }
}

/// A message on stderr that does not stop the run, about the file at `path`: for people
/// (``warning: skipped `x.case`: a FIFO...``), or one JSON object under `--error-format json`.
fn notice(errors: ErrorFormat, severity: &str, code: &str, path: &std::path::Path, message: &str) {
    match errors {
        ErrorFormat::Human => {
            let prefix = if severity == "info" {
                String::new()
            } else {
                format!("{severity}: ")
            };
            super::super::stderr::line(&format!("{prefix}{}", escape_terminal(message)));
        }
        ErrorFormat::Json => {
            let value = serde_json::json!({
                "severity": severity,
                "code": code,
                "message": message,
                "file": path.display().to_string(),
            });
            super::super::stderr::line(&value.to_string());
        }
    }
}

/// Each `--policy` must be a policy of the pack.
fn known_policies(runner: &Runner, asked: &[String]) -> anyhow::Result<()> {
    let mut names: Vec<&str> = runner.policies().collect();
    names.sort_unstable();
    if let Some(name) = asked.iter().find(|n| !names.contains(&n.as_str())) {
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        anyhow::bail!(
            "--policy: `{}` is not a policy in this pack; {}the policies are {}",
            escape_terminal(name),
            crate::text::did_you_mean(name, names.iter().copied()),
            quoted.join(", ")
        );
    }
    Ok(())
}

/// `--update` rewrites cases in place: a case that is not a regular file (a FIFO, a
/// device) is refused before any is opened, since opening it could wait forever.
fn refuse_special(files: &[PathBuf]) -> anyhow::Result<()> {
    for path in files {
        let meta = std::fs::metadata(path)?;
        if let Some(kind) = testing::case::not_a_file(meta.file_type()) {
            anyhow::bail!(
                "`{}` is {kind}, not a case file: `--update` rewrites case files in place",
                escape_terminal(&path.display().to_string())
            );
        }
    }
    Ok(())
}

/// One case file, read once within the snapshot size limit.
fn read_case(path: &std::path::Path, load: &crate::snapshot::LoadOptions) -> anyhow::Result<Case> {
    let bytes = crate::snapshot::read_within(path, "case", load)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "`{}`: the case is not valid UTF-8 (at byte {})",
            escape_terminal(&path.display().to_string()),
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(Case::parse(path, text)?)
}
