//! The handles scripts hold on the facts: cheap to copy (an `Arc` and an index), opaque to
//! Rhai's container-size checks, each named by its type in the fields table.

use std::sync::Arc;

use super::fields::Scripted;
use crate::facts::{Facts, FamilyFacts, SquadFacts, VariantFacts};
use crate::snapshot::runs::RunView;
use crate::snapshot::{CatalogEntry, Topup};

#[derive(Clone)]
pub struct FactsRef(pub Arc<Facts>);

macro_rules! scripted {
    ($($ty:ty => $name:literal),*) => {
        $(impl Scripted for $ty {
            const TYPE: &'static str = $name;
        })*
    };
}

scripted!(FactsRef => "Facts", VariantRef => "Variant", SquadRef => "Squad",
    FamilyRef => "Family", TopupRef => "Topup", CatalogRef => "CatalogEntry",
    RunRef => "Run", Runs => "Runs");

macro_rules! handle {
    ($name:ident, $target:ty, |$f:ident, $i:ident| $get:expr) => {
        #[derive(Clone)]
        pub struct $name(pub(super) Arc<Facts>, pub(super) usize);
        impl $name {
            pub(super) fn get(&self) -> &$target {
                let ($f, $i) = (&*self.0, self.1);
                $get
            }
        }
    };
}

handle!(VariantRef, VariantFacts, |f, i| &f.variants[i]);
handle!(SquadRef, SquadFacts, |f, i| &f.squads[i]);
handle!(FamilyRef, FamilyFacts, |f, i| f
    .families
    .values()
    .nth(i)
    .expect("index in range"));
handle!(TopupRef, Topup, |f, i| &f.snapshot.topups[i]);
handle!(CatalogRef, CatalogEntry, |f, i| &f.snapshot.catalog[i]);

/// One raw run, read from the columns on demand.
#[derive(Clone)]
pub struct RunRef(pub(super) Arc<Facts>, pub(super) usize);

impl RunRef {
    pub(super) fn get(&self) -> RunView<'_> {
        self.0.snapshot.runs.get(self.1)
    }
}

/// The raw runs, indexable and iterable without copying them into the script.
#[derive(Clone)]
pub struct Runs(pub(super) Arc<Facts>);

/// An iterator over all runs, yielding handles.
impl IntoIterator for Runs {
    type Item = RunRef;
    type IntoIter = Box<dyn Iterator<Item = RunRef>>;

    fn into_iter(self) -> Self::IntoIter {
        let n = self.0.snapshot.runs.len();
        let facts = self.0;
        Box::new((0..n).map(move |i| RunRef(facts.clone(), i)))
    }
}
