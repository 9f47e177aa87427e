//! Operators on values whose type the fields table makes clear: arithmetic on a string
//! (`s.id / s.exploration_tokens`), which fails only when `eval` reaches it, and a string
//! compared with a number, which is never equal and so quietly decides the wrong way.

use rhai::Position;

use super::calls::Arg;
use super::site::Site;
use super::ty::Ty;
use crate::error::Code;

/// Arithmetic a string cannot take (`+` joins a string with anything, so it is left out).
const ARITHMETIC: [&str; 5] = ["-", "*", "/", "%", "**"];
const COMPARISONS: [&str; 6] = ["==", "!=", "<", "<=", ">", ">="];

/// The type of `left op right`, reporting what cannot work; `None` when `op` is not a
/// binary operator this knows.
pub fn binary(site: &mut Site, op: &str, pos: Position, args: &[Arg]) -> Option<Ty> {
    let [left, right] = args else {
        return None;
    };
    let (l, r) = (left.ty(), right.ty());
    let string_and_known = |a: &Ty, b: &Ty| *a == Ty::Str && (b.is_number() || *b == Ty::Str);
    let words = |t: &Ty| t.words().unwrap_or_default();
    if ARITHMETIC.contains(&op) {
        if string_and_known(&l, &r) || string_and_known(&r, &l) {
            site.report(
                pos,
                op.chars().count(),
                Code::StringArithmetic,
                format!(
                    "`{op}` on {} ({}) and {} ({}): a string takes no arithmetic, so `eval` fails here",
                    words(&l),
                    left.named(),
                    words(&r),
                    right.named()
                ),
                Some("use a numeric field (the fields table gives each field's type)".to_owned()),
            );
            return Some(Ty::Unknown);
        }
        return Some(match (&l, &r) {
            (Ty::Int, Ty::Int) => Ty::Int,
            (a, b) if a.is_number() && b.is_number() => Ty::Float,
            _ => Ty::Unknown,
        });
    }
    if COMPARISONS.contains(&op) {
        let mixed = (l == Ty::Str && r.is_number()) || (r == Ty::Str && l.is_number());
        if mixed {
            let always = if op == "!=" {
                "always true"
            } else {
                "never true"
            };
            site.report(
                pos,
                op.chars().count(),
                Code::StringNumberComparison,
                format!(
                    "`{op}` compares {} ({}) with {} ({}): Rhai never compares a string with a number, so this is {always}",
                    words(&l),
                    left.named(),
                    words(&r),
                    right.named()
                ),
                Some("compare a number with a number, or a string with a string".to_owned()),
            );
        }
        return Some(Ty::Bool);
    }
    None
}
