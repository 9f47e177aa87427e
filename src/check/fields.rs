//! Reads of fact fields that do not exist: `v.sucess_rate` on a `Variant` is reported with
//! the nearest field and the list of the type's fields, before any sprint runs.

use rhai::Position;

use super::site::Site;
use super::ty::Ty;
use crate::error::Code;
use crate::host::fields;

/// The type of `.name` read on a handle of type `on`, or a finding when it has no such field.
pub fn property(site: &mut Site, on: &'static str, name: &str, pos: Position) -> Ty {
    let Some(ty) = fields::lookup(on) else {
        return Ty::Unknown;
    };
    if let Some(field) = ty.field(name) {
        return Ty::of(field.kind);
    }
    if let Some((message, hint)) = fields::unknown_field(on, name) {
        site.report(
            pos,
            name.chars().count(),
            Code::UnknownField,
            message,
            Some(hint),
        );
    }
    Ty::Unknown
}

/// The type of `.name(..)` called on a handle of type `on`, when the table lists it.
pub fn method(on: &'static str, name: &str) -> Ty {
    fields::lookup(on)
        .and_then(|t| t.method(name))
        .map_or(Ty::Unknown, |m| Ty::of(m.kind))
}
