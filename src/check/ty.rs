//! What the static checks know of a value's type: enough to find the fields a handle has
//! and to see a string meet a numeric check, and `Unknown` wherever it is not clear, so
//! that the checks stay silent rather than guess.

use rhai::Expr;

use crate::host::fields::Kind;

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Unknown,
    /// A handle of a type in the fields table (`Squad`, `Facts`).
    Handle(&'static str),
    /// An array of handles (`facts.squads`).
    List(&'static str),
    /// What `decision(subject)` returns.
    Decision,
    /// What `decisions("p")` returns: the decisions policy `p` recorded.
    Reads(String),
    /// One decision policy `p` recorded, as a reader sees it.
    Read(String),
    /// The `values` of a decision of policy `p`.
    Values(String),
    Int,
    Float,
    Str,
    Bool,
    Array,
    Map,
}

impl Ty {
    pub fn of(kind: Kind) -> Ty {
        match kind {
            Kind::Int => Ty::Int,
            Kind::OptFloat => Ty::Float,
            Kind::Bool => Ty::Bool,
            Kind::Str | Kind::OptStr => Ty::Str,
            Kind::Strings => Ty::Array,
            Kind::Map => Ty::Map,
            Kind::Of(t) | Kind::OptOf(t) => Ty::Handle(t),
            Kind::ListOf(t) => Ty::List(t),
        }
    }

    /// What a `for` loop over a value of this type binds.
    pub fn element(&self) -> Ty {
        match self {
            Ty::List(t) => Ty::Handle(t),
            Ty::Handle("Runs") => Ty::Handle("Run"),
            Ty::Reads(p) => Ty::Read(p.clone()),
            _ => Ty::Unknown,
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Ty::Int | Ty::Float)
    }

    /// The type in an author's words, for messages (`None` when unknown).
    pub fn words(&self) -> Option<String> {
        Some(match self {
            Ty::Unknown => return None,
            Ty::Handle(t) => format!("a `{t}`"),
            Ty::List(t) => format!("an array of `{t}`"),
            Ty::Decision => "a decision".into(),
            Ty::Reads(p) => format!("the decisions of `{p}`"),
            Ty::Read(p) => format!("a decision of `{p}`"),
            Ty::Values(p) => format!("the values of a decision of `{p}`"),
            Ty::Int => "an integer".into(),
            Ty::Float => "a float".into(),
            Ty::Str => "a string".into(),
            Ty::Bool => "a bool".into(),
            Ty::Array => "an array".into(),
            Ty::Map => "a map".into(),
        })
    }
}

/// A value written out in the script: what a constant holds, or a literal argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array,
    Map,
}

impl Literal {
    pub fn of(expr: &Expr) -> Option<Literal> {
        Some(match expr {
            Expr::StringConstant(s, _) => Literal::Str(s.to_string()),
            Expr::IntegerConstant(i, _) => Literal::Int(*i),
            Expr::FloatConstant(f, _) => Literal::Float(**f),
            Expr::BoolConstant(b, _) => Literal::Bool(*b),
            Expr::Array(..) => Literal::Array,
            Expr::Map(..) => Literal::Map,
            _ => return None,
        })
    }

    pub fn ty(&self) -> Ty {
        match self {
            Literal::Str(_) => Ty::Str,
            Literal::Int(_) => Ty::Int,
            Literal::Float(_) => Ty::Float,
            Literal::Bool(_) => Ty::Bool,
            Literal::Array => Ty::Array,
            Literal::Map => Ty::Map,
        }
    }

    /// As the script would write it.
    pub fn written(&self) -> String {
        match self {
            Literal::Str(s) => format!("{s:?}"),
            Literal::Int(i) => i.to_string(),
            Literal::Float(f) => format!("{f:?}"),
            Literal::Bool(b) => b.to_string(),
            Literal::Array => "[...]".into(),
            Literal::Map => "#{...}".into(),
        }
    }
}
