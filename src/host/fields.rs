//! The one table of what a policy can read from `facts`: every type, its fields with their
//! script type and meaning, and the functions that lead from one type to another. The
//! getters in `facts/` are registered through `field!`, which refuses a name this
//! table lacks, `check` looks fields up here, and the authoring guide is written from it.

/// What a field gives a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    /// A float, or `()` when it cannot be computed (no runs, no successes).
    OptFloat,
    Bool,
    Str,
    /// A string, or `()` when the snapshot leaves it out.
    OptStr,
    /// An array of strings.
    Strings,
    /// A map whose keys are data (squad ids, family names) or listed in the meaning.
    Map,
    /// A handle of the named type.
    Of(&'static str),
    /// A handle of the named type, or `()` when there is none.
    OptOf(&'static str),
    /// An array of handles of the named type.
    ListOf(&'static str),
}

impl Kind {
    /// The type as the guide names it.
    pub fn describe(self) -> String {
        match self {
            Kind::Int => "integer".into(),
            Kind::OptFloat => "float or `()`".into(),
            Kind::Bool => "bool".into(),
            Kind::Str => "string".into(),
            Kind::OptStr => "string or `()`".into(),
            Kind::Strings => "array of strings".into(),
            Kind::Map => "map".into(),
            Kind::Of(t) => format!("`{t}`"),
            Kind::OptOf(t) => format!("`{t}` or `()`"),
            Kind::ListOf(t) => format!("array of `{t}`"),
        }
    }
}

/// One field: `name` as a script reads it (`s.headcount`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub meaning: &'static str,
}

/// A function called on a value of a type (`facts.variant(key)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    pub name: &'static str,
    pub args: &'static str,
    pub kind: Kind,
    pub meaning: &'static str,
}

/// One type a policy sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Type {
    pub name: &'static str,
    pub meaning: &'static str,
    pub fields: &'static [Field],
    /// Whether the run counters of [`STATS`] are fields of this type too.
    pub stats: bool,
    pub methods: &'static [Method],
}

impl Type {
    /// Every field of the type, its own first, then the run counters.
    pub fn all_fields(&self) -> impl Iterator<Item = &'static Field> {
        let stats: &'static [Field] = if self.stats { STATS } else { &[] };
        self.fields.iter().chain(stats.iter())
    }

    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.all_fields().find(|f| f.name == name)
    }

    pub fn method(&self, name: &str) -> Option<&'static Method> {
        self.methods.iter().find(|m| m.name == name)
    }
}

const fn f(name: &'static str, kind: Kind, meaning: &'static str) -> Field {
    Field {
        name,
        kind,
        meaning,
    }
}

use super::words::{a_type, has};
use crate::text::did_you_mean;
use Kind::*;

/// The run counters every aggregate has (the snapshot, a variant, a squad, a family, a
/// catalog entry), over the runs it covers.
pub const STATS: &[Field] = &[
    f("uses", Int, "runs, any pool and outcome"),
    f("successes", Int, "runs whose outcome is `success`"),
    f("failures", Int, "runs whose outcome is `failure`"),
    f("abandoned", Int, "runs whose outcome is `abandoned`"),
    f("tokens", Int, "input plus output tokens"),
    f("input_tokens", Int, "input tokens"),
    f("output_tokens", Int, "output tokens"),
    f(
        "exploration_tokens",
        Int,
        "tokens of runs in the exploration pool",
    ),
    f("central_tokens", Int, "tokens of runs in the central pool"),
    f(
        "cost_micros",
        Int,
        "exact cost in micro-units of the currency",
    ),
    f(
        "success_rate",
        OptFloat,
        "successes / uses; `()` without runs",
    ),
    f(
        "cost_per_success",
        OptFloat,
        "cost_micros / successes; `()` without successes",
    ),
];

