//! The decision API's literal arguments: operators, units and severities it does not know,
//! thresholds of a type the operator cannot compare (`const MIN_USES = "10"` against a
//! number), and outcome labels a policy records without declaring them in `OUTCOMES`.

use rhai::Position;

use super::site::{Site, listed};
use super::ty::{Literal, Ty};
use crate::error::Code;
use crate::operator::{Op, Unit};
use crate::text::did_you_mean;

/// Severities `d.record` takes.
const SEVERITIES: [&str; 3] = ["info", "warn", "deny"];

/// One argument of a call, with what is known of it.
pub struct Arg {
    pub pos: Position,
    /// Characters the argument spans in the source, for the caret.
    pub span: usize,
    pub ty: Ty,
    /// Its value, when it is a literal or a constant holding one.
    pub literal: Option<Literal>,
    /// The constant it names, if it is one.
    pub constant: Option<String>,
    /// The expression as an author would name it (`v.uses`, `MIN_USES`), when simple.
    pub text: Option<String>,
}

impl Arg {
    fn string(&self) -> Option<&str> {
        match &self.literal {
            Some(Literal::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub fn ty(&self) -> Ty {
        self.literal.as_ref().map_or(self.ty.clone(), Literal::ty)
    }

    /// How a message names it: the constant, the expression, or the literal.
    pub fn named(&self) -> String {
        if let Some(c) = &self.constant {
            return format!("`{c}`");
        }
        if let Some(t) = &self.text {
            return format!("`{t}`");
        }
        self.literal
            .as_ref()
            .map_or_else(|| "the value".into(), |l| format!("`{}`", l.written()))
    }
}

/// `d.check(label, actual, op, threshold[, unit])`.
pub fn check(site: &mut Site, args: &[Arg]) {
    let [_, actual, op, threshold, rest @ ..] = args else {
        return;
    };
    if let Some(unit) = rest.first() {
        unit_known(site, unit);
    }
    let Some(o) = op.string() else {
        return;
    };
    if Op::parse(o).is_none() {
        site.report(
            op.pos,
            op.span,
            Code::UnknownOperator,
            format!("unknown operator `{o}` in `d.check`"),
            Some(format!(
                "{}the operators are {}",
                did_you_mean(o, Op::names()),
                listed(Op::names())
            )),
        );
        return;
    }
    operands_fit(site, o, actual, threshold);
}

/// Reports a literal unit `d.check` does not know.
fn unit_known(site: &mut Site, unit: &Arg) {
    let Some(u) = unit.string() else {
        return;
    };
    let names = Unit::known_names();
    if !names.contains(&u) {
        site.report(
            unit.pos,
            unit.span,
            Code::UnknownUnit,
            format!("unknown unit `{u}` in `d.check`"),
            Some(format!(
                "{}the units are {}",
                did_you_mean(u, names),
                listed(names)
            )),
        );
    }
}

/// Reports an actual or a threshold whose type the known operator `o` cannot compare.
fn operands_fit(site: &mut Site, o: &str, actual: &Arg, threshold: &Arg) {
    let (a, t) = (actual.ty(), threshold.ty());
    match o {
        "in" | "not in" => {
            if t != Ty::Array && t != Ty::Unknown {
                wrong(
                    site,
                    threshold,
                    format!("`{o}` needs an array of values"),
                    None,
                );
            }
        }
        "==" | "!=" => {
            let mismatch = (a.is_number() && t == Ty::Str) || (a == Ty::Str && t.is_number());
            if mismatch {
                let words = a.words().unwrap_or_default();
                wrong(
                    site,
                    threshold,
                    format!(
                        "{} is {words}, so `{o}` never sees them equal",
                        actual.named()
                    ),
                    None,
                );
            }
        }
        _ => {
            if matches!(t, Ty::Str | Ty::Bool | Ty::Array | Ty::Map) {
                let fix = threshold.string().and_then(|s| {
                    let c = threshold.constant.as_ref()?;
                    s.trim()
                        .parse::<f64>()
                        .ok()
                        .map(|_| format!("declare it as a number: `const {c} = {};`", s.trim()))
                });
                wrong(site, threshold, format!("`{o}` compares numbers"), fix);
            } else if matches!(a, Ty::Str | Ty::Bool | Ty::Array | Ty::Map) {
                let words = a.words().unwrap_or_default();
                site.report(
                    actual.pos,
                    actual.span,
                    Code::WrongType,
                    format!("{} is {words}, but `{o}` compares numbers", actual.named()),
                    None,
                );
            }
        }
    }
}

/// A threshold whose type the operator cannot use.
fn wrong(site: &mut Site, threshold: &Arg, why: String, fix: Option<String>) {
    let Some(words) = threshold.ty().words() else {
        return;
    };
    let named = threshold.constant.is_some() || threshold.text.is_some();
    let what = match &threshold.literal {
        Some(l) if named => format!("{words} (`{}`)", l.written()),
        _ => words,
    };
    let message = format!("threshold {} is {what}, but {why}", threshold.named());
    site.report(threshold.pos, threshold.span, Code::WrongType, message, fix);
}

/// `d.record(outcome, severity)`.
pub fn record(site: &mut Site, args: &[Arg]) {
    let [outcome, severity] = args else {
        return;
    };
    if let Some(s) = severity.string() {
        if !SEVERITIES.contains(&s) {
            site.report(
                severity.pos,
                severity.span,
                Code::UnknownSeverity,
                format!("unknown severity `{s}` in `d.record`"),
                Some(format!(
                    "{}the severities are {}",
                    did_you_mean(s, SEVERITIES),
                    listed(SEVERITIES)
                )),
            );
        }
    }
    let (Some(label), Some(policy)) = (outcome.string(), site.policy) else {
        return;
    };
    let Some(declared) = &policy.outcomes else {
        return;
    };
    if !declared.iter().any(|d| d == label) {
        let names = declared.iter().map(String::as_str);
        let hint = format!(
            "{}`OUTCOMES` declares {}; add `{label}` there if it is a new outcome",
            did_you_mean(label, names.clone()),
            listed(names)
        );
        site.report(
            outcome.pos,
            outcome.span,
            Code::UndeclaredOutcome,
            format!(
                "outcome `{label}` is not declared in `OUTCOMES` of policy `{}`",
                policy.name
            ),
            Some(hint),
        );
    }
}
