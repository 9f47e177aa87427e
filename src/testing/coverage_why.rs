//! Why a part of a policy was not exercised, told from the counts alone: which enclosing
//! `if` never went that way, which loop never ran and over what, which earlier `if` always
//! left the block, and whether the policy's `DECIDES` domain was empty in every case.

use serde::Serialize;

use crate::host::coverage::{Construct, Part, PolicyCounts, Site};

/// The domain in words a case author would use for its subjects.
fn domain_subjects(name: &str) -> &'static str {
    match name {
        "topups" => "a top-up",
        "squads" => "a squad",
        "standard-catalog" => "a standard catalog entry",
        "uncatalogued-variants" => {
            "a variant outside the catalog (seen in runs, not in the catalog)"
        }
        "org" => "an org",
        _ => "a subject in it",
    }
}

/// Said of the policy when its `DECIDES` domain held nothing in any case.
pub fn domain_note(p: &PolicyCounts) -> Option<String> {
    let (name, empty) = p.domain?;
    (p.runs > 0 && empty == p.runs).then(|| {
        format!(
            "the policy's `DECIDES` domain `{name}` was empty in every case: no case has {}",
            domain_subjects(name)
        )
    })
}

/// `the \`if\` at line 43 (\`!documented\`)`.
fn describe(s: &Site) -> String {
    match &s.construct {
        Construct::If { condition } => format!("the `if` at line {} (`{condition}`)", s.line),
        Construct::Loop { keyword, over } if over.is_empty() => {
            format!("the `{keyword}` loop at line {}", s.line)
        }
        Construct::Loop { keyword, over } => {
            format!("the `{keyword}` loop at line {} (`{over}`)", s.line)
        }
        Construct::Check { label: Some(l) } => format!("the check `{l}` at line {}", s.line),
        Construct::Check { label: None } => format!("the check at line {}", s.line),
        Construct::Record { .. } => format!("the `d.record` at line {}", s.line),
    }
}

fn times(n: u64) -> String {
    match n {
        1 => "the one time".to_owned(),
        2 => "both times".to_owned(),
        n => format!("all {n} times"),
    }
}

/// What a `for` loop iterates (`facts.topups` of `t in facts.topups`).
fn iterated(over: &str) -> &str {
    over.split_once(" in ")
        .map_or(over, |(_, what)| what.trim())
}

/// Why a loop's body never ran although the loop was reached.
fn never_ran(p: &PolicyCounts, s: &Site) -> String {
    let Construct::Loop { keyword, over } = &s.construct else {
        return String::new();
    };
    let why = match *keyword {
        "for" => format!(
            "`{}` was empty {} it was reached",
            iterated(over),
            times(s.reached)
        ),
        "while" => format!("`{over}` was false {} it was reached", times(s.reached)),
        _ => "it was reached but never entered".to_owned(),
    };
    with_domain(p, format!("{} never ran: {why}", describe(s)))
}

fn with_domain(p: &PolicyCounts, text: String) -> String {
    match domain_note(p) {
        Some(note) => format!("{text}; {note}"),
        None => text,
    }
}

/// Why the site at `i` was never reached.
pub fn unreached(p: &PolicyCounts, i: usize) -> String {
    if p.runs == 0 {
        return "no case ran the policy".to_owned();
    }
    let s = &p.sites[i];
    let Some((a, part)) = s.inside else {
        return earlier_exit(p, i);
    };
    let outer = &p.sites[a];
    if outer.reached == 0 {
        return format!(
            "{} was never reached either: {}",
            describe(outer),
            unreached(p, a)
        );
    }
    let is_if = matches!(outer.construct, Construct::If { .. });
    match part {
        Part::Then if outer.yes == 0 && is_if => {
            with_domain(p, format!("{} was never true", describe(outer)))
        }
        Part::Then if outer.yes == 0 => never_ran(p, outer),
        Part::Else if outer.no == 0 => {
            with_domain(p, format!("{} was never false", describe(outer)))
        }
        Part::Head => format!(
            "the condition of {} always stopped before it (`&&`, `||` or `??`)",
            describe(outer)
        ),
        _ => earlier_exit(p, i),
    }
}

/// A site in a block that ran, yet never reached: an earlier `if` in the same block that
/// always went the same way left the block first (`continue`, `break`, `return`).
fn earlier_exit(p: &PolicyCounts, i: usize) -> String {
    let s = &p.sites[i];
    let earlier = p.sites[..i].iter().rev().find(|e| {
        e.inside == s.inside
            && matches!(e.construct, Construct::If { .. })
            && e.reached > 0
            && (e.no == 0 || e.yes == 0)
    });
    match earlier {
        Some(e) => with_domain(
            p,
            format!(
                "{} was {} {} it was reached, and that way leaves before line {}",
                describe(e),
                if e.no == 0 { "true" } else { "false" },
                times(e.reached),
                s.line
            ),
        ),
        None => format!(
            "something before line {} always left first (`continue`, `break`, `return` or a \
             function never called)",
            s.line
        ),
    }
}

/// The missing items of site `i` (`items`: whether each was exercised, and its name), as
/// one line, or `None` when all were.
/// One thing the cases never exercised. Defined here, beside the reasons, so this file
/// does not import `coverage.rs` back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missing {
    pub line: usize,
    /// What was not exercised (`check \`uses\` never failed`).
    pub what: String,
    /// Why, as far as the counts tell.
    pub why: String,
}

pub fn why_missing(p: &PolicyCounts, i: usize, items: &[(bool, &str)]) -> Option<Missing> {
    if items.iter().all(|(done, _)| *done) {
        return None;
    }
    let s = &p.sites[i];
    let missing = |what: String, why: String| {
        Some(Missing {
            line: s.line,
            what,
            why,
        })
    };
    if s.reached == 0 {
        let what = match &s.construct {
            Construct::Check { .. } => format!("{} never ran", noun(s)),
            _ => format!("{} never reached", noun(s)),
        };
        return missing(what, unreached(p, i));
    }
    match &s.construct {
        Construct::Check { .. } if s.no == 0 => missing(
            format!("{} never failed", noun(s)),
            format!("it passed {} it ran", times(s.reached)),
        ),
        Construct::Check { .. } => missing(
            format!("{} never passed", noun(s)),
            format!("it failed {} it ran", times(s.reached)),
        ),
        Construct::If { condition } => {
            let (never, always) = if s.yes == 0 {
                ("true", "false")
            } else {
                ("false", "true")
            };
            missing(
                format!("{} never {never}", noun(s)),
                with_domain(
                    p,
                    format!(
                        "`{condition}` was {always} {} it was reached",
                        times(s.reached)
                    ),
                ),
            )
        }
        Construct::Loop { .. } => missing(format!("{} body never ran", noun(s)), never_ran(p, s)),
        Construct::Record { .. } => None,
    }
}

/// `check \`uses\``, `\`if\``, `\`for\` loop`.
fn noun(s: &Site) -> String {
    match &s.construct {
        Construct::Check { label: Some(l) } => format!("check `{l}`"),
        Construct::Check { label: None } => "check".to_owned(),
        Construct::If { .. } => "`if`".to_owned(),
        Construct::Loop { keyword, .. } => format!("`{keyword}` loop"),
        Construct::Record { .. } => "`d.record`".to_owned(),
    }
}
