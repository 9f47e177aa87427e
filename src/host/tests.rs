//! The host's field table against what scripts and editors see: every field is a getter
//! a policy can read, and every one is in the definition files `bursar definitions` writes.

use std::path::Path;

use super::fields::TYPES;
use crate::Limits;

/// Every field of the table (`host/fields.rs`) is a getter scripts can read, on a sprint
/// that has one of everything; the other way round, registering a getter the table lacks
/// fails every debug build (`fields::registered`).
#[test]
fn every_field_in_the_table_is_readable() {
    let reach = |ty: &str| -> Option<&str> {
        Some(match ty {
            "Facts" => "facts",
            "Variant" => "facts.variants[0]",
            "Squad" => "facts.squads[0]",
            "Family" => "facts.families[0]",
            "Topup" => "facts.topups[0]",
            "CatalogEntry" => "facts.catalog[0]",
            "Runs" => "facts.runs",
            "Run" => "facts.runs[0]",
            _ => return None,
        })
    };
    let mut script = String::from("const POLICY = \"fields\";\nlet all = [];\n");
    for ty in TYPES {
        let at = reach(ty.name).unwrap_or_else(|| panic!("no way to reach `{}`", ty.name));
        for field in ty.all_fields() {
            script.push_str(&format!("all.push({at}.{});\n", field.name));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fields.rhai"), script).unwrap();
    // As `bursar eval --policies DIR --snapshot examples/sprint-2026-S24.json` runs it.
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sprint-2026-S24.json");
    if let Err(e) = crate::evaluate(&snapshot, dir.path(), Limits::default()) {
        panic!("{}", crate::render::diagnostic::render(&e));
    }
}

/// `bursar definitions`: every field of the table policies read (the guide's source) can
/// be completed.
#[test]
fn every_field_in_the_table_is_in_the_definitions() {
    let files = super::definitions();
    let (_, api) = files
        .iter()
        .find(|(name, _)| name == "__static__.d.rhai")
        .expect("__static__.d.rhai is written");
    for ty in TYPES {
        for field in ty.all_fields() {
            let getter = format!("fn get {}(_: {})", field.name, ty.name);
            assert!(api.contains(&getter), "`{getter}` missing");
        }
    }
}
