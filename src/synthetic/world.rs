//! The synthetic organisation a seed describes: squads with budgets, workflow families
//! and their variants, and top-up requests, shaped so every policy has something to decide.
//!
//! Every draw comes from [`Stream::World`] in a fixed order: reordering two draws changes
//! every snapshot, which the pinned digests in the test suite catch.

use super::options::Options;
use super::rng::{Rng, Stream, cumulative, zipf};
use super::sprint::SprintId;
use super::stamp::Offset;
use super::vocabulary::{
    APPROVERS, FAMILY_NAMES, JUSTIFICATIONS, SHORT_JUSTIFICATIONS, SQUAD_NAMES,
    UNDOCUMENTED_REASONS,
};

#[derive(Clone)]
pub(super) struct Squad {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) headcount: u64,
    pub(super) tags: &'static [&'static str],
    /// Where its people work; most of its runs report in this offset.
    pub(super) offset: Offset,
    /// `None` for a new squad nobody budgeted yet.
    pub(super) baseline: Option<u64>,
}

#[derive(Clone)]
pub(super) struct Family {
    pub(super) name: String,
    /// Input tokens scale, per mille of the 20k–400k range.
    pub(super) input_scale: u64,
    /// Output tokens scale, per mille of the 5k–150k range.
    pub(super) output_scale: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Standard,
    Deprecated,
    Exploring,
}

#[derive(Clone)]
pub(super) struct Variant {
    pub(super) family: usize,
    pub(super) name: String,
    pub(super) status: Status,
    pub(super) success_permille: u64,
    /// Price relative to list price, per mille: variants use different models and prompts.
    pub(super) price_permille: u64,
    /// The squad that came up with it: many of an exploring variant's runs are its own.
    pub(super) home_squad: usize,
    pub(super) origin_squad: usize,
    pub(super) promoted_in: String,
}

#[derive(Clone)]
pub(super) struct Topup {
    pub(super) squad: usize,
    pub(super) tokens: u64,
    pub(super) granted: bool,
    pub(super) reason: Option<&'static str>,
    pub(super) justification: Option<&'static str>,
    pub(super) approved_by: Option<&'static str>,
}

#[derive(Clone)]
pub(super) struct World {
    pub(super) sprint: String,
    /// Days since the epoch of the sprint's first day.
    pub(super) start_days: i64,
    pub(super) central_tokens: u64,
    pub(super) squads: Vec<Squad>,
    /// Cumulative run volume per squad, biggest squad first.
    pub(super) squad_weights: Vec<u64>,
    pub(super) families: Vec<Family>,
    pub(super) family_weights: Vec<u64>,
    /// Family by family, `variants_per_family` each.
    pub(super) variants: Vec<Variant>,
    /// Per family: cumulative weights of its variants, indexed like its slice of `variants`.
    pub(super) variant_weights: Vec<Vec<u64>>,
    pub(super) topups: Vec<Topup>,
}

impl World {
    /// The organisation for valid `options` (see [`Options::validate`]).
    pub(super) fn new(options: &Options, sprint: SprintId) -> Self {
        let mut rng = Rng::new(options.seed, Stream::World);
        let squads = squads(&mut rng, options.squads as usize);
        let squad_weights = zipf(options.squads, options.skew);
        let families = families(&mut rng, options.families as usize);
        let family_weights = cumulative(families.iter().map(|_| rng.range(20, 100)));
        let (variants, variant_weights) = variants(
            &mut rng,
            &families,
            options.variants as usize,
            squads.len(),
            sprint,
        );
        let topups = topups(&mut rng, squads.len(), &squad_weights);
        World {
            sprint: options.sprint.clone(),
            start_days: sprint.start_days(),
            central_tokens: options
                .runs
                .saturating_mul(120_000)
                .div_ceil(1_000_000)
                .max(10)
                * 1_000_000,
            squads,
            squad_weights,
            families,
            family_weights,
            variants,
            variant_weights,
            topups,
        }
    }

    /// The index in `variants` of the `offset`-th variant of `family`.
    pub(super) fn variant(&self, family: usize, offset: usize) -> usize {
        family * self.variant_weights[0].len() + offset
    }
}

fn squads(rng: &mut Rng, n: usize) -> Vec<Squad> {
    let mut names: Vec<usize> = (0..SQUAD_NAMES.len()).collect();
    for i in (1..names.len()).rev() {
        names.swap(i, rng.below(i as u64 + 1) as usize);
    }
    // Biggest first: run volume follows rank, and big squads have more people.
    let mut headcounts: Vec<u64> = (0..n).map(|_| rng.range(1, 20)).collect();
    headcounts.sort_unstable_by(|a, b| b.cmp(a));
    let mut squads: Vec<Squad> = headcounts
        .into_iter()
        .enumerate()
        .map(|(i, headcount)| {
            let (base, display, tags) = SQUAD_NAMES[names[i % names.len()]];
            let round = i / names.len();
            let (id, name) = if round == 0 {
                (base.to_owned(), display.to_owned())
            } else {
                (
                    format!("{base}-{}", round + 1),
                    format!("{display} {}", round + 1),
                )
            };
            let offset = match rng.below(100) {
                0..=54 => Offset::Utc,
                55..=84 => Offset::East2,
                _ => Offset::West5,
            };
            // Last sprint's allocation rule, plus the odd credit for promoted work.
            let mut baseline = (headcount * 250_000).clamp(1_000_000, 4_000_000);
            if rng.permille(250) {
                baseline += 250_000;
            } else if rng.permille(150) {
                baseline += 100_000;
            }
            Squad {
                id,
                name,
                headcount,
                tags,
                offset,
                baseline: Some(baseline),
            }
        })
        .collect();
    // Real orgs have a squad on a reduced budget and a new one nobody budgeted yet.
    if n >= 4 {
        let half = n / 2;
        let reduced = half + rng.below((n - half) as u64) as usize;
        squads[reduced].baseline = Some(750_000);
        if n >= 10 {
            let unbudgeted = half + (reduced - half + 1) % (n - half);
            squads[unbudgeted].baseline = None;
        }
    }
    squads
}

