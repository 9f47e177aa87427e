//! `--report FORMAT=PATH`: more outputs of the same run, each in one of the command's
//! `--format` values, so a CI job evaluates once and gets every file it publishes.

use std::io;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::output::Output;

/// One `--report`: a format of the command (`F`, its `--format` enum) and where it goes.
#[derive(Debug, Clone)]
pub struct Report<F> {
    pub format: F,
    pub path: PathBuf,
}

/// Parses `FORMAT=PATH` with the command's own format enum, so a format added to
/// `--format` is accepted here too and the error names exactly the formats there are.
pub fn parse<F: ValueEnum>(value: &str) -> Result<Report<F>, String> {
    let formats = || {
        F::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((name, path)) = value.split_once('=') else {
        return Err(format!(
            "expected FORMAT=PATH, with FORMAT one of: {}",
            formats()
        ));
    };
    if name.is_empty() {
        return Err(format!(
            "no FORMAT before `=`; FORMAT is one of: {}",
            formats()
        ));
    }
    let format = F::from_str(name, false).map_err(|_| {
        format!(
            "`{name}` is not a format here; FORMAT is one of: {}",
            formats()
        )
    })?;
    if path.is_empty() {
        return Err(format!("no PATH after `{name}=`"));
    }
    Ok(Report {
        format,
        path: PathBuf::from(path),
    })
}

/// Opens every report as `--out` is opened (checked before any work: a missing folder or
/// an input is refused), and refuses two outputs of the run that go to one place.
/// `main` is the command's own output (`--out`, or stdout).
pub fn open<F: ValueEnum + Copy>(
    reports: &[Report<F>],
    main: &Output,
    inputs: &[(&str, &Path)],
) -> Result<Vec<(F, Output)>, crate::Error> {
    let mut opened: Vec<(F, Output)> = Vec::with_capacity(reports.len());
    for report in reports {
        let output = Output::new(Some(&report.path), inputs)?;
        let clash = if output.same_target(main) {
            Some(if main.name() == Path::new("-") {
                "standard output is where --format writes (give --out FILE to free it)".to_owned()
            } else {
                "it is also where --out writes".to_owned()
            })
        } else {
            opened
                .iter()
                .find(|(_, other)| output.same_target(other))
                .map(|(format, other)| {
                    format!(
                        "it is also where the `{}` report `{}` goes",
                        name(format),
                        other.name().display()
                    )
                })
        };
        if let Some(message) = clash {
            return Err(crate::Error::Write {
                path: report.path.clone(),
                source: io::Error::new(io::ErrorKind::InvalidInput, message),
            });
        }
        opened.push((report.format, output));
    }
    Ok(opened)
}

/// Writes one report; an error names it as a report, for a run that writes several.
pub fn write<F: ValueEnum>(format: &F, output: Output, bytes: &[u8]) -> anyhow::Result<()> {
    let path = output.name().to_owned();
    output
        .write(bytes)
        .map_err(|e| match e.downcast::<crate::Error>() {
            Ok(crate::Error::Write { source, .. }) => anyhow::anyhow!(
                "cannot write `{}` (the `{}` report): {source}",
                path.display(),
                name(format)
            ),
            Ok(other) => other.into(),
            Err(e) => e,
        })
}

/// The format as the user writes it (`json`).
pub fn name<F: ValueEnum>(format: &F) -> String {
    format
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_owned())
}
