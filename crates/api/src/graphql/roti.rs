//! ROTI, return on time invested (`domain::roti`): `account.roti`,
//! `user.roti` and `rotiLeaderboard`.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::dates::SupportedDate;
use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::{RotiBasis, RotiPeriod, RotiSubject};
use crate::graphql::common::object::object;
use crate::graphql::common::values::{Money, money_of};
use crate::graphql::user::User;
use crate::graphql::{loaders, reader};
use crate::services::roti::{self as svc, RotiView, Subject};
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::sync::Arc;

/// The period of a ROTI: a named period, or `from` and `to`.
#[derive(InputObject, Default)]
pub struct RotiPeriodInput {
    /// A named period (default `CURRENT_FISCAL_YEAR` when nothing is given).
    named: Option<RotiPeriod>,
    /// The first day (with `to`).
    #[graphql(validator(custom = "SupportedDate"))]
    from: Option<NaiveDate>,
    /// The last day, included (with `from`; at most 3660 days after it).
    #[graphql(validator(custom = "SupportedDate"))]
    to: Option<NaiveDate>,
}

/// A named period or given dates, checked (both read paths).
pub(crate) type PeriodAsked = (
    Option<domain::roti::NamedPeriod>,
    Option<(NaiveDate, NaiveDate)>,
);

/// The period as asked: `from` and `to` go together.
pub(crate) fn period_asked(p: Option<RotiPeriodInput>) -> Result<PeriodAsked, ApiError> {
    let p = p.unwrap_or_default();
    let custom = match (p.from, p.to) {
        (Some(f), Some(t)) => Some((f, t)),
        (None, None) => None,
        (Some(_), None) => return Err(ApiError::validation("period.to", "is required with from")),
        (None, Some(_)) => return Err(ApiError::validation("period.from", "is required with to")),
    };
    Ok((p.named.map(Into::into), custom))
}

/// The period asked for, on the caller's tenant.
pub(crate) async fn period(
    ctx: &Context<'_>,
    p: Option<RotiPeriodInput>,
) -> Result<domain::roti::Period> {
    let (named, custom) = period_asked(p)?;
    let t = loaders(ctx)?.tenant_row().await?;
    Ok(svc::period_of(&t, named, custom).map_err(ApiError::from)?)
}

/// Return on time invested in a period, with its inputs.
#[derive(Clone)]
pub struct Roti(pub Arc<RotiView>);

fn money(v: &RotiView, minor: Option<i64>) -> Option<Money> {
    minor.map(|m| money_of(m, &v.currency))
}

object! {
    /// Return on time invested: revenue growth (or revenue) per hour of the
    /// account team's activities in a period, with the inputs beside the
    /// ratio. Formula: `perHour = growth / hoursInvested` when growth is
    /// known, else `revenue / hoursInvested` (`basis` says which); `null`
    /// without hours or revenue. Revenue: the actuals of `REVENUE` growth
    /// targets in the tenant's default currency ending in the period; growth:
    /// revenue minus the same figure for the period of the same length just
    /// before.
    #[Object]
    impl Roti(RotiView) fields roti_fields {
        /// The period's first day.
        leaf "periodStart" period_start(v) -> NaiveDate {
            v.period.start
        }
        /// The period's last day (included).
        leaf "periodEnd" period_end(v) -> NaiveDate {
            v.period.end
        }
        /// Hours of the activities in the period (an account's; a user's
        /// logged or taken part in).
        leaf "hoursInvested" hours_invested(v) -> Dec {
            Dec(Decimal::new(v.roti.inputs.hours_hundredths, 2).normalize())
        }
        /// Revenue in the period (`null` without actuals).
        value "revenue" revenue(v) -> Option<Money> {
            money(v, v.roti.inputs.revenue)
        }
        /// Revenue in the period of the same length before.
        value "previousRevenue" previous_revenue(v) -> Option<Money> {
            money(v, v.roti.inputs.previous_revenue)
        }
        /// Revenue minus previous revenue (`null` when either is unknown; may
        /// be negative).
        value "growth" growth(v) -> Option<Money> {
            money(v, v.roti.growth)
        }
        /// Objectives achieved with a due date in the period.
        leaf "objectivesAchieved" objectives_achieved(v) -> i64 {
            v.roti.inputs.objectives_achieved
        }
        /// What the ratio divides by the hours.
        leaf "basis" basis(v) -> Option<RotiBasis> {
            v.roti.basis.map(Into::into)
        }
        /// The ratio: money per hour invested, rounded to the currency's
        /// minor unit (`null` without hours or revenue).
        value "perHour" per_hour(v) -> Option<Money> {
            let rounded = v
                .roti
                .per_hour
                .map(|m| domain::text::round_to_currency(m, &v.currency));
            money(v, rounded)
        }
    }
}

/// One place in a ROTI leaderboard.
#[derive(SimpleObject)]
pub struct RotiEntry {
    /// 1 for the highest ROTI.
    rank: i32,
    /// The account (when ranking accounts).
    account: Option<Account>,
    /// The user (when ranking users).
    user: Option<User>,
    /// The ROTI.
    roti: Roti,
}

#[derive(Default)]
pub struct RotiQuery;

#[Object]
impl RotiQuery {
    /// Where time pays off: accounts or users ranked by ROTI per hour
    /// (those without a ratio last, then by hours invested), for a manager
    /// to see where time pays off and where it does not.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 1")]
    async fn roti_leaderboard(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period (default: the current fiscal year).")] period: Option<
            RotiPeriodInput,
        >,
        #[graphql(desc = "Rank accounts or users.")] by: RotiSubject,
        #[graphql(desc = "How many (1 to 100; default 20).")] first: Option<i32>,
    ) -> Result<Vec<RotiEntry>> {
        reader(ctx)?;
        let n = first.unwrap_or(20);
        if !(1..=100).contains(&n) {
            return Err(ApiError::validation("first", "must be between 1 and 100").into());
        }
        let p = self::period(ctx, period).await?;
        let l = loaders(ctx)?;
        let t = l.tenant_row().await?;
        let db = &crate::graphql::state(ctx)?.db;
        let subject = match by {
            RotiSubject::Account => Subject::Account,
            RotiSubject::User => Subject::User,
        };
        let rows = svc::leaderboard(db, &t, p, subject, usize::try_from(n).unwrap_or(20)).await?;
        let mut out = Vec::with_capacity(rows.len());
        for (i, v) in rows.into_iter().enumerate() {
            let (account, user) = match subject {
                Subject::Account => (l.account(v.subject).await?.map(Account), None),
                Subject::User => (None, l.user(v.subject).await?.map(User)),
            };
            out.push(RotiEntry {
                rank: i32::try_from(i + 1).unwrap_or(i32::MAX),
                account,
                user,
                roti: Roti(Arc::new(v)),
            });
        }
        Ok(out)
    }
}
