//! Totals: subtotal, discount, shipping, tax and total for a cart under the merchant's rules.
//!
//! Order of operations (one rule, everywhere):
//! 1. subtotal = Σ unit price × quantity;
//! 2. discount (percentage rounded down, or fixed), never more than the subtotal;
//! 3. shipping = flat rate, free when subtotal − discount ≥ the free-shipping threshold, and
//!    nothing for an empty cart;
//! 4. tax on (subtotal − discount + shipping), so shipping is taxed the same way as the items:
//!    tax-excluded prices add `base × rate`, tax-included prices contain `base × rate / (1 + rate)`;
//! 5. total = subtotal − discount + shipping (+ tax when prices exclude it).
//!
//! Tax rounding, per currency, to the minor unit: JPY rounds down (切り捨て, the usual Japanese
//! practice); every other currency rounds half away from zero.

use crate::cart::Cart;
use crate::currency::Currency;
use crate::money::Money;

/// A tax rate in thousandths of a percent (8.875 % = 8875), so rates stay integers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaxRate {
    pub millipercent: u32,
}

impl TaxRate {
    /// The highest rate Kago accepts (100 %).
    pub const MAX: TaxRate = TaxRate {
        millipercent: 100_000,
    };

    /// Reads a percentage like `10`, `8.25` or `8.875` (at most three decimals, 0–100).
    pub fn parse_percent(text: &str) -> Option<TaxRate> {
        let millipercent = crate::money::parse_minor(text, 3).ok()?;
        u32::try_from(millipercent)
            .ok()
            .filter(|m| *m <= Self::MAX.millipercent)
            .map(|millipercent| TaxRate { millipercent })
    }
}

/// How a currency's tax is rounded to its minor unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Down,
    HalfUp,
}

impl Rounding {
    pub fn for_currency(currency: Currency) -> Rounding {
        if currency == Currency::JPY {
            Rounding::Down
        } else {
            Rounding::HalfUp
        }
    }

    /// `numerator / denominator` for non-negative operands, rounded by this rule.
    fn divide(self, numerator: i128, denominator: i128) -> i128 {
        match self {
            Rounding::Down => numerator / denominator,
            Rounding::HalfUp => (numerator * 2 + denominator) / (denominator * 2),
        }
    }
}

/// A discount on the subtotal (the codes that grant one come with checkout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Discount {
    /// Basis points of the subtotal (1000 = 10 %), rounded down.
    Percent { basis_points: u32 },
    /// A fixed amount in minor units.
    Fixed { minor: i64 },
}

impl Discount {
    /// The amount taken off `subtotal`, never negative and never more than the subtotal.
    pub fn amount(self, subtotal: i64) -> i64 {
        let raw = match self {
            Discount::Percent { basis_points } => {
                let bp = i128::from(basis_points.min(10_000));
                (i128::from(subtotal) * bp / 10_000) as i64
            }
            Discount::Fixed { minor } => minor,
        };
        raw.clamp(0, subtotal.max(0))
    }
}

/// The merchant's pricing settings, all amounts in minor units of `currency`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricingRules {
    pub currency: Currency,
    pub tax_rate: TaxRate,
    pub tax_included: bool,
    pub shipping_flat: i64,
    pub free_shipping_over: Option<i64>,
}

impl PricingRules {
    pub fn untaxed(currency: Currency) -> PricingRules {
        PricingRules {
            currency,
            tax_rate: TaxRate::default(),
            tax_included: false,
            shipping_flat: 0,
            free_shipping_over: None,
        }
    }
}

/// Everything the shopper sees in the summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    /// True when the cart has items and ships for nothing.
    pub shipping_free: bool,
    /// How much more would make shipping free, when a threshold is set and not yet reached.
    pub free_shipping_remaining: Option<Money>,
    pub tax: Money,
    /// When true, `tax` is already part of `total` ("incl. ¥654 tax").
    pub tax_included: bool,
    pub total: Money,
    pub item_count: u32,
}

