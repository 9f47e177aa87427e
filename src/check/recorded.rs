//! The value names each policy records (`d.value("origin_squad", ..)`), read from its
//! syntax tree, so a reader's `p.values.origin_squadd` is caught before any sprint runs.
//! A policy that names a value other than with a string literal, or imports a module
//! (which may record values too), has no list: nothing is said about its readers.

use std::collections::{BTreeMap, BTreeSet};

use rhai::{ASTNode, Expr, Stmt};

use crate::host::Policy;

/// By policy name: the names it records, or `None` when they cannot all be known.
pub type Recorded = BTreeMap<String, Option<BTreeSet<String>>>;

pub fn of(policies: &[Policy]) -> Recorded {
    policies
        .iter()
        .map(|p| (p.name.clone(), names(p)))
        .collect()
}

fn names(policy: &Policy) -> Option<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    let mut known = true;
    policy.ast.walk(&mut |path: &[ASTNode]| {
        match path.last() {
            Some(ASTNode::Stmt(Stmt::Import(..))) => known = false,
            Some(ASTNode::Expr(Expr::MethodCall(call, _))) if call.name == "value" => {
                match call.args.first() {
                    Some(Expr::StringConstant(name, _)) if call.args.len() == 2 => {
                        names.insert(name.to_string());
                    }
                    _ => known = false,
                }
            }
            _ => {}
        }
        known
    });
    known.then_some(names)
}
