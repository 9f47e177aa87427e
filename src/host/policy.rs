//! One policy: its file compiled, and what it declares (`POLICY`, `DESCRIPTION`, `READS`,
//! `DECIDES`), each declaration checked where it is written.

use std::path::PathBuf;
use std::sync::Arc;

use rhai::{AST, Dynamic, Engine};

use super::source::SourceFile;
use super::syntax::parse_error;
use super::{Domain, PolicyError};
use crate::limits::Limits;

/// What a policy promised to decide (`const DECIDES = "...";`), and where it said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decides {
    pub domain: Domain,
    pub line: Option<usize>,
    pub column: usize,
}

/// One compiled policy and what it declared.
pub struct Policy {
    pub name: String,
    pub description: String,
    pub reads: Vec<String>,
    pub decides: Option<Decides>,
    /// The outcome labels the policy says it records (`const OUTCOMES = [...]`), if it
    /// says; coverage counts them and `check` holds recorded labels to them.
    pub outcomes: Option<Vec<String>>,
    /// File name within the pack, as recorded in decisions (`promotion.rhai`).
    pub file: String,
    /// Path as the user gave it, for error messages.
    pub path: PathBuf,
    pub source: Arc<str>,
    pub sha256: String,
    pub ast: AST,
}

fn constant(ast: &AST, name: &str) -> Option<Dynamic> {
    ast.iter_literal_variables(true, false)
        .find(|(n, ..)| *n == name)
        .map(|(_, _, v)| v)
}

/// Where `const NAME` is declared, as (line, column), for errors about the declaration.
fn declaration(source: &str, name: &str) -> Option<(usize, usize)> {
    source.lines().enumerate().find_map(|(i, line)| {
        let code = line.trim_start();
        let rest = code
            .strip_prefix("const")?
            .trim_start()
            .strip_prefix(name)?;
        rest.trim_start().starts_with('=').then(|| {
            let indent = line.chars().count() - code.chars().count();
            (i + 1, indent + 1)
        })
    })
}

/// An error about a policy's declaration of `name`, placed at it.
pub fn declared_at(policy: &Policy, name: &str, message: String) -> Box<PolicyError> {
    let error = PolicyError::new(&policy.path, message);
    match declaration(&policy.source, name) {
        Some((line, column)) => error.at_line(line, column, Some(&policy.source)),
        None => error,
    }
}

/// Compiles a policy from the text read with its pack and checks its declarations.
// long: compiling a policy is one sequence (strict names, parse, then each declaration
// read and checked in order); each step needs what the earlier ones read
pub fn compile(
    engine: &Engine,
    read: &SourceFile,
    limits: &Limits,
) -> Result<Policy, Box<PolicyError>> {
    let (path, text, source) = (&read.path, &*read.text, &read.text);
    let file = read.file.clone();
    // Strict variables need to know `facts` exists; a plain variable (not a constant)
    // keeps the optimiser from folding its placeholder value into the script.
    let mut names = rhai::Scope::new();
    names.push("facts", ());
    let mut ast = engine
        .compile_with_scope(&names, text)
        .map_err(|e| parse_error(path, source, &e, limits))?;
    ast.set_source(file.as_str());

    let at = |name: &str, error: Box<PolicyError>| match declaration(text, name) {
        Some((line, column)) => error.at_line(line, column, Some(source)),
        None => error,
    };
    let declared = |name: &str| -> Result<Option<String>, Box<PolicyError>> {
        match constant(&ast, name) {
            None => Ok(None),
            Some(v) => v.into_string().map(Some).map_err(|_| {
                at(
                    name,
                    PolicyError::new(path, format!("`const {name}` must be a string literal")),
                )
            }),
        }
    };
    let Some(name) = declared("POLICY")? else {
        return Err(PolicyError::new(
            path,
            "the policy declares no name: add `const POLICY = \"...\";` at the top",
        ));
    };
    let description = declared("DESCRIPTION")?.unwrap_or_default();
    let reads = match constant(&ast, "READS") {
        None => Vec::new(),
        Some(v) => v
            .into_typed_array::<rhai::ImmutableString>()
            .map(|a| a.into_iter().map(|s| s.to_string()).collect())
            .map_err(|_| {
                at(
                    "READS",
                    PolicyError::new(path, "`const READS` must be an array of policy names"),
                )
            })?,
    };
    let outcomes = match constant(&ast, "OUTCOMES") {
        None => None,
        Some(v) => Some(
            v.into_typed_array::<rhai::ImmutableString>()
                .map(|a| a.into_iter().map(|s| s.to_string()).collect())
                .map_err(|_| {
                    at(
                        "OUTCOMES",
                        PolicyError::new(
                            path,
                            "`const OUTCOMES` must be an array of outcome labels",
                        ),
                    )
                })?,
        ),
    };
    let decides = match declared("DECIDES")? {
        None => None,
        Some(name) => {
            let Some(domain) = Domain::parse(&name) else {
                let known: Vec<String> = Domain::ALL
                    .iter()
                    .map(|d| format!("`{}`", d.name()))
                    .collect();
                return Err(at(
                    "DECIDES",
                    PolicyError::new(
                        path,
                        format!(
                            "`DECIDES` names `{name}`, which is not a domain (use one of {})",
                            known.join(", ")
                        ),
                    ),
                ));
            };
            let (line, column) = declaration(text, "DECIDES").unzip();
            Some(Decides {
                domain,
                line,
                column: column.unwrap_or(1),
            })
        }
    };
    Ok(Policy {
        name,
        description,
        reads,
        decides,
        outcomes,
        file,
        path: path.clone(),
        source: source.clone(),
        sha256: read.sha256.clone(),
        ast,
    })
}
