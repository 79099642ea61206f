//! The customer's financial history, one entry per fiscal year, and its
//! trajectory.
//!
//! Rules:
//! - A fiscal year is 1900 to 2200; one entry per account and year (set
//!   again, it is replaced). Revenue is required (non-negative `Money`);
//!   the margin, where known, is a percentage from -1000 to 100 with up to
//!   2 decimals.
//! - **Growth** of a year is its revenue against the year before's, in
//!   percent rounded to 2 decimals: only when that year is recorded, in the
//!   same currency, with revenue above zero.
//! - **Trajectory** looks at the latest recorded year and the years
//!   recorded right before it (consecutive, same currency), at most three
//!   in all: their compound annual growth is `GROWING` at +3% or more,
//!   `DECLINING` at -3% or less, `STATIC` in between. With fewer than two
//!   such years there is no trajectory. From zero revenue, any revenue is
//!   growth (and zero to zero is static).

use crate::account::MoneyInput;
use crate::error::ValidationError;
use crate::text::{Money, optional_text};
use crate::text_enum;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

/// Earliest and latest fiscal year accepted.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;
/// Longest note.
pub const MAX_NOTES: usize = 2_000;
/// How many years the trajectory looks at, at most.
pub const TRAJECTORY_YEARS: usize = 3;
/// The compound annual growth (percent) from which a trajectory is
/// growing (and, negated, declining).
pub const TRAJECTORY_THRESHOLD: f64 = 3.0;

text_enum!(
    /// Where the customer's revenue is heading.
    Trajectory {
        Growing => "GROWING",
        Static => "STATIC",
        Declining => "DECLINING",
    }
);

/// A fiscal year's figures as the API gives them.
#[derive(Debug, Clone)]
pub struct FinancialYearInput {
    pub fiscal_year: i32,
    pub revenue: MoneyInput,
    pub margin_percent: Option<Decimal>,
    pub notes: Option<String>,
}

/// Valid figures of a fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinancialYear {
    pub fiscal_year: i32,
    pub revenue: Money,
    /// Hundredths of a percent.
    pub margin_bp: Option<i32>,
    pub notes: Option<String>,
}

impl FinancialYear {
    pub fn parse(i: FinancialYearInput) -> Result<Self, ValidationError> {
        if !YEARS.contains(&i.fiscal_year) {
            return Err(ValidationError::new(
                "fiscalYear",
                format!("must be between {} and {}", YEARS.start(), YEARS.end()),
            ));
        }
        let margin_bp = match i.margin_percent {
            None => None,
            Some(m) => {
                if m.normalize().scale() > 2 || m < Decimal::from(-1000) || m > Decimal::from(100) {
                    return Err(ValidationError::new(
                        "marginPercent",
                        "must be between -1000 and 100 with at most 2 decimal places",
                    ));
                }
                (m * Decimal::from(100)).to_i32()
            }
        };
        Ok(FinancialYear {
            fiscal_year: i.fiscal_year,
            revenue: Money::parse_non_negative("revenue", i.revenue.amount, &i.revenue.currency)?,
            margin_bp,
            notes: optional_text("notes", i.notes.as_deref(), MAX_NOTES)?,
        })
    }
}

/// A margin stored in hundredths of a percent, as a percentage.
pub fn percent_of(bp: i32) -> Decimal {
    Decimal::new(i64::from(bp), 2)
}

/// One recorded year as the rules see it: year, revenue in
/// ten-thousandths, currency.
pub type YearRevenue<'a> = (i32, i64, &'a str);

/// The growth of `year` against `previous` in percent (2 decimals), when
/// the rule allows one.
pub fn growth_percent(year: YearRevenue<'_>, previous: Option<YearRevenue<'_>>) -> Option<Decimal> {
    let (y, cur, c) = year;
    let (py, prev, pc) = previous?;
    if py + 1 != y || pc != c || prev <= 0 {
        return None;
    }
    let g = (Decimal::from(cur) - Decimal::from(prev)) * Decimal::from(100) / Decimal::from(prev);
    let mut g = g.round_dp(2);
    g.rescale(2);
    Some(g)
}

