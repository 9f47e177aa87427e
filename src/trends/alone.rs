//! Standing alone: a series called `entrenching` on where its candidates stand, while its
//! experiments' survival does not lean the same way, needs stronger evidence than one
//! where both signs agree.
//!
//! Three rankings of influence, each reading two figures of the same candidates at
//! p < 0.005, let about one fair series in 350 cross a level by chance, and one in 110
//! on the 20 to 30 candidates of two or three experiments a sprint. There, 7 of the 11
//! had their candidates standing past the margin over the whole series while the halves'
//! experiments fared alike (seeds 401 to 700).
//! Entrenchment that builds up in survival (the less influential half's experiments
//! fading before candidacy) shows both signs; entrenchment by volume alone (the
//! influential simply originating more) stands far past the stricter level on any
//! useful number of candidates: 70% of 30 candidates from the top quarter of people is
//! a gap of about 0.45, at p near 1e-5.

use super::access::{Event, Survival, fine_resamples, gap_with};
use super::influence::Ranking;
use super::stats::Draws;
use super::thresholds::{ALONE_ALPHA, CONCUR_ALPHA, standing_p};

/// Whether the less influential half's experiments became candidates less often than
/// the other half's, at p < [`CONCUR_ALPHA`]: survival leaning the way standing does.
pub fn concurs(fared: &Survival) -> bool {
    fared.p_value < CONCUR_ALPHA && fared.ratio().is_some_and(|r| r < 1.0)
}

/// The p-value of the standing signs when they alone call `candidates` entrenched
/// ([`standing_p`], the test they call with, on [`fine_resamples`] resamples). `None`
/// when survival concurs ([`concurs`]), or neither sign reaches its threshold.
pub fn alone(
    candidates: &[&Event],
    rankings: &[Ranking],
    fared: &Survival,
    draws: &mut Draws,
) -> Option<f64> {
    if concurs(fared) {
        return None;
    }
    let g = gap_with(
        candidates,
        rankings,
        fine_resamples(candidates.len()),
        draws,
    )?;
    standing_p(&g)
}

/// Whether `entrenching` on standing alone stands: its p-value below [`ALONE_ALPHA`].
pub fn stands(p: f64) -> bool {
    p < ALONE_ALPHA
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fared(lower: (usize, usize), upper: (usize, usize), p_value: f64) -> Survival {
        Survival {
            lower,
            upper,
            p_value,
        }
    }

    /// Survival concurs when the less influential half's experiments fared worse, beyond
    /// chance at 0.05; not when they fared alike or better, however small the p-value.
    #[test]
    fn survival_concurs_only_when_the_lower_half_fared_worse_beyond_chance() {
        assert!(concurs(&fared((2, 10), (6, 10), 0.03)));
        assert!(!concurs(&fared((2, 10), (6, 10), 0.2)));
        assert!(!concurs(&fared((6, 10), (6, 10), 0.01)));
        assert!(!concurs(&fared((0, 0), (6, 10), 0.01)));
    }

    /// Standing alone stands below 0.001 only.
    #[test]
    fn standing_alone_needs_a_thousandth() {
        assert!(stands(0.0009));
        assert!(!stands(0.001));
        assert!(!stands(0.004));
    }
}