/// Every type, `Facts` (the global `facts`) first.
pub const TYPES: &[Type] = &[
    Type {
        name: "Facts",
        meaning: "the sprint as a whole: the global `facts`",
        fields: &[
            f(
                "sprint",
                Map,
                "`id`, `start` and `end` of the sprint, as strings",
            ),
            f("org", OptStr, "the organisation, if the snapshot names it"),
            f(
                "currency",
                Str,
                "ISO 4217 code of every cost (default `USD`)",
            ),
            f(
                "variants",
                ListOf("Variant"),
                "every variant key seen in tagged runs",
            ),
            f("squads", ListOf("Squad"), "every squad, in snapshot order"),
            f(
                "families",
                ListOf("Family"),
                "every workflow family seen in runs or the catalog",
            ),
            f("topups", ListOf("Topup"), "every top-up, in snapshot order"),
            f(
                "catalog",
                ListOf("CatalogEntry"),
                "every catalog entry, in snapshot order",
            ),
            f(
                "runs",
                Of("Runs"),
                "the raw runs, for custom policies (iterate or index)",
            ),
            f(
                "untagged",
                Map,
                "runs without a workflow tag: `uses`, `tokens`, `exploration_tokens`, `central_tokens`, `cost_micros`",
            ),
            f(
                "exploration_tokens_by_family",
                Map,
                "family name (and `(no workflow/variant)` for untagged runs, a key no family can have) to exploration tokens",
            ),
            f(
                "exploration_tokens_by_squad",
                Map,
                "squad id to exploration tokens",
            ),
        ],
        stats: true,
        methods: &[
            Method {
                name: "variant",
                args: "key",
                kind: OptOf("Variant"),
                meaning: "the variant `workflow/variant`, or `()` if no tagged run used it",
            },
            Method {
                name: "squad",
                args: "id",
                kind: OptOf("Squad"),
                meaning: "the squad with this id, or `()`",
            },
            Method {
                name: "family",
                args: "name",
                kind: OptOf("Family"),
                meaning: "the workflow family, or `()`",
            },
        ],
    },
    Type {
        name: "Variant",
        meaning: "one workflow variant seen in tagged runs (`facts.variants`, `facts.variant(key)`)",
        fields: &[
            f("key", Str, "`workflow/variant`"),
            f("workflow", Str, "the workflow family"),
            f("variant", Str, "the variant within its family"),
            f(
                "in_catalog",
                Bool,
                "whether the catalog lists it (standard or deprecated)",
            ),
            f(
                "catalog_status",
                OptStr,
                "`standard`, `deprecated`, or `()` when not in the catalog",
            ),
            f("origin_squad", OptStr, "the squad of its earliest run"),
            f("squad_uses", Map, "squad id to runs of this variant"),
            f(
                "evidence",
                Map,
                "`runs`, `first_run_id`, `last_run_id` (and `grouped_runs` from run groups)",
            ),
        ],
        stats: true,
        methods: &[],
    },
    Type {
        name: "Squad",
        meaning: "one squad, in snapshot order (`facts.squads`, `facts.squad(id)`)",
        fields: &[
            f("id", Str, "the squad id"),
            f("name", OptStr, "the display name, if given"),
            f("headcount", Int, "people in the squad"),
            f("tags", Strings, "the squad's tags"),
            f(
                "has_budget",
                Bool,
                "whether the budgets list an exploration baseline for it",
            ),
            f(
                "baseline_tokens",
                Int,
                "its exploration baseline (0 without a budget)",
            ),
            f("granted_topup_tokens", Int, "tokens of its granted top-ups"),
            f(
                "requested_topup_tokens",
                Int,
                "tokens of its requested top-ups",
            ),
            f(
                "untagged_exploration_tokens",
                Int,
                "exploration tokens of its untagged runs",
            ),
        ],
        stats: true,
        methods: &[],
    },
    Type {
        name: "Family",
        meaning: "one workflow family (`facts.families`, `facts.family(name)`)",
        fields: &[
            f("name", Str, "the family (the workflow)"),
            f(
                "variants",
                Strings,
                "its variants seen in runs or the catalog",
            ),
            f(
                "standard_uses",
                Int,
                "runs of its standard catalog variants",
            ),
            f(
                "standard_successes",
                Int,
                "successful runs of its standard catalog variants",
            ),
            f(
                "standard_cost_micros",
                Int,
                "cost of its standard catalog variants' runs",
            ),
            f(
                "standard_cost_per_success",
                OptFloat,
                "the standard baseline: cost per success of its standard variants, `()` without successes",
            ),
        ],
        stats: true,
        methods: &[],
    },
    Type {
        name: "Topup",
        meaning: "one top-up request or grant, in snapshot order (`facts.topups`)",
        fields: &[
            f("id", Str, "the top-up id"),
            f("squad", Str, "the squad it is for"),
            f("tokens", Int, "tokens requested or granted"),
            f("status", Str, "`requested` or `granted`"),
            f("reason", OptStr, "the reason given"),
            f("justification", OptStr, "the justification text"),
            f("approved_by", OptStr, "who approved it"),
        ],
        stats: false,
        methods: &[],
    },
    Type {
        name: "CatalogEntry",
        meaning: "one catalog entry, with the counters of its runs this sprint (`facts.catalog`)",
        fields: &[
            f("key", Str, "`workflow/variant`"),
            f("workflow", Str, "the workflow family"),
            f("variant", Str, "the variant"),
            f("status", Str, "`standard` or `deprecated`"),
            f(
                "origin_squad",
                OptStr,
                "the squad it came from, if recorded",
            ),
            f(
                "promoted_in",
                OptStr,
                "the sprint it was promoted in, if recorded",
            ),
        ],
        stats: true,
        methods: &[],
    },
    Type {
        name: "Runs",
        meaning: "the raw runs (`facts.runs`): `for r in facts.runs`, `facts.runs[i]`",
        fields: &[f("len", Int, "how many runs")],
        stats: false,
        methods: &[],
    },
    Type {
        name: "Run",
        meaning: "one raw run, read on demand (`for r in facts.runs`)",
        fields: &[
            f("id", Str, "the run id"),
            f("squad", Str, "the squad that ran it"),
            f("workflow", OptStr, "the workflow, `()` when untagged"),
            f("variant", OptStr, "the variant, `()` when untagged"),
            f("key", OptStr, "`workflow/variant`, `()` when untagged"),
            f("pool", Str, "`exploration` or `central`"),
            f("outcome", Str, "`success`, `failure` or `abandoned`"),
            f("input_tokens", Int, "input tokens"),
            f("output_tokens", Int, "output tokens"),
            f("tokens", Int, "input plus output tokens"),
            f("cost_micros", Int, "exact cost in micro-units"),
            f("started_at", Str, "the start instant, in UTC"),
        ],
        stats: false,
        methods: &[],
    },
];

