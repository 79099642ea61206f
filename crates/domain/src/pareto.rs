//! The top 20% (Pareto): which accounts hold most of the revenue.
//!
//! Rules (the database applies the same ones in one statement; the tests
//! compare it with these functions):
//! - A tenant keeps **exchange rates** to its default currency, each dated:
//!   `rate` units of the default currency buy one unit of `currency`, from
//!   `validFrom` on. The rate **in effect** for a currency is its newest
//!   rate whose `validFrom` is on or before today (in the tenant's time
//!   zone). The default currency's rate is always 1 and cannot be set.
//! - An account is **ranked** when it is live and not archived, has an
//!   annual revenue, and its revenue's currency is the default currency or
//!   has a rate in effect. Otherwise it has no rank, and says why
//!   ([`Unranked`]: archived, no revenue, no exchange rate, in that order).
//! - Ranked accounts are ordered by revenue converted to the default
//!   currency, largest first, with **competition ranking**: equal revenues
//!   share a rank and the next rank skips (1, 2, 2, 4).
//! - The **top 20%** are the accounts whose rank is at most
//!   `ceil(ranked / 5)`: with ties at the boundary every tied account is in
//!   (so the group can hold more than a fifth); with fewer than five ranked
//!   accounts, the first rank is the top 20%.
//! - The **Pareto revenue share** is the top 20%'s converted revenue over
//!   all ranked accounts' converted revenue (none when that is zero).

use crate::error::ValidationError;
use crate::text::CurrencyCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Decimal places an exchange rate keeps.
pub const RATE_SCALE: u32 = 9;

/// The stored form of the default currency's rate (1).
pub const UNIT_RATE: i64 = 1_000_000_000;

/// The largest rate accepted (units of the default currency per unit).
const MAX_RATE: i64 = 1_000_000;

/// An exchange rate to the tenant's default currency, from a day on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRate {
    pub currency: CurrencyCode,
    /// Units of the default currency per unit of `currency`, in
    /// billionths ([`RATE_SCALE`] decimal places).
    pub rate_e9: i64,
    pub valid_from: NaiveDate,
}

impl ExchangeRate {
    /// Checks a rate for a tenant whose default currency is `default`.
    pub fn parse(
        currency: &str,
        rate: Decimal,
        valid_from: NaiveDate,
        default: &str,
    ) -> Result<Self, ValidationError> {
        let currency = CurrencyCode::parse("currency", currency)?;
        if currency.as_str() == default {
            return Err(ValidationError::new(
                "currency",
                format!("{default} is the default currency: its rate is always 1"),
            ));
        }
        Ok(ExchangeRate {
            currency,
            rate_e9: rate_e9("rate", rate)?,
            valid_from,
        })
    }

    /// The rate as a decimal.
    pub fn rate(&self) -> Decimal {
        rate_of(self.rate_e9)
    }
}

/// A positive rate with at most [`RATE_SCALE`] decimals, in billionths.
pub fn rate_e9(field: &str, rate: Decimal) -> Result<i64, ValidationError> {
    if rate <= Decimal::ZERO {
        return Err(ValidationError::new(field, "must be greater than 0"));
    }
    if rate.normalize().scale() > RATE_SCALE {
        return Err(ValidationError::new(
            field,
            format!("must have at most {RATE_SCALE} decimal places"),
        ));
    }
    if rate > Decimal::from(MAX_RATE) {
        return Err(ValidationError::new(
            field,
            format!("must be at most {MAX_RATE}"),
        ));
    }
    let scaled = rate * Decimal::from(UNIT_RATE);
    i64::try_from(scaled.trunc()).map_err(|_| ValidationError::new(field, "is too large"))
}

/// A stored rate as a decimal.
pub fn rate_of(rate_e9: i64) -> Decimal {
    Decimal::new(rate_e9, RATE_SCALE).normalize()
}

/// Revenue of `minor` ten-thousandths converted at `rate_e9`, in
/// ten-thousandths of the default currency (rounded half away from zero;
/// saturated at `i64::MAX`).
pub fn converted_minor(minor: i64, rate_e9: i64) -> i64 {
    let product = i128::from(minor) * i128::from(rate_e9);
    let unit = i128::from(UNIT_RATE);
    let rounded = (product + unit / 2).div_euclid(unit);
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// Why an account has no revenue rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unranked {
    /// The account is archived: only the active portfolio is ranked.
    Archived,
    /// The account has no annual revenue.
    NoRevenue,
    /// The revenue's currency has no exchange rate in effect.
    NoExchangeRate,
}

impl Unranked {
    /// Why an account is not ranked, if it is not (see the module's rules).
    pub fn of(archived: bool, has_revenue: bool, has_rate: bool) -> Option<Self> {
        if archived {
            Some(Unranked::Archived)
        } else if !has_revenue {
            Some(Unranked::NoRevenue)
        } else if !has_rate {
            Some(Unranked::NoExchangeRate)
        } else {
            None
        }
    }

    /// A sentence a person can read.
    pub fn explanation(self) -> &'static str {
        match self {
            Unranked::Archived => "archived accounts are not ranked",
            Unranked::NoRevenue => "the account has no annual revenue",
            Unranked::NoExchangeRate => {
                "the revenue's currency has no exchange rate to the default currency in effect"
            }
        }
    }
}

