//! ROTI, return on time invested: where the account team's time pays off.
//!
//! For a period (dates, both included, in the tenant's time zone; a named
//! one from today and the tenant's fiscal-year start, or given):
//!
//! - **hours invested**: the hours of the live activities in the period
//!   (per account: its activities; per user: the activities they logged or
//!   took part in);
//! - **revenue**: the actuals of the `REVENUE` growth targets (in the
//!   tenant's default currency) whose period ends in the period, on the
//!   account's live plans (per user: on the accounts they own);
//! - **growth**: that revenue minus the same figure for the period of the
//!   same length just before (`None` when either has no actuals);
//! - **objectives achieved**: objectives `ACHIEVED` with a due date in the
//!   period;
//! - **ROTI** = growth per hour when growth is known, else revenue per
//!   hour (the `basis` says which); `None` without hours or without
//!   revenue.

use crate::error::ValidationError;
use crate::text_enum;
use chrono::{Datelike, Duration, Months, NaiveDate};

text_enum!(
    /// A period named relative to today.
    NamedPeriod {
        /// The tenant's fiscal year that holds today.
        CurrentFiscalYear => "CURRENT_FISCAL_YEAR",
        /// The fiscal year before it.
        LastFiscalYear => "LAST_FISCAL_YEAR",
        /// The 90 days up to today.
        Last90Days => "LAST_90_DAYS",
        /// The 365 days up to today.
        Last365Days => "LAST_365_DAYS",
    }
);

text_enum!(
    /// What a ROTI divides by the hours.
    RotiBasis {
        /// Revenue growth against the period before.
        Growth => "GROWTH",
        /// Revenue (no figure for the period before).
        Revenue => "REVENUE",
    }
);

/// Longest period, in days.
pub const MAX_DAYS: i64 = 3660;

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// A given period: `end` not before `start`, at most [`MAX_DAYS`].
    pub fn custom(start: NaiveDate, end: NaiveDate) -> Result<Self, ValidationError> {
        if end < start {
            return Err(ValidationError::new("period.to", "must not be before from"));
        }
        if (end - start).num_days() >= MAX_DAYS {
            return Err(ValidationError::new(
                "period.to",
                format!("a period is at most {MAX_DAYS} days"),
            ));
        }
        Ok(Period { start, end })
    }

    /// A named period on `today`, with the fiscal year starting in
    /// `fiscal_start_month` (1 to 12).
    pub fn named(n: NamedPeriod, today: NaiveDate, fiscal_start_month: u32) -> Self {
        let month = fiscal_start_month.clamp(1, 12);
        let year = if today.month() >= month {
            today.year()
        } else {
            today.year() - 1
        };
        let fy_start = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(today);
        let fy = |start: NaiveDate| Period {
            start,
            end: start
                .checked_add_months(Months::new(12))
                .and_then(|d| d.pred_opt())
                .unwrap_or(start),
        };
        match n {
            NamedPeriod::CurrentFiscalYear => fy(fy_start),
            NamedPeriod::LastFiscalYear => fy(fy_start
                .checked_sub_months(Months::new(12))
                .unwrap_or(fy_start)),
            NamedPeriod::Last90Days => Period {
                start: today - Duration::days(89),
                end: today,
            },
            NamedPeriod::Last365Days => Period {
                start: today - Duration::days(364),
                end: today,
            },
        }
    }

    /// Its length in days.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// The period of the same length just before.
    pub fn previous(&self) -> Self {
        Period {
            start: self.start - Duration::days(self.days()),
            end: self.start - Duration::days(1),
        }
    }
}

/// What a ROTI is computed from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RotiInputs {
    /// Hundredths of hours.
    pub hours_hundredths: i64,
    /// Revenue in the period (minor units), if any actuals.
    pub revenue: Option<i64>,
    /// Revenue in the period before, if any actuals.
    pub previous_revenue: Option<i64>,
    pub objectives_achieved: i64,
}

