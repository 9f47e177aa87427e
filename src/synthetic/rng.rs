//! The pseudo-random numbers behind every generated value, identical on every machine.
//!
//! Determinism rules: a self-contained PRNG (xoshiro256** seeded by SplitMix64) rather
//! than a crate whose stream may change between versions; draws in integers; and no libm:
//! the one place that needs a power (the squad skew) uses `ln`/`exp` built from IEEE
//! basic operations, which are correctly rounded on every platform, where libm's are not.

/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64 as its authors advise.
pub(super) struct Rng([u64; 4]);

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The independent streams a seed feeds.
#[derive(Clone, Copy)]
pub(super) enum Stream {
    /// Squads, families, variants and top-ups.
    World = 1,
    /// Runs, drawn after the world, so the organisation a seed describes does not change
    /// with `--runs`.
    Runs = 2,
    /// How a series evolves from sprint to sprint (`series`).
    Series = 3,
}

impl Rng {
    pub(super) fn new(seed: u64, stream: Stream) -> Self {
        let mut state = seed ^ (stream as u64).wrapping_mul(0xd134_2543_de82_ef95);
        let mut s = [0; 4];
        for x in &mut s {
            *x = splitmix64(&mut state);
        }
        Self(s)
    }

    fn next(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (Lemire's multiply-shift: its bias, under n / 2^64, is far below
    /// anything a snapshot could show).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub(super) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    pub(super) fn permille(&mut self, p: u64) -> bool {
        self.below(1000) < p
    }

    /// An index drawn with the weights whose running totals are `cumulative`.
    pub(super) fn pick(&mut self, cumulative: &[u64]) -> usize {
        let r = self.below(*cumulative.last().expect("weights are never empty"));
        cumulative.partition_point(|&c| c <= r)
    }
}

/// Running totals of `weights`, as [`Rng::pick`] takes them.
pub(super) fn cumulative(weights: impl IntoIterator<Item = u64>) -> Vec<u64> {
    weights
        .into_iter()
        .scan(0u64, |total, w| {
            *total += w;
            Some(*total)
        })
        .collect()
}

/// ln(x) for x ≥ 1 from basic operations only: x = m·2^e, ln m = 2·atanh((m-1)/(m+1)).
fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & ((1 << 52) - 1)) | (1023 << 52));
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let (mut term, mut sum) = (t, 0.0);
    for k in 0..30 {
        sum += term / f64::from(2 * k + 1);
        term *= t2;
    }
    e as f64 * std::f64::consts::LN_2 + 2.0 * sum
}

/// exp(y) for y ≤ 0 from basic operations only: y = k·ln 2 + r, |r| ≤ ln 2 / 2.
fn exp(y: f64) -> f64 {
    let k = (y / std::f64::consts::LN_2).round();
    if k < -1000.0 {
        return 0.0;
    }
    let r = y - k * std::f64::consts::LN_2;
    let (mut term, mut sum) = (1.0, 1.0);
    for n in 1..25 {
        term *= r / f64::from(n);
        sum += term;
    }
    sum * f64::from_bits(((1023 + k as i64) as u64) << 52)
}

/// Cumulative integer Zipf weights 1/rank^skew, scaled so even the smallest stays above zero.
pub(super) fn zipf(n: u32, skew: f64) -> Vec<u64> {
    cumulative((1..=n).map(|rank| (exp(-skew * ln(f64::from(rank))) * 1e9) as u64 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_rolled_ln_and_exp_are_accurate() {
        for rank in 1..5000u32 {
            let x = f64::from(rank);
            assert!((ln(x) - x.ln()).abs() <= 1e-13 * x.ln().max(1.0), "ln {x}");
            for s in [0.0, 0.5, 1.0, 1.7, 3.0] {
                let want = x.powf(-s);
                assert!((exp(-s * ln(x)) - want).abs() <= 1e-12 * want, "{x}^-{s}");
            }
        }
    }

    #[test]
    fn xoshiro_matches_the_reference_sequence() {
        // From the reference implementation seeded with state [1, 2, 3, 4].
        let mut rng = Rng([1, 2, 3, 4]);
        let got: Vec<u64> = (0..3).map(|_| rng.next()).collect();
        assert_eq!(got, [11520, 0, 1509978240]);
    }
}
