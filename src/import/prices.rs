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
}
