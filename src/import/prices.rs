//! Model prices and exact cost arithmetic: prices per million tokens in the base's
//! currency, costs summed as integer pico-units so totals do not depend on the order
//! records arrive in.

use std::collections::BTreeMap;

/// A price per million tokens, in micro-units (the price times 10⁶): a token then costs
/// exactly this many pico-units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Price(u64);

/// Largest price per million tokens taken: far above any list price, and small enough
/// that token counts times prices never overflow.
const MAX_PRICE: f64 = 1_000_000.0;

impl Price {
    /// From a price per million tokens; at most six decimals (a finer price would be
    /// rounded, and a rounded price is a silent change of cost).
    pub fn per_million(price: f64) -> Result<Price, String> {
        if !price.is_finite() || !(0.0..=MAX_PRICE).contains(&price) {
            return Err(format!(
                "`{price}` is not a price between 0 and {MAX_PRICE}"
            ));
        }
        let micros = (price * 1e6).round();
        if (price * 1e6 - micros).abs() > 1e-6 * micros.max(1.0) {
            return Err(format!("`{price}` has more than six decimals"));
        }
        Ok(Price(micros as u64))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Prices(BTreeMap<String, (Price, Price)>);

impl Prices {
    pub fn insert(&mut self, model: String, input: Price, output: Price) {
        self.0.insert(model, (input, output));
    }

    /// The cost of `input` and `output` tokens of `model`, in pico-units; `None` when
    /// the model has no price.
    pub fn cost(&self, model: &str, input: u64, output: u64) -> Option<Pico> {
        let (pi, po) = self.0.get(model)?;
        Some(Pico(
            u128::from(input) * u128::from(pi.0) + u128::from(output) * u128::from(po.0),
        ))
    }
}

/// An amount in pico-units (10⁻¹² of the currency unit): sums of any number of prices
/// and amounts stay exact and order-free.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pico(pub u128);

impl Pico {
    /// An amount a record gives as a decimal number (LiteLLM's `response_cost`, Claude
    /// Code's `cost_usd`), to the picounit.
    pub fn from_amount(amount: f64) -> Option<Pico> {
        (amount.is_finite() && (0.0..1e15).contains(&amount))
            .then(|| Pico((amount * 1e12).round() as u128))
    }

    pub fn plus(self, other: Pico) -> Pico {
        Pico(self.0.saturating_add(other.0))
    }

    /// The amount in micro-units, rounded half to even as the snapshot counts costs.
    pub fn micros(self) -> u128 {
        let (whole, rest) = (self.0 / 1_000_000, self.0 % 1_000_000);
        match rest.cmp(&500_000) {
            std::cmp::Ordering::Less => whole,
            std::cmp::Ordering::Greater => whole + 1,
            std::cmp::Ordering::Equal => whole + (whole % 2),
        }
    }

    /// The amount as a JSON number with at most six decimals, exactly the micro-units
    /// the snapshot will count.
    pub fn json_number(self) -> String {
        let micros = self.micros();
        let (units, frac) = (micros / 1_000_000, micros % 1_000_000);
        if frac == 0 {
            return units.to_string();
        }
        let frac = format!("{frac:06}");
        format!("{units}.{}", frac.trim_end_matches('0'))
    }
}

/// How many units of the base's currency a US dollar is worth, for the amounts sources
/// give in US dollars (LiteLLM's `response_cost`, Claude Code's `cost_usd`). It names
/// the currency it converts to, so a mapping reused with a base in another currency is
/// refused rather than applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsdRate {
    pub code: String,
    /// The rate in micro-units (the rate times 10⁶).
    micros: u64,
}

impl UsdRate {
    /// At most six decimals, more than 0 and at most `MAX_PRICE` (a US dollar in US
    /// dollars is 1).
    pub fn new(code: String, rate: f64) -> Result<UsdRate, String> {
        if !rate.is_finite() || rate <= 0.0 || rate > MAX_PRICE {
            return Err(format!(
                "`{rate}` is not a rate above 0 and at most {MAX_PRICE}"
            ));
        }
        let micros = (rate * 1e6).round();
        if (rate * 1e6 - micros).abs() > 1e-6 * micros.max(1.0) || micros < 1.0 {
            return Err(format!("`{rate}` has more than six decimals"));
        }
        if code == "USD" && micros != 1e6 {
            return Err(format!("`{rate}`: a US dollar is 1 US dollar"));
        }
        Ok(UsdRate {
            code,
            micros: micros as u64,
        })
    }

    /// An amount in US dollars in the base's currency, rounded half to even to the
    /// pico-unit; applied to a run's total, so the order of its records does not matter.
    pub fn convert(&self, usd: Pico) -> Pico {
        let scaled = usd.0.saturating_mul(u128::from(self.micros));
        let (whole, rest) = (scaled / 1_000_000, scaled % 1_000_000);
        Pico(match rest.cmp(&500_000) {
            std::cmp::Ordering::Less => whole,
            std::cmp::Ordering::Greater => whole + 1,
            std::cmp::Ordering::Equal => whole + (whole % 2),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_per_million_is_exact_per_token() {
        let p = Price::per_million(0.15).unwrap();
        let mut prices = Prices::default();
        prices.insert("m".into(), p, Price::per_million(0.6).unwrap());
        // 1000 × 0.15 / 10⁶ + 10 × 0.6 / 10⁶ = 0.000156
        assert_eq!(
            prices.cost("m", 1000, 10).unwrap().json_number(),
            "0.000156"
        );
        assert!(Price::per_million(0.0000001).is_err());
    }

    #[test]
    fn micros_round_half_to_even() {
        assert_eq!(Pico(2_500_000).micros(), 2);
        assert_eq!(Pico(3_500_000).micros(), 4);
        assert_eq!(Pico(3_500_001).micros(), 4);
    }

    #[test]
    fn usd_rate_converts_exactly() {
        let rate = UsdRate::new("EUR".into(), 0.92).unwrap();
        assert_eq!(rate.convert(Pico(1_000_000_000_000)), Pico(920_000_000_000));
        // 3 × 0.5 = 1.5 pico-units: half to even.
        let half = UsdRate::new("EUR".into(), 0.5).unwrap();
        assert_eq!(half.convert(Pico(3)), Pico(2));
        assert!(UsdRate::new("EUR".into(), 0.0).is_err());
        assert!(UsdRate::new("EUR".into(), 0.1234567).is_err());
        assert!(UsdRate::new("USD".into(), 0.9).is_err());
    }
}
