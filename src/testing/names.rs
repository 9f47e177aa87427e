//! A case held against the pack it runs on: a policy it names that the pack does not have,
//! or an outcome a policy declares it never produces, would otherwise pass unnoticed
//! (`none` is always true of a policy that does not exist), so the case is broken.

use super::case::{Case, Expected};
use crate::host::Pack;
use crate::{Error, Result};

/// The first name in `case` the pack does not know, as an error at its line.
pub fn against(case: &Case, pack: &Pack) -> Result<()> {
    let broken = |line: usize, message: String| Error::Json {
        origin: case.path.display().to_string(),
        line,
        column: 1,
        message,
    };
    let mut names: Vec<&str> = pack.policies.iter().map(|p| p.name.as_str()).collect();
    // The pack is in dependency order; the author looks a name up alphabetically.
    names.sort_unstable();
    let unknown = |name: &str| {
        let hint = crate::text::closest(name, names.iter().copied())
            .map_or_else(String::new, |c| format!("did you mean `{c}`? "));
        format!(
            "`{name}` is not a policy in this pack; {hint}the policies are {}",
            listed(names.iter().copied())
        )
    };
    let mut named: Vec<(&str, usize)> = case
        .scope
        .iter()
        .filter(|(p, _)| p != super::case::SCOPE_ALL)
        .map(|(p, l)| (p.as_str(), *l))
        .collect();
    named.extend(
        case.expectations
            .iter()
            .map(|e| (e.policy.as_str(), e.line)),
    );
    // Reported in file order, so the first mistake an author sees is the first written.
    named.sort_by_key(|&(_, line)| line);
    if let Some(&(name, line)) = named.iter().find(|(n, _)| !names.contains(n)) {
        return Err(broken(line, unknown(name)));
    }
    for exp in &case.expectations {
        let Expected::Decision { outcome, .. } = &exp.expected else {
            continue;
        };
        let Some(policy) = pack.policies.iter().find(|p| p.name == exp.policy) else {
            continue;
        };
        let Some(declared) = &policy.outcomes else {
            continue;
        };
        if !declared.contains(outcome) {
            let hint = crate::text::closest(outcome, declared.iter().map(String::as_str))
                .map_or_else(String::new, |c| format!("did you mean `{c}`? "));
            return Err(broken(
                exp.line,
                format!(
                    "`{}` does not produce `{outcome}` (its `OUTCOMES`); {hint}it declares {}",
                    exp.policy,
                    listed(declared.iter().map(String::as_str))
                ),
            ));
        }
    }
    Ok(())
}

fn listed<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| format!("`{i}`")).collect();
    items.join(", ")
}