/// Prices `cart` under `rules`, with an optional discount.
pub fn price_cart(cart: &Cart, rules: &PricingRules, discount: Option<Discount>) -> Totals {
    let currency = rules.currency;
    let money = |minor: i64| Money::new(minor, currency);
    let subtotal = cart.subtotal();
    let discount = discount.map_or(0, |d| d.amount(subtotal));
    let discounted = subtotal - discount;
    let reaches_free = rules
        .free_shipping_over
        .is_some_and(|over| discounted >= over);
    let shipping = if cart.is_empty() || reaches_free {
        0
    } else {
        rules.shipping_flat.max(0)
    };
    let free_shipping_remaining = match rules.free_shipping_over {
        Some(over) if !cart.is_empty() && !reaches_free && rules.shipping_flat > 0 => {
            Some(money(over - discounted))
        }
        _ => None,
    };
    let base = i128::from(discounted + shipping);
    let rate = i128::from(rules.tax_rate.millipercent);
    let rounding = Rounding::for_currency(currency);
    let tax = if rules.tax_included {
        rounding.divide(base * rate, 100_000 + rate)
    } else {
        rounding.divide(base * rate, 100_000)
    } as i64;
    let total = discounted + shipping + if rules.tax_included { 0 } else { tax };
    Totals {
        subtotal: money(subtotal),
        discount: money(discount),
        shipping: money(shipping),
        shipping_free: !cart.is_empty() && shipping == 0,
        free_shipping_remaining,
        tax: money(tax),
        tax_included: rules.tax_included,
        total: money(total),
        item_count: cart.item_count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::{Item, DEFAULT_MAX_QUANTITY};
    use crate::money::MAX_PRICE_MINOR;
    use proptest::prelude::*;

    fn cart_of(lines: &[(i64, u32)]) -> Cart {
        let mut cart = Cart::default();
        for (n, (price, qty)) in lines.iter().enumerate() {
            let item = Item {
                sku: format!("SKU{n}"),
                variant: None,
                name: format!("P{n}"),
                unit_price: *price,
                image: None,
            };
            cart.add_line(item, *qty).unwrap();
        }
        cart
    }

    fn demo_usd() -> PricingRules {
        PricingRules {
            currency: Currency::USD,
            tax_rate: TaxRate::parse_percent("8").unwrap(),
            tax_included: false,
            shipping_flat: 500,
            free_shipping_over: Some(10_000),
        }
    }

    #[test]
    fn tax_excluded_usd_taxes_items_and_shipping() {
        let t = price_cart(&cart_of(&[(2400, 1), (1850, 1)]), &demo_usd(), None);
        assert_eq!(t.subtotal.minor, 4250);
        assert_eq!(t.shipping.minor, 500);
        assert_eq!(t.tax.minor, 380);
        assert_eq!(t.total.minor, 5130);
        assert_eq!(t.free_shipping_remaining.map(|m| m.minor), Some(5750));
        let t = price_cart(&cart_of(&[(2400, 2), (1850, 1)]), &demo_usd(), None);
        assert_eq!(
            (t.subtotal.minor, t.tax.minor, t.total.minor),
            (6650, 572, 7722)
        );
    }

    #[test]
    fn shipping_is_free_from_the_threshold_and_absent_for_an_empty_cart() {
        let t = price_cart(&cart_of(&[(10_000, 1)]), &demo_usd(), None);
        assert!(t.shipping_free);
        assert_eq!(t.shipping.minor, 0);
        assert_eq!(t.free_shipping_remaining, None);
        let t = price_cart(&Cart::default(), &demo_usd(), None);
        assert_eq!(
            (t.shipping.minor, t.total.minor, t.shipping_free),
            (0, 0, false)
        );
    }

    #[test]
    fn japanese_tax_included_rounds_down() {
        let rules = PricingRules {
            currency: Currency::JPY,
            tax_rate: TaxRate::parse_percent("10").unwrap(),
            tax_included: true,
            shipping_flat: 500,
            free_shipping_over: Some(5000),
        };
        let t = price_cart(&cart_of(&[(4800, 1), (2400, 1)]), &rules, None);
        assert_eq!(
            (t.total.minor, t.tax.minor, t.shipping.minor),
            (7200, 654, 0)
        );
        // 1099 × 10/110 = 99.9… → 99 (down), where half-up would give 100.
        let t = price_cart(&cart_of(&[(599, 1)]), &rules, None);
        assert_eq!((t.total.minor, t.tax.minor), (1099, 99));
    }

    #[test]
    fn half_up_rounding_for_other_currencies() {
        let rules = PricingRules {
            tax_rate: TaxRate::parse_percent("8.875").unwrap(),
            ..demo_usd()
        };
        // (1000 + 500) × 8.875 % = 133.125 → 133; (1004+500) × 8.875 % = 133.48 → 133;
        // (1006+500) → 133.6575 → 134
        assert_eq!(
            price_cart(&cart_of(&[(1000, 1)]), &rules, None).tax.minor,
            133
        );
        assert_eq!(
            price_cart(&cart_of(&[(1006, 1)]), &rules, None).tax.minor,
            134
        );
        assert_eq!(Rounding::HalfUp.divide(5, 10), 1);
        assert_eq!(Rounding::HalfUp.divide(4, 10), 0);
        assert_eq!(Rounding::Down.divide(9, 10), 0);
    }

    #[test]
    fn discounts_are_capped_and_count_toward_free_shipping() {
        assert_eq!(Discount::Percent { basis_points: 1000 }.amount(1999), 199);
        assert_eq!(Discount::Fixed { minor: 5000 }.amount(1200), 1200);
        assert_eq!(Discount::Fixed { minor: -5 }.amount(1200), 0);
        let t = price_cart(
            &cart_of(&[(10_000, 1)]),
            &demo_usd(),
            Some(Discount::Fixed { minor: 1000 }),
        );
        assert_eq!((t.discount.minor, t.shipping.minor), (1000, 500));
        assert_eq!(t.total.minor, 9000 + 500 + 760);
    }

    #[test]
    fn tax_rates_parse_as_percentages() {
        assert_eq!(
            TaxRate::parse_percent("10").map(|r| r.millipercent),
            Some(10_000)
        );
        assert_eq!(
            TaxRate::parse_percent("8.875").map(|r| r.millipercent),
            Some(8875)
        );
        assert_eq!(
            TaxRate::parse_percent("100").map(|r| r.millipercent),
            Some(100_000)
        );
        for bad in ["100.001", "-1", "ten", "8,5", "1.0001", ""] {
            assert_eq!(TaxRate::parse_percent(bad), None, "{bad}");
        }
    }

    fn rules_strategy() -> impl Strategy<Value = PricingRules> {
        (
            prop_oneof![
                Just(Currency::JPY),
                Just(Currency::USD),
                Just(Currency::KWD)
            ],
            0u32..=100_000,
            any::<bool>(),
            0..=MAX_PRICE_MINOR,
            proptest::option::of(0..=MAX_PRICE_MINOR),
        )
            .prop_map(
                |(currency, millipercent, tax_included, shipping_flat, free)| PricingRules {
                    currency,
                    tax_rate: TaxRate { millipercent },
                    tax_included,
                    shipping_flat,
                    free_shipping_over: free,
                },
            )
    }

    fn discount_strategy() -> impl Strategy<Value = Option<Discount>> {
        proptest::option::of(prop_oneof![
            (0u32..=20_000).prop_map(|basis_points| Discount::Percent { basis_points }),
            (-1000..=MAX_PRICE_MINOR).prop_map(|minor| Discount::Fixed { minor }),
        ])
    }

    proptest! {
        #[test]
        fn totals_add_up_and_are_never_negative(
            lines in proptest::collection::vec((0..=MAX_PRICE_MINOR, 1..=DEFAULT_MAX_QUANTITY), 0..40),
            rules in rules_strategy(),
            discount in discount_strategy(),
        ) {
            let t = price_cart(&cart_of(&lines), &rules, discount);
            let tax_added = if t.tax_included { 0 } else { t.tax.minor };
            prop_assert_eq!(t.total.minor, t.subtotal.minor - t.discount.minor + t.shipping.minor + tax_added);
            for amount in [t.subtotal, t.discount, t.shipping, t.tax, t.total] {
                prop_assert!(amount.minor >= 0);
                prop_assert_eq!(amount.currency, rules.currency);
            }
            prop_assert!(t.discount.minor <= t.subtotal.minor);
            if t.tax_included {
                prop_assert!(t.tax.minor <= t.total.minor);
            }
        }

        #[test]
        fn max_quantity_at_max_price_on_every_line_does_not_overflow(rules in rules_strategy()) {
            let lines = vec![(MAX_PRICE_MINOR, DEFAULT_MAX_QUANTITY); crate::cart::MAX_LINES];
            let t = price_cart(&cart_of(&lines), &rules, None);
            prop_assert!(t.total.minor >= t.subtotal.minor - t.discount.minor);
        }
    }
}
