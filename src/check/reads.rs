//! What policies read of each other: a name used twice, `READS` naming a policy the pack
//! lacks, policies that read each other in a cycle, and `decisions("p")` for a policy the
//! reader does not list in `READS`. Each is reported, not only the first.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use rhai::Position;

use super::site::{Site, listed};
use crate::error::Code;
use crate::host::{Policy, PolicyError, declared_at};
use crate::text::did_you_mean;

/// The pack-wide findings over the policies that compiled; `broken` are the files of the
/// pack's policies that did not.
pub fn declarations(policies: &[Policy], broken: &[&str]) -> Vec<PolicyError> {
    let mut findings = Vec::new();
    let mut by_name: BTreeMap<&str, &Policy> = BTreeMap::new();
    for policy in policies {
        match by_name.get(policy.name.as_str()) {
            Some(first) => findings.push(
                *declared_at(
                    policy,
                    "POLICY",
                    format!(
                        "policy name `{}` is already used by `{}`",
                        policy.name, first.file
                    ),
                )
                .with_code(Code::DuplicatePolicy),
            ),
            None => {
                by_name.insert(&policy.name, policy);
            }
        }
    }
    let names: Vec<&str> = by_name.keys().copied().collect();
    for policy in by_name.values() {
        for read in &policy.reads {
            if by_name.contains_key(read.as_str()) {
                continue;
            }
            // A policy is usually named after its file: when that file does not compile,
            // its own finding is the cause, and another name would be a wrong suggestion.
            let file = format!("{read}.rhai");
            if broken.contains(&file.as_str()) {
                findings.push(
                    *declared_at(
                        policy,
                        "READS",
                        format!("`READS` names `{read}`, whose file `{file}` does not compile"),
                    )
                    .with_code(Code::UnknownPolicy)
                    .with_hint(format!("fix `{file}` first (its own finding is listed)")),
                );
            } else {
                findings.push(
                    *declared_at(
                        policy,
                        "READS",
                        format!("`READS` names `{read}`, which is not a policy in this pack"),
                    )
                    .with_code(Code::UnknownPolicy)
                    .with_hint(format!(
                        "{}the policies are {}",
                        did_you_mean(read, names.iter().copied()),
                        listed(names.iter().copied())
                    )),
                );
            }
        }
    }
    for cycle in cycles(&by_name) {
        let first = by_name[cycle[0]];
        let path: Vec<String> = cycle
            .iter()
            .chain(cycle.first())
            .map(|n| format!("`{n}`"))
            .collect();
        findings.push(
            *declared_at(
                first,
                "READS",
                format!("policies read each other in a cycle: {}", path.join(" → ")),
            )
            .with_code(Code::ReadsCycle)
            .with_hint(
                "a policy can only read policies that run before it: drop one of these `READS`",
            ),
        );
    }
    findings
}

/// Each cycle once, from its smallest name: the shortest way from that name back to it
/// through larger names only.
fn cycles<'a>(by_name: &BTreeMap<&'a str, &Policy>) -> Vec<Vec<&'a str>> {
    let mut found = Vec::new();
    for &start in by_name.keys() {
        let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue = VecDeque::from([start]);
        let mut seen = BTreeSet::from([start]);
        let mut last = None;
        'search: while let Some(at) = queue.pop_front() {
            for read in &by_name[at].reads {
                let Some((&next, _)) = by_name.get_key_value(read.as_str()) else {
                    continue;
                };
                if next == start {
                    last = Some(at);
                    break 'search;
                }
                if next > start && seen.insert(next) {
                    came_from.insert(next, at);
                    queue.push_back(next);
                }
            }
        }
        if let Some(mut at) = last {
            let mut path = vec![at];
            while at != start {
                at = came_from[at];
                path.push(at);
            }
            path.reverse();
            found.push(path);
        }
    }
    found
}

/// `decisions("p")` in a policy: `p` must be a policy of the pack, listed in `READS`.
pub fn decisions(site: &mut Site, read: &str, pos: Position, span: usize) {
    let Some(policy) = site.policy else {
        return;
    };
    if policy.reads.iter().any(|r| r == read) {
        return;
    }
    let names = site.names;
    if !names.iter().any(|n| n == read) {
        let hint = format!(
            "{}the policies are {}",
            did_you_mean(read, names.iter().map(String::as_str)),
            listed(names.iter().map(String::as_str))
        );
        site.report(
            pos,
            span,
            Code::UnknownPolicy,
            format!("`decisions` reads `{read}`, which is not a policy in this pack"),
            Some(hint),
        );
        return;
    }
    let mut reads = policy.reads.clone();
    reads.push(read.to_owned());
    let list: Vec<String> = reads.iter().map(|r| format!("{r:?}")).collect();
    site.report(
        pos,
        span,
        Code::MissingReads,
        format!(
            "policy `{}` reads the decisions of `{read}` but does not list it in `READS`",
            policy.name
        ),
        Some(format!(
            "declare it: `const READS = [{}];`",
            list.join(", ")
        )),
    );
}
