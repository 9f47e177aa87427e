//! The organisations a series can show: `fair`, where every squad is guaranteed
//! capacity (credits fed into the next allocation, as the handbook's rule does) and
//! top-ups follow need, and `entrenched`, where capacity, top-ups and the staying power
//! for long experiments gather in the largest squads; and variations on them, each
//! planting one failure the trends answer must see through (see [`Scenario::ALL`]).
//!
//! Squads keep their order from the first sprint (biggest first), so "the largest
//! squads" are the first quarter of the list in every sprint.

use super::rng::{Rng, cumulative};
use super::world::Squad;

/// Which organisation a series describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// Every squad's baseline by the allocation rule plus its credits; experiments
    /// originated in proportion to capacity, and every squad can sustain one.
    Fair,
    /// Fair, with exactly one documented, approved top-up granted a sprint.
    FairTopups,
    /// The smaller half on three fifths of the rule, the largest quarter asking for most
    /// top-ups and sustaining its experiments, and sometimes taking a catalog entry's
    /// credit.
    Entrenched,
    /// Entrenched further: the smaller half on two fifths of the rule, and no experiment
    /// outside the largest squads lasts long enough to become a candidate.
    Extreme,
    /// Budgets even by the rule, top-ups fair; but experiments last only in the largest
    /// squads (a squad as large as the largest quarter's smallest is one of them):
    /// capacity figures look healthy, only who originates shows it.
    Concentrated,
    /// Fair until two fifths of the way, entrenched from then on.
    Turning,
    /// Fair, but now and then a largest squad runs a smaller squad's experiment first in
    /// the sprints after it began, and so is credited when it becomes a candidate.
    Capture,
    /// Fair, but some catalog entries are written without an origin squad.
    NoOrigin,
    /// Fair, and at most four sprints: too few candidates for an answer.
    Short,
}

impl Scenario {
    /// Every scenario, in the order `--help` lists them.
    pub const ALL: [Scenario; 9] = [
        Self::Fair,
        Self::FairTopups,
        Self::Entrenched,
        Self::Extreme,
        Self::Concentrated,
        Self::Turning,
        Self::Capture,
        Self::NoOrigin,
        Self::Short,
    ];

    /// The name `--scenario` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fair => "fair",
            Self::FairTopups => "fair-topups",
            Self::Entrenched => "entrenched",
            Self::Extreme => "extreme",
            Self::Concentrated => "concentrated",
            Self::Turning => "turning",
            Self::Capture => "capture",
            Self::NoOrigin => "no-origin",
            Self::Short => "short",
        }
    }

    /// The scenario by name.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The answer `bursar trends` should give: `surfacing`, `entrenching` or
    /// `inconclusive`.
    pub fn planted(self) -> &'static str {
        match self {
            Self::Entrenched | Self::Extreme | Self::Concentrated | Self::Turning => "entrenching",
            Self::Short => "inconclusive",
            _ => "surfacing",
        }
    }

    /// The sprint (from 0) a `turning` series turns at, of `sprints`: two fifths of the
    /// way, so the entrenched part has the longer run of candidates.
    pub fn turn(self, sprints: usize) -> Option<usize> {
        (self == Self::Turning).then_some((sprints * 2 / 5).max(1))
    }

    /// How the organisation behaves in sprint `k` of `sprints`: the fair or entrenched
    /// behaviour a scenario builds on.
    pub(super) fn at(self, k: usize, sprints: usize) -> Self {
        match self {
            Self::Turning if self.turn(sprints).is_some_and(|t| k >= t) => Self::Entrenched,
            Self::Turning | Self::FairTopups | Self::Capture | Self::NoOrigin | Self::Short => {
                Self::Fair
            }
            other => other,
        }
    }

    fn entrenched(self) -> bool {
        matches!(self, Self::Entrenched | Self::Extreme)
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
            let up = rng.permille(500) || (self.entrenched() && i < top);
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
                    Self::Extreme if n >= 4 && i + 1 == n => None,
                    Self::Extreme if i >= n / 2 => Some(rule / 5 * 2 + credit),
                    // The smaller half runs on three fifths of the rule, often below the
                    // guaranteed minimum, and the very smallest squad has no budget line.
                    Self::Entrenched if n >= 4 && i + 1 == n => None,
                    Self::Entrenched if i >= n / 2 => {
                        Some(rule / 5 * 3 - 50_000 * rng.below(4) + credit)
                    }
                    _ => Some(rule + credit),
                }
            })
            .collect()
    }

    /// Cumulative weights of which squad asks for a top-up: anyone in `fair`, mostly the
    /// largest quarter in `entrenched`.
    pub(super) fn topup_weights(self, n_squads: usize) -> Vec<u64> {
        let top = top_quartile(n_squads);
        cumulative((0..n_squads).map(|i| match self {
            Self::Extreme if i < top => 8,
            Self::Entrenched if i < top => 4,
            _ => 1,
        }))
    }

    /// Whether an experiment of squad `home` gets the runs to become a candidate: always
    /// in `fair`; in `entrenched`, for the largest squads, and for the rest now and then.
    /// `first` is every squad's first headcount: in `concentrated`, where budgets are
    /// even and size is all that sets the largest squads apart, a squad as large as the
    /// largest quarter's smallest is one of them (else which of two squads of 17 people
    /// is "largest" would be the list's order, which nothing in the data shows).
    pub(super) fn sustains(self, rng: &mut Rng, home: usize, first: &[u64]) -> bool {
        let n_squads = first.len();
        let top = home < top_quartile(n_squads);
        match self {
            Self::Entrenched => top || rng.permille(50),
            Self::Extreme => top,
            Self::Concentrated => {
                let smallest_top = first[top_quartile(n_squads) - 1];
                first[home] >= smallest_top || rng.permille(100)
            }
            _ => true,
        }
    }

    /// The squad a catalog entry names as origin for a variant `home` originated: `home`,
    /// except in `entrenched`, where a largest squad sometimes takes the credit.
    pub(super) fn recorded_origin(self, rng: &mut Rng, home: usize, n_squads: usize) -> usize {
        let top = top_quartile(n_squads);
        let taken = match self {
            _ if !self.entrenched() => false,
            _ if home >= top => rng.permille(700),
            _ => home != 0 && rng.permille(350),
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
