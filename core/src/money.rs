//! Money as integer minor units of one currency, and the one rule for reading merchant prices.
//!
//! Price rule: a merchant writes a price in major units with ASCII digits and at most one `.`
//! followed by no more digits than the currency's exponent (`4800` for JPY, `12.50` or `12.5` or
//! `12` for USD, `1.250` for KWD). Signs, spaces inside the number, exponents and thousands
//! separators are rejected: `1,200` means 1.2 in some locales and 1200 in others, so Kago refuses
//! to guess.

use crate::currency::Currency;
use std::fmt;

/// The largest amount Kago accepts for one price, in minor units (10^12: ten billion dollars or a
/// trillion yen). Keeps every cart total far inside `i64`.
pub const MAX_PRICE_MINOR: i64 = 1_000_000_000_000;

/// An amount in minor units (cents, yen, fils) of one currency. Never a float.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// Why a merchant price string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PriceError {
    Empty,
    /// A `,` or other separator: a decimal comma in one country, a thousands one in another.
    Separator,
    /// Not a plain decimal number.
    NotANumber,
    /// More decimals than the currency has.
    TooManyDecimals {
        allowed: u8,
    },
    TooLarge,
}

impl fmt::Display for PriceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriceError::Empty => f.write_str("is empty"),
            PriceError::Separator => {
                f.write_str("has a ',' or another separator, read differently from country to country; write digits only, with '.' for decimals (e.g. 1200 or 12.50)")
            }
            PriceError::NotANumber => f.write_str(
                "is not a price; write digits only, with '.' for decimals (e.g. 1200 or 12.50)",
            ),
            PriceError::TooManyDecimals { allowed: 0 } => {
                f.write_str("has decimals, but this currency has none")
            }
            PriceError::TooManyDecimals { allowed } => {
                write!(f, "has more than {allowed} decimal places")
            }
            PriceError::TooLarge => f.write_str("is too large"),
        }
    }
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Money {
        Money { minor: 0, currency }
    }

    /// Reads a merchant price in major units by the rule in the module docs.
    pub fn parse_major(text: &str, currency: Currency) -> Result<Money, PriceError> {
        parse_minor(text, currency.exponent()).map(|minor| Money { minor, currency })
    }

    /// The exact decimal in major units (`"1234.50"`, `"4800"`, `"-3.000"`), the form
    /// `Intl.NumberFormat` formats without going through a float.
    pub fn to_decimal_string(&self) -> String {
        let exp = usize::from(self.currency.exponent());
        let sign = if self.minor < 0 { "-" } else { "" };
        let digits = self.minor.unsigned_abs().to_string();
        if exp == 0 {
            return format!("{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = exp + 1);
        let (major, minor) = padded.split_at(padded.len() - exp);
        format!("{sign}{major}.{minor}")
    }
}

/// Parses a non-negative major-unit decimal into minor units for a currency with `exponent`
/// decimal places.
pub fn parse_minor(text: &str, exponent: u8) -> Result<i64, PriceError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(PriceError::Empty);
    }
    if text.contains([',', '\'', '_', ' ', '\u{a0}']) {
        return Err(PriceError::Separator);
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return Err(PriceError::NotANumber);
    }
    let fraction = fraction.unwrap_or("");
    if fraction.len() > usize::from(exponent) {
        return Err(PriceError::TooManyDecimals { allowed: exponent });
    }
    // 13 whole digits already exceed the limit for every exponent; this also keeps the
    // arithmetic below far from overflow.
    if whole.trim_start_matches('0').len() > 13 {
        return Err(PriceError::TooLarge);
    }
    let mut minor: i64 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        minor = minor * 10 + i64::from(b - b'0');
    }
    for _ in fraction.len()..usize::from(exponent) {
        minor *= 10;
    }
    if minor > MAX_PRICE_MINOR {
        return Err(PriceError::TooLarge);
    }
    Ok(minor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn usd(text: &str) -> Result<i64, PriceError> {
        Money::parse_major(text, Currency::USD).map(|m| m.minor)
    }

    #[test]
    fn merchant_prices_follow_one_rule() {
        assert_eq!(usd("12.50"), Ok(1250));
        assert_eq!(usd("12.5"), Ok(1250));
        assert_eq!(usd("12"), Ok(1200));
        assert_eq!(usd(" 0.99 "), Ok(99));
        assert_eq!(
            Money::parse_major("4800", Currency::JPY).map(|m| m.minor),
            Ok(4800)
        );
        assert_eq!(
            Money::parse_major("1.250", Currency::KWD).map(|m| m.minor),
            Ok(1250)
        );
    }

    #[test]
    fn ambiguous_or_malformed_prices_are_refused() {
        assert_eq!(usd("1,200"), Err(PriceError::Separator));
        assert_eq!(usd("1 200"), Err(PriceError::Separator));
        assert_eq!(usd(""), Err(PriceError::Empty));
        for bad in ["-1", "+1", "1e3", "12.", ".5", "abc", "1.2.3", "１２"] {
            assert_eq!(usd(bad), Err(PriceError::NotANumber), "{bad}");
        }
        assert_eq!(
            usd("1.005"),
            Err(PriceError::TooManyDecimals { allowed: 2 })
        );
        assert_eq!(
            Money::parse_major("12.5", Currency::JPY),
            Err(PriceError::TooManyDecimals { allowed: 0 })
        );
        assert_eq!(usd("99999999999999999999999"), Err(PriceError::TooLarge));
        assert_eq!(usd("10000000000.01"), Err(PriceError::TooLarge));
        assert_eq!(usd("10000000000.00"), Ok(MAX_PRICE_MINOR));
    }

    #[test]
    fn decimal_strings_are_exact() {
        assert_eq!(Money::new(1250, Currency::USD).to_decimal_string(), "12.50");
        assert_eq!(Money::new(5, Currency::USD).to_decimal_string(), "0.05");
        assert_eq!(Money::new(-5, Currency::USD).to_decimal_string(), "-0.05");
        assert_eq!(Money::new(4800, Currency::JPY).to_decimal_string(), "4800");
        assert_eq!(Money::new(1, Currency::KWD).to_decimal_string(), "0.001");
    }

    proptest! {
        #[test]
        fn decimal_string_parses_back(minor in 0..=MAX_PRICE_MINOR, exp in 0u8..=3) {
            let currency = [Currency::JPY, Currency::USD, Currency::USD, Currency::KWD][usize::from(exp)];
            let text = Money::new(minor, currency).to_decimal_string();
            prop_assert_eq!(Money::parse_major(&text, currency), Ok(Money::new(minor, currency)));
        }

        /// `events::to_ga4` divides instead of parsing text: the same double, always.
        #[test]
        fn dividing_by_the_exponent_gives_the_parsed_decimal(minor in -MAX_PRICE_MINOR..=MAX_PRICE_MINOR * 1000, currency in prop_oneof![Just(Currency::JPY), Just(Currency::USD), Just(Currency::KWD)]) {
            let text = Money::new(minor, currency).to_decimal_string();
            let divided = minor as f64 / 10f64.powi(i32::from(currency.exponent()));
            prop_assert_eq!(divided, text.parse::<f64>().unwrap());
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,24}") {
            let _ = usd(&text);
        }
    }
}