/// How many ranks make the top 20% of `ranked` accounts: `ceil(ranked / 5)`.
pub fn top_ranks(ranked: u64) -> u64 {
    ranked.div_ceil(5)
}

/// Whether an account of rank `rank` among `ranked` is in the top 20%.
pub fn is_top(rank: u64, ranked: u64) -> bool {
    rank >= 1 && rank <= top_ranks(ranked)
}

/// The competition rank of each value (largest first; equal values share
/// a rank, the next skips), in the values' order.
pub fn competition_ranks(values: &[i128]) -> Vec<u64> {
    values
        .iter()
        .map(|v| 1 + values.iter().filter(|o| *o > v).count() as u64)
        .collect()
}

/// The top 20%'s share of the total (0 to 1), or `None` when the total is
/// zero (no ranked revenue).
pub fn pareto_share(values: &[i128]) -> Option<f64> {
    let ranks = competition_ranks(values);
    let n = values.len() as u64;
    let total: i128 = values.iter().sum();
    if total == 0 {
        return None;
    }
    let top: i128 = values
        .iter()
        .zip(&ranks)
        .filter(|(_, r)| is_top(**r, n))
        .map(|(v, _)| *v)
        .sum();
    Some(top as f64 / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    #[test]
    fn rates_are_positive_bounded_and_not_for_the_default_currency() {
        let r = ExchangeRate::parse("USD", d("0.92"), day(), "EUR").unwrap();
        assert_eq!(r.rate_e9, 920_000_000);
        assert_eq!(r.rate().to_string(), "0.92");
        for (cur, rate, field) in [
            ("EUR", "1", "currency"),
            ("XX", "1", "currency"),
            ("USD", "0", "rate"),
            ("USD", "-1", "rate"),
            ("USD", "0.0000000001", "rate"),
            ("USD", "1000000.5", "rate"),
        ] {
            let e = ExchangeRate::parse(cur, d(rate), day(), "EUR").unwrap_err();
            assert_eq!(e.field, field, "{cur} {rate}");
        }
        assert_eq!(rate_e9("rate", d("0.000000001")).unwrap(), 1);
        assert_eq!(
            rate_e9("rate", d("1000000")).unwrap(),
            1_000_000 * UNIT_RATE
        );
    }

    #[test]
    fn conversion_is_exact_and_rounds_half_away() {
        // 100.0000 USD at 0.92 = 92.0000 EUR.
        assert_eq!(converted_minor(1_000_000, 920_000_000), 920_000);
        // 0.0001 at 0.5 = 0.00005, rounded up to 0.0001.
        assert_eq!(converted_minor(1, 500_000_000), 1);
        assert_eq!(converted_minor(1, 499_999_999), 0);
        assert_eq!(converted_minor(0, UNIT_RATE), 0);
        assert_eq!(converted_minor(i64::MAX, 1_000_000 * UNIT_RATE), i64::MAX);
    }

    #[test]
    fn unranked_reasons_come_in_order() {
        assert_eq!(Unranked::of(false, true, true), None);
        assert_eq!(Unranked::of(true, false, false), Some(Unranked::Archived));
        assert_eq!(Unranked::of(false, false, false), Some(Unranked::NoRevenue));
        assert_eq!(
            Unranked::of(false, true, false),
            Some(Unranked::NoExchangeRate)
        );
        assert!(!Unranked::NoExchangeRate.explanation().is_empty());
    }

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        assert_eq!(competition_ranks(&[10, 30, 20, 30]), vec![4, 1, 3, 1]);
        assert_eq!(competition_ranks(&[]), Vec::<u64>::new());
        assert_eq!(competition_ranks(&[5, 5, 5]), vec![1, 1, 1]);
    }

    #[test]
    fn the_top_fifth_rounds_up_and_keeps_ties() {
        assert_eq!(top_ranks(0), 0);
        assert_eq!(top_ranks(1), 1);
        assert_eq!(top_ranks(5), 1);
        assert_eq!(top_ranks(6), 2);
        assert_eq!(top_ranks(10), 2);
        assert_eq!(top_ranks(11), 3);
        assert!(is_top(2, 10) && !is_top(3, 10) && !is_top(0, 10));
        // Ten accounts, three tied second: ranks 1, 2, 2, 2, 5...; all of
        // rank <= 2 are in (four accounts).
        let v = [100, 90, 90, 90, 50, 40, 30, 20, 10, 5];
        let r = competition_ranks(&v);
        assert_eq!(r.iter().filter(|r| is_top(**r, 10)).count(), 4);
    }

    #[test]
    fn pareto_share_is_the_top_fifths_part_of_the_total() {
        let v = [800, 50, 50, 50, 50];
        assert_eq!(pareto_share(&v), Some(0.8));
        assert_eq!(pareto_share(&[]), None);
        assert_eq!(pareto_share(&[0, 0]), None);
        // A tie at the top of two accounts among five: both are in.
        assert_eq!(pareto_share(&[40, 40, 10, 5, 5]), Some(0.8));
    }
}
