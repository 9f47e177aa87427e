//! The words of `d.check` that are not data: the operator it compares with and the unit
//! its values are shown in, typed once here and written in the decisions document as the
//! strings the policy gave (`">="`, `"micros"`).

use serde::{Deserialize, Serialize};

/// A check's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Op {
    /// `>=`: what the policy had is at least the threshold.
    #[serde(rename = ">=")]
    AtLeast,
    /// `>`: more than the threshold.
    #[serde(rename = ">")]
    MoreThan,
    /// `<=`: at most the threshold.
    #[serde(rename = "<=")]
    AtMost,
    /// `<`: less than the threshold.
    #[serde(rename = "<")]
    LessThan,
    /// `==`: equal to the threshold.
    #[serde(rename = "==")]
    Equal,
    /// `!=`: not equal to the threshold.
    #[serde(rename = "!=")]
    NotEqual,
    /// `in`: one of the threshold's values.
    #[serde(rename = "in")]
    In,
    /// `not in`: none of the threshold's values.
    #[serde(rename = "not in")]
    NotIn,
}

impl Op {
    /// Every operator, in the order the guide and the error messages list them.
    pub const ALL: [Op; 8] = [
        Op::AtLeast,
        Op::MoreThan,
        Op::AtMost,
        Op::LessThan,
        Op::Equal,
        Op::NotEqual,
        Op::In,
        Op::NotIn,
    ];

    /// The operator as a policy writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::AtLeast => ">=",
            Op::MoreThan => ">",
            Op::AtMost => "<=",
            Op::LessThan => "<",
            Op::Equal => "==",
            Op::NotEqual => "!=",
            Op::In => "in",
            Op::NotIn => "not in",
        }
    }

    /// The operator a policy wrote, if it is one.
    pub fn parse(text: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.as_str() == text)
    }

    /// Every operator as a policy writes it, for messages that list them.
    pub fn names() -> [&'static str; 8] {
        Op::ALL.map(Op::as_str)
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The unit a check's values are shown in. A policy may name any unit at run time (only
/// `check` flags a literal it does not know), and the document keeps the name it gave.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    /// Money in micro-units, shown in currency units.
    Micros,
    /// Token counts, a fractional cap shown whole or with its half.
    Tokens,
    /// A name bursar does not know: kept, shown as a plain number.
    Other(String),
}

impl Unit {
    /// The units bursar knows, and how a summary shows values in each.
    pub const KNOWN: [(Unit, &'static str); 2] = [
        (
            Unit::Micros,
            "money in micro-units, shown in currency units (`3.95`)",
        ),
        (
            Unit::Tokens,
            "token counts, a fractional cap shown whole or with its half",
        ),
    ];

    /// The unit as a policy names it.
    pub fn as_str(&self) -> &str {
        match self {
            Unit::Micros => "micros",
            Unit::Tokens => "tokens",
            Unit::Other(name) => name,
        }
    }

    /// The unit a policy named.
    pub fn parse(text: &str) -> Unit {
        match text {
            "micros" => Unit::Micros,
            "tokens" => Unit::Tokens,
            other => Unit::Other(other.to_owned()),
        }
    }

    /// The unit a value's name implies: a `..._micros` value is money.
    pub fn of_name(name: &str) -> Option<Unit> {
        name.ends_with("micros").then_some(Unit::Micros)
    }

    /// The names of the units bursar knows, for messages that list them.
    pub fn known_names() -> [&'static str; 2] {
        ["micros", "tokens"]
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(Unit::parse(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::{Op, Unit};

    /// The document's strings are the policy's: each operator and unit reads back as itself.
    #[test]
    fn operators_and_units_are_written_as_the_policy_wrote_them() {
        for op in Op::ALL {
            let json = serde_json::to_string(&op).unwrap();
            assert_eq!(json, format!("\"{}\"", op.as_str()));
            assert_eq!(serde_json::from_str::<Op>(&json).unwrap(), op);
            assert_eq!(Op::parse(op.as_str()), Some(op));
        }
        assert_eq!(Op::parse("=>"), None);
        for name in ["micros", "tokens", "bananas"] {
            let unit = Unit::parse(name);
            assert_eq!(serde_json::to_string(&unit).unwrap(), format!("\"{name}\""));
            assert_eq!(
                serde_json::from_str::<Unit>(&format!("\"{name}\"")).unwrap(),
                unit
            );
        }
        assert_eq!(Unit::known_names(), Unit::KNOWN.map(|(u, _)| u.to_string()));
    }
}
