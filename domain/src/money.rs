//! Money: an integer number of minor units and an ISO 4217 currency. Never floats.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An ISO 4217 alphabetic code: three upper-case ASCII letters (`EUR`, `USD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO 4217 currency code (three letters, e.g. EUR)")]
pub struct InvalidCurrency;

impl Currency {
    /// Accepts any case; stores upper case.
    pub fn parse(code: &str) -> Result<Self, InvalidCurrency> {
        let bytes = code.trim().as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_alphabetic) => Ok(Self([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(InvalidCurrency),
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl TryFrom<String> for Currency {
    type Error = InvalidCurrency;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Currency::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> Self {
        value.as_str().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount in minor units (cents) of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub amount: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: i64, currency: Currency) -> Self {
        Self { amount, currency }
    }
}

/// The largest amount any input may carry, in minor units: 10^13 (100 billion in a currency
/// with cents). Every money input (order amounts, costs and prices, deal amounts, refunds,
/// acquisition costs, spend thresholds) is bounded by it, so sums of millions of them stay
/// far from `i64::MAX` and a product with a probability or a rate fits an `i128`.
pub const MAX_MINOR_UNITS: i64 = 10_000_000_000_000;

/// An amount of minor units that passed the edge's bound: `0..=MAX_MINOR_UNITS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MinorUnits(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be between 0 and 10^13 minor units")]
pub struct AmountOutOfRange;

impl MinorUnits {
    /// Accepts `0..=MAX_MINOR_UNITS`.
    pub fn parse(minor: i64) -> Result<Self, AmountOutOfRange> {
        if (0..=MAX_MINOR_UNITS).contains(&minor) {
            Ok(Self(minor))
        } else {
            Err(AmountOutOfRange)
        }
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_bounded_at_ten_to_the_thirteen() {
        assert_eq!(MinorUnits::parse(0).map(MinorUnits::get), Ok(0));
        assert_eq!(
            MinorUnits::parse(MAX_MINOR_UNITS).map(MinorUnits::get),
            Ok(MAX_MINOR_UNITS)
        );
        for bad in [-1, MAX_MINOR_UNITS + 1, i64::MAX, i64::MIN] {
            assert_eq!(MinorUnits::parse(bad), Err(AmountOutOfRange), "{bad}");
        }
    }

    #[test]
    fn currencies_are_three_letters_upper_cased() {
        assert_eq!(Currency::parse("eur").unwrap().as_str(), "EUR");
        for bad in ["", "EU", "EURO", "E1R", "€€€"] {
            assert!(Currency::parse(bad).is_err(), "{bad}");
        }
    }
}