/// A ROTI with its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roti {
    pub inputs: RotiInputs,
    pub growth: Option<i64>,
    pub basis: Option<RotiBasis>,
    /// Minor units per hour, rounded half away from zero.
    pub per_hour: Option<i64>,
}

/// The ROTI of its inputs.
pub fn roti(i: RotiInputs) -> Roti {
    let growth = i.revenue.zip(i.previous_revenue).map(|(r, p)| r - p);
    let (basis, value) = match (growth, i.revenue) {
        (Some(g), _) => (Some(RotiBasis::Growth), Some(g)),
        (None, Some(r)) => (Some(RotiBasis::Revenue), Some(r)),
        _ => (None, None),
    };
    let per_hour = value.filter(|_| i.hours_hundredths > 0).map(|v| {
        let num = i128::from(v) * 100;
        let den = i128::from(i.hours_hundredths);
        let q = (num.abs() * 2 + den) / (den * 2);
        i64::try_from(if num < 0 { -q } else { q }).unwrap_or(i64::MAX)
    });
    Roti {
        inputs: i,
        growth,
        basis: basis.filter(|_| per_hour.is_some()),
        per_hour,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn named_periods_follow_the_fiscal_year() {
        let today = d(2026, 12, 7);
        assert_eq!(
            Period::named(NamedPeriod::CurrentFiscalYear, today, 4),
            Period {
                start: d(2026, 4, 1),
                end: d(2027, 3, 31)
            }
        );
        assert_eq!(
            Period::named(NamedPeriod::LastFiscalYear, today, 4),
            Period {
                start: d(2025, 4, 1),
                end: d(2026, 3, 31)
            }
        );
        assert_eq!(
            Period::named(NamedPeriod::CurrentFiscalYear, d(2026, 2, 1), 4).start,
            d(2025, 4, 1)
        );
        assert_eq!(
            Period::named(NamedPeriod::CurrentFiscalYear, today, 1).end,
            d(2026, 12, 31)
        );
        let p = Period::named(NamedPeriod::Last90Days, today, 1);
        assert_eq!(p.days(), 90);
        assert_eq!(p.previous().end, p.start - Duration::days(1));
        assert_eq!(p.previous().days(), 90);
    }

    #[test]
    fn custom_periods_are_checked() {
        assert_eq!(
            Period::custom(d(2026, 2, 1), d(2026, 1, 1))
                .unwrap_err()
                .field,
            "period.to"
        );
        assert!(Period::custom(d(2015, 1, 1), d(2026, 1, 1)).is_err());
        assert_eq!(
            Period::custom(d(2026, 1, 1), d(2026, 1, 1)).unwrap().days(),
            1
        );
    }

    #[test]
    fn roti_is_growth_per_hour_else_revenue_per_hour() {
        let r = roti(RotiInputs {
            hours_hundredths: 1_000,
            revenue: Some(500_000),
            previous_revenue: Some(400_000),
            objectives_achieved: 2,
        });
        assert_eq!(
            (r.growth, r.basis, r.per_hour),
            (Some(100_000), Some(RotiBasis::Growth), Some(10_000))
        );
        let r = roti(RotiInputs {
            hours_hundredths: 300,
            revenue: Some(100),
            ..Default::default()
        });
        // 100 / 3 hours = 33.33: rounded to 33.
        assert_eq!((r.basis, r.per_hour), (Some(RotiBasis::Revenue), Some(33)));
        let r = roti(RotiInputs {
            hours_hundredths: 300,
            revenue: Some(0),
            previous_revenue: Some(50),
            ..Default::default()
        });
        assert_eq!(
            r.per_hour,
            Some(-17),
            "negative growth rounds away from zero"
        );
        let r = roti(RotiInputs {
            hours_hundredths: 0,
            revenue: Some(100),
            ..Default::default()
        });
        assert_eq!((r.basis, r.per_hour), (None, None), "no hours, no ratio");
        assert_eq!(roti(RotiInputs::default()).per_hour, None);
    }
}
