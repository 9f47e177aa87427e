//! A decisions document as SARIF 2.1.0, the format code-scanning UIs (GitHub, GitLab,
//! Azure DevOps, IDE viewers) read: a rule per policy, a result per decision at or above
//! `warn`, located on the policy line that decided it and named by its subject.
//!
//! A policy file's path is the pack folder as the user named it joined with the file's
//! path in the pack (`policies/topups.rhai`), relative to the base id `%SRCROOT%`, the
//! folder bursar ran in, which only the consumer knows (SARIF wants a top-level base id
//! absolute or left to the consumer). GitHub code scanning ignores base ids and reads a
//! relative path from the repository root, so run from the root, both it and viewers
//! that resolve base ids link to the policy line; an absolute `--policies` gives
//! `file:` URIs. No timestamps or invocation details: the same document gives the same
//! bytes.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path};

use serde::Serialize;

use crate::decision::{Check, Decision, Document, PolicyRecord, Severity};
use crate::render::Context;
use crate::render::Emitter;

/// The schema the output follows (the OASIS errata 01 schema, whose copy the tests use).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id of the folder bursar ran in, the one a relative `--policies` starts from.
const ROOT: &str = "%SRCROOT%";

pub struct DecisionsSarif {
    context: Context,
}

impl DecisionsSarif {
    pub fn new(context: &Context) -> Self {
        Self {
            context: context.clone(),
        }
    }
}

impl Emitter<Document> for DecisionsSarif {
    fn emit(&self, out: &mut dyn io::Write, doc: &Document) -> io::Result<()> {
        let policies = &doc.inputs.policies;
        let rules: Vec<Rule> = policies.iter().map(rule).collect();
        let folder = folder_uri(&self.context.policies);
        let results = doc
            .decisions
            .iter()
            .filter_map(|d| {
                let index = policies.iter().position(|p| p.name == d.policy);
                result(d, index.map(|i| (i, &policies[i])), &folder)
            })
            .collect();
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "bursar",
                        version: crate::ENGINE_VERSION,
                        rules,
                    },
                },
                original_uri_base_ids: base_ids(&folder),
                column_kind: "unicodeCodePoints",
                results,
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        out.write_all(b"\n")
    }
}

fn rule(policy: &PolicyRecord) -> Rule<'_> {
    // The schema allows an empty text, but a viewer showing a blank is no help: a policy
    // without a description gets none.
    let description = (!policy.description.is_empty()).then_some(Text {
        text: policy.description.as_str(),
    });
    Rule {
        id: &policy.name,
        short_description: description.clone(),
        full_description: description,
    }
}

/// The result for a decision at or above `warn`; `policy` is its rule's index and record,
/// absent only for a document that names a policy its inputs lack.
fn result<'a>(
    decision: &'a Decision,
    policy: Option<(usize, &'a PolicyRecord)>,
    folder: &str,
) -> Option<SarifResult<'a>> {
    let level = match decision.severity {
        Severity::Deny => "error",
        Severity::Warn => "warning",
        Severity::Info => return None,
    };
    let (file, region) = match where_decided(decision) {
        Some((check, line)) => (
            check.file.as_str(),
            Region {
                start_line: line,
                start_column: check.column,
            },
        ),
        // No located check: the `record` call that decided it, else the policy's first line.
        None => match &decision.site {
            Some(site) => (
                site.file.as_str(),
                Region {
                    start_line: site.line,
                    start_column: Some(site.column),
                },
            ),
            None => (
                policy.map_or("", |(_, p)| p.file.as_str()),
                Region {
                    start_line: 1,
                    start_column: None,
                },
            ),
        },
    };
    let physical = (!file.is_empty()).then(|| PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: format!("{folder}{}", relative_uri(file)),
            uri_base_id: (!folder.starts_with("file:")).then_some(ROOT),
        },
        region,
    });
    Some(SarifResult {
        rule_id: &decision.policy,
        rule_index: policy.map(|(i, _)| i),
        level,
        message: Text {
            text: &decision.explanation.summary,
        },
        locations: [Location {
            physical_location: physical,
            logical_locations: [LogicalLocation {
                name: &decision.subject,
                fully_qualified_name: format!("{}/{}", decision.policy, decision.subject),
                kind: "object",
            }],
        }],
        properties: Properties {
            outcome: &decision.outcome,
        },
    })
}

/// The check a result points at: the first failing one (the comparison that tipped the
/// decision), else the last one made (the decision followed from all of them), each
/// only if it knows its line. `None`: the result points at the policy's first line.
fn where_decided(decision: &Decision) -> Option<(&Check, usize)> {
    let checks = &decision.explanation.checks;
    let check = checks
        .iter()
        .find(|c| !c.pass && c.line.is_some())
        .or_else(|| checks.iter().rfind(|c| c.line.is_some()))?;
    Some((check, check.line?))
}

/// `%SRCROOT%`, described and left for the consumer to resolve (in CI, the checkout);
/// none when the pack folder is absolute and paths are `file:` URIs.
fn base_ids(folder: &str) -> BTreeMap<&'static str, BaseLocation> {
    if folder.starts_with("file:") {
        return BTreeMap::new();
    }
    let root = BaseLocation {
        description: Text {
            text: "the folder bursar ran in",
        },
    };
    [(ROOT, root)].into()
}

/// A folder as a relative URI reference ending in `/` (`policies/`, `../pack/`; empty for
/// the folder bursar ran in), or a `file:` URI for an absolute one, percent-encoded so
/// any path is a valid reference.
fn folder_uri(folder: &Path) -> String {
    let mut uri = String::new();
    for part in folder.components() {
        match part {
            // A drive (`C:`) keeps its colon: `file:///C:/pack/`.
            Component::Prefix(drive) => {
                uri.push_str(&encode(&drive.as_os_str().to_string_lossy()).replace("%3A", ":"))
            }
            Component::RootDir => {
                uri.insert_str(0, "file:///");
                continue;
            }
            // `./policies` is `policies`: GitHub matches paths from the repository root.
            Component::CurDir => continue,
            Component::ParentDir => uri.push_str(".."),
            Component::Normal(name) => uri.push_str(&encode(&name.to_string_lossy())),
        }
        uri.push('/');
    }
    uri
}

/// A path within the pack (`/` between folders) as a relative URI reference.
fn relative_uri(file: &str) -> String {
    file.split('/').map(encode).collect::<Vec<_>>().join("/")
}

/// Percent-encodes every byte but RFC 3986's unreserved characters (a non-ASCII
/// character as its UTF-8 bytes), so a name with spaces, `#`, `%` or `:` stays one path
/// segment.
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

// The subset of the SARIF object model bursar writes, field names as the schema spells
// them.

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, BaseLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text<'a>>,
}

#[derive(Serialize, Clone)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct BaseLocation {
    description: Text<'static>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    properties: Properties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation<'a>>,
    logical_locations: [LogicalLocation<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    fully_qualified_name: String,
    kind: &'static str,
}

/// What SARIF has no field for: the policy's own word for the decision.
#[derive(Serialize)]
struct Properties<'a> {
    outcome: &'a str,
}
