//! Reads of fact fields that do not exist: `v.sucess_rate` on a `Variant` is reported with
//! the nearest field and the list of the type's fields, before any sprint runs.

use rhai::Position;

use super::site::{listed, Site};
use super::suggest::did_you_mean;
use super::ty::Ty;
use crate::host::fields;

/// The type of `.name` read on a handle of type `on`, or a finding when it has no such field.
pub fn property(site: &mut Site, on: &'static str, name: &str, pos: Position) -> Ty {
    let Some(ty) = fields::lookup(on) else {
        return Ty::Unknown;
    };
    if let Some(field) = ty.field(name) {
        return Ty::of(field.kind);
    }
    let names: Vec<&str> = ty.all_fields().map(|f| f.name).collect();
    let hint = format!(
        "{}the fields of `{on}` are {}",
        did_you_mean(name, names.iter().copied()),
        listed(names.iter().copied())
    );
    site.report(
        pos,
        name.chars().count(),
        "unknown-field",
        format!("`{on}` has no field `{name}`"),
        Some(hint),
    );
    Ty::Unknown
}

/// The type of `.name(..)` called on a handle of type `on`, when the table lists it.
pub fn method(on: &'static str, name: &str) -> Ty {
    fields::lookup(on)
        .and_then(|t| t.method(name))
        .map_or(Ty::Unknown, |m| Ty::of(m.kind))
}