fn families(rng: &mut Rng, n: usize) -> Vec<Family> {
    (0..n)
        .map(|i| {
            let base = FAMILY_NAMES[i % FAMILY_NAMES.len()];
            let round = i / FAMILY_NAMES.len();
            Family {
                name: if round == 0 {
                    base.to_owned()
                } else {
                    format!("{base}-{}", round + 1)
                },
                input_scale: rng.range(350, 1000),
                output_scale: rng.range(300, 1000),
            }
        })
        .collect()
}

/// `per_family` variants of each family, and per family the cumulative weights of its
/// variants: `A` and `B` are in the catalog, the others are exploring.
fn variants(
    rng: &mut Rng,
    families: &[Family],
    per_family: usize,
    n_squads: usize,
    sprint: SprintId,
) -> (Vec<Variant>, Vec<Vec<u64>>) {
    let deprecated_family = rng.below(families.len() as u64) as usize;
    // A standard variant that stopped earning its place, for `sunset` to review.
    let sagging_family = (families.len() > 1).then(|| (deprecated_family + 1) % families.len());
    let mut variants = Vec::with_capacity(families.len() * per_family);
    let mut variant_weights = Vec::with_capacity(families.len());
    for f in 0..families.len() {
        let mut weights = Vec::with_capacity(per_family);
        for j in 0..per_family {
            let catalogued = j < 2;
            let status = if catalogued && f == deprecated_family && j + 1 == per_family.min(2) {
                Status::Deprecated
            } else if catalogued {
                Status::Standard
            } else {
                Status::Exploring
            };
            let (success, price, weight) = match status {
                Status::Deprecated => (rng.range(550, 700), rng.range(1000, 1300), 5),
                Status::Standard if j == 1 && Some(f) == sagging_family => {
                    (rng.range(500, 580), rng.range(900, 1200), 25)
                }
                Status::Standard if j == 0 => (rng.range(800, 920), rng.range(900, 1100), 40),
                Status::Standard => (rng.range(780, 900), rng.range(900, 1200), 25),
                // Alternate promising and disappointing experiments, so both promotion
                // outcomes show up whatever the seed.
                Status::Exploring if (f + j) % 2 == 0 => {
                    (rng.range(850, 950), rng.range(800, 1100), 12)
                }
                Status::Exploring if rng.permille(500) => {
                    (rng.range(550, 760), rng.range(850, 1200), 12)
                }
                Status::Exploring => (rng.range(840, 930), rng.range(1500, 1900), 12),
            };
            weights.push(weight);
            let promoted_ago = rng.range(1, 40);
            let home_squad = rng.below(n_squads as u64) as usize;
            let origin_squad = rng.below(n_squads as u64) as usize;
            variants.push(Variant {
                family: f,
                name: char::from(b'A' + j as u8).to_string(),
                status,
                success_permille: success,
                price_permille: price,
                home_squad,
                origin_squad,
                promoted_in: sprint.before(promoted_ago),
            });
        }
        variant_weights.push(cumulative(weights));
    }
    (variants, variant_weights)
}

/// Top-ups of every kind the `topups` policy tells apart: requested and granted,
/// documented or not, approved, unapproved or approved by a blank name.
pub(super) fn topups(rng: &mut Rng, n_squads: usize, squad_weights: &[u64]) -> Vec<Topup> {
    let n = (n_squads * 2 / 3).max(4);
    (0..n)
        .map(|i| {
            let granted = match i {
                0 => false,
                1 => true,
                _ => rng.permille(500),
            };
            let (reason, justification) =
                JUSTIFICATIONS[rng.below(JUSTIFICATIONS.len() as u64) as usize];
            let mut reason = Some(reason);
            let mut justification = Some(justification);
            match rng.below(100) {
                0..=7 => reason = Some(UNDOCUMENTED_REASONS[rng.below(2) as usize]),
                8..=11 => reason = None,
                12..=19 => justification = Some(SHORT_JUSTIFICATIONS[rng.below(3) as usize]),
                20..=22 => justification = None,
                _ => {}
            }
            let approved_by = match (granted, rng.below(100)) {
                (false, _) => None,
                (true, 0..=79) => Some(APPROVERS[rng.below(APPROVERS.len() as u64) as usize]),
                (true, 80..=89) => None,
                (true, _) => Some("   "),
            };
            Topup {
                squad: rng.pick(squad_weights),
                tokens: 50_000 * rng.range(2, 30),
                granted,
                reason,
                justification,
                approved_by,
            }
        })
        .collect()
}
