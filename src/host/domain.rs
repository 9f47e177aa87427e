//! What a policy promises to decide: `const DECIDES = "topups";` means exactly one decision
//! per top-up id. The host checks the promise after the policy runs, so a policy that
//! skips a subject (or invents one) fails instead of writing a document that looks complete.

use std::collections::BTreeSet;

use crate::facts::Facts;
use crate::snapshot::CatalogStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    Topups,
    Squads,
    StandardCatalog,
    UncataloguedVariants,
    Org,
}

impl Domain {
    pub const ALL: [Domain; 5] = [
        Domain::Topups,
        Domain::Squads,
        Domain::StandardCatalog,
        Domain::UncataloguedVariants,
        Domain::Org,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Domain::Topups => "topups",
            Domain::Squads => "squads",
            Domain::StandardCatalog => "standard-catalog",
            Domain::UncataloguedVariants => "uncatalogued-variants",
            Domain::Org => "org",
        }
    }

    pub fn parse(name: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.name() == name)
    }

    /// The promise, in the handbook's words.
    pub fn promise(self) -> &'static str {
        match self {
            Domain::Topups => "one decision per top-up, subject = top-up id",
            Domain::Squads => "one decision per squad, subject = squad id",
            Domain::StandardCatalog => {
                "one decision per standard catalog entry, subject = variant key"
            }
            Domain::UncataloguedVariants => {
                "one decision per variant key seen in runs and not in the catalog"
            }
            Domain::Org => "one decision, subject = `org`",
        }
    }

    /// Every subject the domain holds for this snapshot.
    pub fn subjects(self, facts: &Facts) -> BTreeSet<String> {
        match self {
            Domain::Topups => facts.snapshot.topups.iter().map(|t| t.id.clone()).collect(),
            Domain::Squads => facts.squads.iter().map(|s| s.id.clone()).collect(),
            Domain::StandardCatalog => facts
                .snapshot
                .catalog
                .iter()
                .filter(|c| c.status == CatalogStatus::Standard)
                .map(|c| c.key())
                .collect(),
            Domain::UncataloguedVariants => facts
                .variants
                .iter()
                .filter(|v| v.catalog_status.is_none())
                .map(|v| v.key.clone())
                .collect(),
            Domain::Org => BTreeSet::from(["org".to_owned()]),
        }
    }
}
