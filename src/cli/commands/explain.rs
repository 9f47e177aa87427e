//! `bursar explain`: one decision of a decisions document for a person, with the chain of
//! decisions it drew on; an unknown subject or policy lists the nearest ones.

use std::path::PathBuf;

use crate::audit::explain::{self, NotFound};
use crate::render::{self, explain::ExplainText, json::Json};

use super::super::args::OutputArgs;
use super::super::status::Status;

super::super::formats::formats!("text", Text, Json);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The decisions document (what `bursar eval` writes as json)
    #[arg(value_name = "DECISIONS.json")]
    decisions: PathBuf,
    /// The subject of the decision: a top-up id, a variant key, `<variant key>@<squad>`, a
    /// squad id, `org`. Every policy's decision about it is explained unless --policy
    /// names one
    subject: String,
    /// Only the decision of this policy
    #[arg(long, value_name = "POLICY")]
    policy: Option<String>,
    #[command(flatten)]
    output: OutputArgs<Format>,
    #[command(flatten)]
    document_limit: super::diff::DocumentLimitArgs,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let output = args
        .output
        .open(&[("the decisions document", args.decisions.as_path())])?;
    let doc = crate::audit::document::read(&args.decisions, args.document_limit.mb())?;
    let explanation = explain::explain(&doc, &args.subject, args.policy.as_deref())
        .map_err(|missing| not_found(&args.decisions, missing))?;
    let text = match args.output.format {
        Format::Text => render::to_string(&ExplainText, &explanation),
        Format::Json => render::to_string(&Json, &explanation),
    };
    output.write(text.as_bytes())?;
    Ok(Status::Clean)
}

/// The error for a subject or policy the document does not have, with the nearest it has.
fn not_found(file: &std::path::Path, missing: NotFound) -> anyhow::Error {
    let file = file.display();
    match missing {
        NotFound::Policy { policy, nearest } => {
            let names: Vec<String> = nearest.iter().map(|p| format!("`{p}`")).collect();
            anyhow::anyhow!(
                "`{file}` has no decision of policy `{policy}`; its nearest policies: {}",
                or_none(&names)
            )
        }
        NotFound::Subject {
            subject,
            policy,
            nearest,
        } => {
            let names: Vec<String> = nearest
                .iter()
                .map(|l| format!("`{}` ({})", l.subject, l.policy))
                .collect();
            let by = policy
                .map(|p| format!(" by policy `{p}`"))
                .unwrap_or_default();
            anyhow::anyhow!(
                "`{file}` has no decision about `{subject}`{by}; the nearest subjects: {}",
                or_none(&names)
            )
        }
    }
}

fn or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none (the document has no decisions)".to_owned()
    } else {
        names.join(", ")
    }
}
