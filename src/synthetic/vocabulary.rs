//! The words a generated organisation is made of: squad, workflow and approver names, and
//! top-up reasons good and bad, so every policy meets both kinds.

/// Squad ids, display names and tags, in an order each seed shuffles; past 24 squads
/// they repeat with a number.
pub(super) const SQUAD_NAMES: [(&str, &str, &[&str]); 24] = [
    ("platform", "Platform", &["enabling"]),
    ("infra", "Infrastructure", &["enabling", "on-call"]),
    ("mobile", "Mobile", &["product"]),
    ("checkout", "Checkout", &["product", "revenue"]),
    ("data-eng", "Data Engineering", &["data"]),
    ("payments", "Payments", &["product", "revenue", "pci"]),
    ("search", "Search", &["product"]),
    ("growth", "Growth", &["product"]),
    ("identity", "Identity", &["security"]),
    ("ml-ops", "ML Ops", &["data"]),
    ("support-tools", "Support Tools", &["internal"]),
    ("docs", "Docs", &["internal"]),
    ("billing", "Billing", &["product", "revenue"]),
    ("notifications", "Notifications", &["product"]),
    ("onboarding", "Onboarding", &["product"]),
    ("analytics", "Analytics", &["data"]),
    ("security", "Security", &["security", "on-call"]),
    ("web", "Web", &["product"]),
    ("api-gateway", "API Gateway", &["enabling"]),
    ("reliability", "Reliability", &["enabling", "on-call"]),
    ("merchandising", "Merchandising", &["product"]),
    ("pricing", "Pricing", &["product", "revenue"]),
    ("messaging", "Messaging", &["product"]),
    ("design-system", "Design System", &["enabling"]),
];

pub(super) const FAMILY_NAMES: [&str; 12] = [
    "refactor+tests",
    "bugfix-triage",
    "dependency-upgrade",
    "migration-plan",
    "security-patch",
    "doc-sync",
    "test-generation",
    "code-review",
    "perf-tuning",
    "api-scaffold",
    "flaky-test-fix",
    "incident-summary",
];

/// Top-up reasons the handbook accepts, each with a justification a reviewer would.
pub(super) const JUSTIFICATIONS: [(&str, &str); 8] = [
    (
        "critical-system",
        "PCI tokenisation migration needs long test-generation runs",
    ),
    (
        "critical-system",
        "Build cache outage follow-up: regenerate integration tests for the scheduler",
    ),
    (
        "in-scope-migration",
        "Warehouse migration from Redshift to the lakehouse, dbt model rewrites",
    ),
    (
        "in-scope-migration",
        "Moving the cart service from the legacy ORM to sqlx, planned in Q4 scope",
    ),
    (
        "incident-response",
        "INC-4412 postmortem actions: bisect and patch the flaky deploy gate",
    ),
    (
        "incident-response",
        "DNS resolver incident: audit and fix retry logic across services",
    ),
    (
        "compliance-deadline",
        "SOC 2 evidence collection for the access-review controls before audit",
    ),
    (
        "compliance-deadline",
        "App store privacy manifest required for the December submission",
    ),
];
/// Reasons the handbook does not list, for the `topups` policy to flag.
pub(super) const UNDOCUMENTED_REASONS: [&str; 2] = ["experimentation", "team-offsite"];
/// Too short to justify anything (padding included, as people paste it).
pub(super) const SHORT_JUSTIFICATIONS: [&str; 3] =
    ["  hotfix for SEV-2  ", "more runs please", "spike"];
pub(super) const APPROVERS: [&str; 4] = ["vp-eng", "cto", "head-of-infra", "director-platform"];
