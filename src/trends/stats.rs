//! The few statistics the answer needs: a seeded generator (the same inputs give the
//! same draws, never the clock), Wilson intervals for shares, and bootstrap percentiles.

/// SplitMix64: small, fast and good enough for resampling; seeded from the inputs.
pub struct Draws(u64);

impl Draws {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// A second stream beside this one, which leaves this one where it is.
    pub fn fork(&self, salt: u64) -> Self {
        Self(self.0 ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0); the modulo bias is below 2^-40 for the sizes used here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// FNV-1a over strings: a seed that depends on the inputs only.
pub fn seed_of<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The 95% Wilson score interval of `k` successes in `n` trials ([0, 1] when n = 0).
/// Chosen over the normal interval because it stays inside [0, 1] and keeps its coverage
/// with the handful of candidates a short series has.
pub fn wilson(k: usize, n: usize) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    let z = 1.959_963_984_540_054_f64;
    let n = n as f64;
    let p = k as f64 / n;
    let centre = p + z * z / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    let d = 1.0 + z * z / n;
    [
        ((centre - spread) / d).max(0.0),
        ((centre + spread) / d).min(1.0),
    ]
}

/// The `q` quantile (0..=1) of sorted values, by the nearest rank.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The standard normal quantile: z with P(Z < z) = `p` (0 < p < 1), by Acklam's rational
/// approximation, within 1e-4 of the tables (the test pins six): enough to say how many
/// more candidates a p-value needs.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_671_509_306_76,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let poly = |k: &[f64], x: f64| k.iter().fold(0.0, |acc, &c| acc * x + c);
    let tail = |q: f64| {
        let q = (-2.0 * q.ln()).sqrt();
        poly(&C, q) / (poly(&D, q) * q + 1.0)
    };
    let low = 0.024_25;
    if p < low {
        tail(p)
    } else if p > 1.0 - low {
        -tail(1.0 - p)
    } else {
        let q = p - 0.5;
        let r = q * q;
        poly(&A, r) * q / (poly(&B, r) * r + 1.0)
    }
}

/// Rounds to four decimals, so reports do not carry float noise.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::normal_quantile;

    /// The quantiles every table prints, to the table's digits.
    #[test]
    fn normal_quantiles_match_the_tables() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_964),
            (0.025, -1.959_964),
            (0.001, -3.090_232),
            (0.999_9, 3.719_016),
            (0.1, -1.281_552),
        ] {
            assert!(
                (normal_quantile(p) - z).abs() < 1e-4,
                "{p}: {}",
                normal_quantile(p)
            );
        }
    }
}