/// The trajectory of the recorded years (any order), if the rule gives one.
pub fn trajectory(years: &[YearRevenue<'_>]) -> Option<Trajectory> {
    let mut sorted: Vec<YearRevenue<'_>> = years.to_vec();
    sorted.sort_by_key(|y| std::cmp::Reverse(y.0));
    let latest = *sorted.first()?;
    let mut run = vec![latest];
    for y in sorted.iter().skip(1) {
        let last = run[run.len() - 1];
        if run.len() == TRAJECTORY_YEARS || y.0 + 1 != last.0 || y.2 != latest.2 {
            break;
        }
        run.push(*y);
    }
    if run.len() < 2 {
        return None;
    }
    let (first, last) = (run[run.len() - 1].1, latest.1);
    if first <= 0 {
        return Some(if last > 0 {
            Trajectory::Growing
        } else {
            Trajectory::Static
        });
    }
    let ratio = f64::from_i64(last)? / f64::from_i64(first)?;
    let periods = (run.len() - 1) as f64;
    let cagr = (ratio.powf(1.0 / periods) - 1.0) * 100.0;
    Some(if cagr >= TRAJECTORY_THRESHOLD {
        Trajectory::Growing
    } else if cagr <= -TRAJECTORY_THRESHOLD {
        Trajectory::Declining
    } else {
        Trajectory::Static
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(year: i32, amount: &str, margin: Option<&str>) -> FinancialYearInput {
        FinancialYearInput {
            fiscal_year: year,
            revenue: MoneyInput {
                amount: amount.parse().unwrap(),
                currency: "EUR".into(),
            },
            margin_percent: margin.map(|m| m.parse().unwrap()),
            notes: Some("  ".into()),
        }
    }

    #[test]
    fn years_revenue_and_margins_are_checked() {
        let y = FinancialYear::parse(input(2025, "1200000", Some("12.5"))).unwrap();
        assert_eq!((y.margin_bp, y.notes), (Some(1250), None));
        assert_eq!(percent_of(1250).to_string(), "12.50");
        assert_eq!(
            FinancialYear::parse(input(2025, "1", Some("-1000")))
                .unwrap()
                .margin_bp,
            Some(-100_000)
        );
        for (i, field) in [
            (input(1899, "1", None), "fiscalYear"),
            (input(2201, "1", None), "fiscalYear"),
            (input(2025, "-1", None), "revenue.amount"),
            (input(2025, "1", Some("100.01")), "marginPercent"),
            (input(2025, "1", Some("12.345")), "marginPercent"),
            (input(2025, "1", Some("-1000.5")), "marginPercent"),
        ] {
            assert_eq!(FinancialYear::parse(i).unwrap_err().field, field);
        }
    }

    #[test]
    fn growth_needs_the_year_before_in_the_same_currency() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            growth_percent((2025, 1100, "EUR"), Some((2024, 1000, "EUR"))),
            Some(d("10"))
        );
        assert_eq!(
            growth_percent((2025, 1000, "EUR"), Some((2024, 3000, "EUR"))),
            Some(d("-66.67"))
        );
        assert_eq!(
            growth_percent((2025, 1100, "EUR"), Some((2023, 1000, "EUR"))),
            None
        );
        assert_eq!(
            growth_percent((2025, 1100, "EUR"), Some((2024, 1000, "USD"))),
            None
        );
        assert_eq!(
            growth_percent((2025, 1100, "EUR"), Some((2024, 0, "EUR"))),
            None
        );
        assert_eq!(growth_percent((2025, 1100, "EUR"), None), None);
    }

    #[test]
    fn trajectory_follows_the_last_consecutive_years() {
        use Trajectory::*;
        assert_eq!(trajectory(&[]), None);
        assert_eq!(trajectory(&[(2025, 100, "EUR")]), None);
        assert_eq!(
            trajectory(&[(2024, 100, "EUR"), (2025, 110, "EUR")]),
            Some(Growing)
        );
        assert_eq!(
            trajectory(&[(2025, 102, "EUR"), (2024, 100, "EUR")]),
            Some(Static)
        );
        assert_eq!(
            trajectory(&[(2024, 100, "EUR"), (2025, 90, "EUR")]),
            Some(Declining)
        );
        // Three years: compound growth (100 -> 106.09 is 3% a year).
        assert_eq!(
            trajectory(&[
                (2023, 10000, "EUR"),
                (2024, 9000, "EUR"),
                (2025, 10609, "EUR")
            ]),
            Some(Growing)
        );
        // Older years beyond three, a gap, or another currency are ignored.
        assert_eq!(
            trajectory(&[
                (2020, 1, "EUR"),
                (2022, 100, "EUR"),
                (2023, 100, "EUR"),
                (2024, 100, "EUR"),
                (2025, 100, "EUR")
            ]),
            Some(Static)
        );
        assert_eq!(trajectory(&[(2023, 100, "EUR"), (2025, 200, "EUR")]), None);
        assert_eq!(trajectory(&[(2024, 100, "USD"), (2025, 200, "EUR")]), None);
        assert_eq!(
            trajectory(&[(2024, 0, "EUR"), (2025, 5, "EUR")]),
            Some(Growing)
        );
        assert_eq!(
            trajectory(&[(2024, 0, "EUR"), (2025, 0, "EUR")]),
            Some(Static)
        );
    }
}
