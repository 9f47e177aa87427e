//! Every broken declaration of a policy, not only the first: compiling stops at the first
//! (`POLICY`, `DESCRIPTION`, `READS`, `OUTCOMES`, `DECIDES`, in that order), so the rest
//! are read here from the file as written, in the same words.

use rhai::{AST, ASTFlags, Expr, Stmt};

use super::site::Site;
use crate::error::Code;
use crate::host::Domain;

/// What a declaration must be written as.
enum Shape {
    Text,
    Names(&'static str),
    Domain,
}

const DECLARATIONS: [(&str, Shape); 5] = [
    ("POLICY", Shape::Text),
    ("DESCRIPTION", Shape::Text),
    ("READS", Shape::Names("an array of policy names")),
    ("OUTCOMES", Shape::Names("an array of outcome labels")),
    ("DECIDES", Shape::Domain),
];

/// The declarations after the first broken one (already reported as `first`) that are
/// broken too.
pub fn after_first(site: &mut Site, ast: &AST, first: &str) {
    // A policy without a name fails before any declaration is read.
    let mut reported = first.starts_with("the policy declares no name");
    for (name, shape) in DECLARATIONS {
        let Some((value, pos)) = ast.statements().iter().find_map(|s| match s {
            Stmt::Var(var, flags, pos) if flags.intersects(ASTFlags::CONSTANT) => {
                (var.0.name == name).then_some((&var.1, *pos))
            }
            _ => None,
        }) else {
            continue;
        };
        let message = match (shape, value) {
            (Shape::Text, Expr::StringConstant(..)) => continue,
            (Shape::Text, _) => format!("`const {name}` must be a string literal"),
            (Shape::Names(_), Expr::Array(items, _))
                if items.iter().all(|i| matches!(i, Expr::StringConstant(..))) =>
            {
                continue;
            }
            (Shape::Names(what), _) => format!("`const {name}` must be {what}"),
            (Shape::Domain, Expr::StringConstant(s, _)) if Domain::parse(s).is_some() => continue,
            (Shape::Domain, Expr::StringConstant(s, _)) => {
                let known: Vec<String> = Domain::ALL
                    .iter()
                    .map(|d| format!("`{}`", d.name()))
                    .collect();
                format!(
                    "`DECIDES` names `{s}`, which is not a domain (use one of {})",
                    known.join(", ")
                )
            }
            (Shape::Domain, _) => format!("`const {name}` must be a string literal"),
        };
        // The first broken declaration is the one compiling reported.
        if !reported && message == first {
            reported = true;
            continue;
        }
        if reported {
            site.report(pos, 5, Code::Declaration, message, None);
        }
    }
}

/// A constant declared twice at the top of a file: Rhai lets the second shadow the first,
/// but bursar reads a declaration (`DECIDES`...) from the first while the script sees the
/// last, so the two disagree about what the policy is.
pub fn repeated(site: &mut Site, ast: &AST) {
    let mut first: Vec<(&str, rhai::Position)> = Vec::new();
    for stmt in ast.statements() {
        let Stmt::Var(var, flags, pos) = stmt else {
            continue;
        };
        if !flags.intersects(ASTFlags::CONSTANT) {
            continue;
        }
        let name = var.0.name.as_str();
        let Some(&(_, at)) = first.iter().find(|(n, _)| *n == name) else {
            first.push((name, *pos));
            continue;
        };
        let line = at
            .line()
            .map_or_else(String::new, |l| format!(" (first on line {l})"));
        let declaration = DECLARATIONS.iter().any(|(d, _)| *d == name);
        let (message, hint) = if declaration {
            (
                format!(
                    "`const {name}` is declared twice{line}: bursar reads the first, the script sees the last"
                ),
                "keep one declaration".to_owned(),
            )
        } else {
            (
                format!(
                    "`const {name}` is declared twice{line}: the second hides the first from there on"
                ),
                "keep one, or give the second its own name".to_owned(),
            )
        };
        site.report(*pos, 5, Code::RepeatedDeclaration, message, Some(hint));
    }
}
