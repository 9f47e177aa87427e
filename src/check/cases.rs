//! Value names in the pack's cases (`<pack>/tests/*.case`) that the policy never records:
//! `health org healthy untagged_shar=0.5` would only fail as "got no value" when run, so
//! `check` names the nearest recorded name (`untagged_share`) before any case runs. Case
//! files that do not parse are left to `bursar test`, which reports them at their line.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::recorded::Recorded;
use super::site::listed;
use crate::error::Code;
use crate::host::PolicyError;
use crate::testing::{Case, Expected};

/// The findings in the cases under `tests` (none when it is not a folder); a case larger
/// than `max_bytes` is not read.
pub fn values(tests: &Path, recorded: &Recorded, max_bytes: u64) -> Vec<PolicyError> {
    if !tests.is_dir() {
        return Vec::new();
    }
    let Ok(found) = crate::testing::case::discover(&[tests.to_owned()]) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for path in &found.files {
        let Some(text) = read(path, max_bytes) else {
            continue;
        };
        let Ok(case) = Case::parse(path, text) else {
            continue;
        };
        let source: Arc<str> = Arc::from(case.text.as_str());
        for exp in &case.expectations {
            let Expected::Decision { values, .. } = &exp.expected else {
                continue;
            };
            let Some(Some(names)) = recorded.get(&exp.policy) else {
                continue;
            };
            let line = case.text.lines().nth(exp.line - 1).unwrap_or_default();
            for (name, _) in values.iter().filter(|(n, _)| !names.contains(n)) {
                let column = line
                    .find(&format!("{name}="))
                    .map(|at| line[..at].chars().count() + 1);
                let mut finding =
                    PolicyError::new(path, format!("`{}` records no value `{name}`", exp.policy))
                        .with_code(Code::UnknownCaseValue)
                        .with_span(name.chars().count())
                        .with_hint(format!(
                            "{}`{}` records {}",
                            crate::text::did_you_mean(name, names.iter().map(String::as_str)),
                            exp.policy,
                            if names.is_empty() {
                                "no values".to_owned()
                            } else {
                                listed(names.iter().map(String::as_str))
                            }
                        ));
                (finding.line, finding.column) = (Some(exp.line), column);
                finding.source_text = Some(source.clone());
                findings.push(*finding);
            }
        }
    }
    findings
}

/// The case's text, when it is UTF-8 and within `max_bytes` (read no further).
fn read(path: &Path, max_bytes: u64) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > max_bytes {
        return None;
    }
    String::from_utf8(bytes).ok()
}
