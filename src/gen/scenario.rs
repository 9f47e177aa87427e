//! The two organisations a series can show: `fair`, where every squad is guaranteed
//! capacity and top-ups follow need, and `entrenched`, where capacity, top-ups and the
//! staying power for long experiments gather in the largest squads.
//!
//! Squads keep their order from the first sprint (biggest first), so "the largest
//! squads" are the first quarter of the list in every sprint.

use super::rng::{cumulative, Rng};
use super::world::Squad;

/// Which organisation a series describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    Fair,
    Entrenched,
}

impl Scenario {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fair => "fair",
            Self::Entrenched => "entrenched",
        }
    }
}

/// How far a squad's headcount strays from where it started.
const DRIFT: u64 = 2;
/// Tokens the allocation policy adds for each variant a squad originated.
pub(super) const CREDIT_TOKENS: u64 = 250_000;

/// The squads of the largest quarter (at least one).
pub(super) fn top_quartile(n_squads: usize) -> usize {
    (n_squads / 4).max(1)
}

impl Scenario {
    /// Next sprint's headcounts: a few squads gain or lose a person, within [`DRIFT`] of
    /// where they started (in `entrenched` the largest only grow).
    pub(super) fn drift(self, rng: &mut Rng, squads: &mut [Squad], first: &[u64]) {
        let top = top_quartile(squads.len());
        for (i, (s, &h0)) in squads.iter_mut().zip(first).enumerate() {
            if !rng.permille(200) {
                continue;
            }
            let up = rng.permille(500) || (self == Self::Entrenched && i < top);
            let lo = h0.saturating_sub(DRIFT).max(1);
            let hi = (h0 + DRIFT).min(20);
            s.headcount = if up { s.headcount + 1 } else { s.headcount - 1 }.clamp(lo, hi);
        }
    }

    /// Each squad's exploration baseline for a sprint, from its headcount and the credits
    /// it earned the sprint before (`None`: no budget entry).
    pub(super) fn baselines(
        self,
        rng: &mut Rng,
        squads: &[Squad],
        credits: &[u64],
    ) -> Vec<Option<u64>> {
        let n = squads.len();
        squads
            .iter()
            .zip(credits)
            .enumerate()
            .map(|(i, (s, &credit))| {
                let rule = (s.headcount * 250_000).clamp(1_000_000, 4_000_000);
                match self {
                    Self::Fair => Some(rule + credit),
                    // The smaller half runs on three fifths of the rule, often below the
                    // guaranteed minimum, and the very smallest squad has no budget line.
                    Self::Entrenched if n >= 4 && i + 1 == n => None,
                    Self::Entrenched if i >= n / 2 => {
                        Some(rule / 5 * 3 - 50_000 * rng.below(4) + credit)
                    }
                    Self::Entrenched => Some(rule + credit),
                }
            })
            .collect()
    }

    /// Cumulative weights of which squad asks for a top-up: anyone in `fair`, mostly the
    /// largest quarter in `entrenched`.
    pub(super) fn topup_weights(self, n_squads: usize) -> Vec<u64> {
        let top = top_quartile(n_squads);
        cumulative((0..n_squads).map(|i| match self {
            Self::Fair => 1,
            Self::Entrenched if i < top => 4,
            Self::Entrenched => 1,
        }))
    }

    /// Whether an experiment of squad `home` gets the runs to become a candidate: always
    /// in `fair`; in `entrenched`, for the largest squads, and for the rest now and then.
    pub(super) fn sustains(self, rng: &mut Rng, home: usize, n_squads: usize) -> bool {
        match self {
            Self::Fair => true,
            Self::Entrenched => home < top_quartile(n_squads) || rng.permille(50),
        }
    }

    /// The squad a catalog entry names as origin for a variant `home` originated: `home`,
    /// except in `entrenched`, where a largest squad sometimes takes the credit.
    pub(super) fn recorded_origin(self, rng: &mut Rng, home: usize, n_squads: usize) -> usize {
        let top = top_quartile(n_squads);
        let taken = match self {
            Self::Fair => false,
            Self::Entrenched if home >= top => rng.permille(700),
            Self::Entrenched => home != 0 && rng.permille(350),
        };
        if !taken {
            return home;
        }
        let other = rng.below(top as u64) as usize;
        if other == home {
            (other + 1) % top
        } else {
            other
        }
    }
}