/// The type named `name`.
pub fn lookup(name: &str) -> Option<&'static Type> {
    TYPES.iter().find(|t| t.name == name)
}

/// A read of `field`, which the type `on` lacks, in the one wording `check` and a running
/// policy share: the message, and a hint with the nearest field and all of them.
pub fn unknown_field(on: &str, field: &str) -> Option<(String, String)> {
    let names: Vec<&str> = lookup(on)?.all_fields().map(|f| f.name).collect();
    let subject = a_type(on);
    let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    Some((
        format!("{subject} {} no field `{field}`", has(&subject)),
        format!(
            "{}the fields of {subject} are {}",
            did_you_mean(field, names.iter().copied()),
            listed.join(", ")
        ),
    ))
}

/// A script type for each handle Rust registers, so a getter names its table row.
pub trait Scripted {
    const TYPE: &'static str;
}

/// Refuses (in debug builds, where the tests run) a getter the table does not list.
pub fn registered<T: Scripted>(field: &str) {
    debug_assert!(
        lookup(T::TYPE).and_then(|t| t.field(field)).is_some(),
        "getter `{}.{field}` is registered but not in host/fields.rs",
        T::TYPE
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Squadish;
    impl Scripted for Squadish {
        const TYPE: &'static str = "Squad";
    }

    #[test]
    fn a_getter_in_the_table_registers() {
        registered::<Squadish>("headcount");
        registered::<Squadish>("success_rate");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "getter `Squad.head_count` is registered but not in host/fields.rs")]
    fn a_getter_missing_from_the_table_fails_the_build_that_tests() {
        registered::<Squadish>("head_count");
    }

    /// The guide lists types by name: no two share one, and every handle a field leads to
    /// is a type of the table.
    #[test]
    fn every_handle_is_a_type_of_the_table() {
        for ty in TYPES {
            assert_eq!(TYPES.iter().filter(|t| t.name == ty.name).count(), 1);
            for kind in ty
                .all_fields()
                .map(|f| f.kind)
                .chain(ty.methods.iter().map(|m| m.kind))
            {
                if let Kind::Of(t) | Kind::OptOf(t) | Kind::ListOf(t) = kind {
                    assert!(lookup(t).is_some(), "`{}` leads to unknown `{t}`", ty.name);
                }
            }
        }
    }
}
