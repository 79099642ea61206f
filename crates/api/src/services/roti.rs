//! ROTI per account and per user for a period, and the leaderboards
//! (`domain::roti`): a few grouped statements whatever the number of
//! accounts or users (hours, revenue now and before, objectives achieved).

use crate::error::ApiResult;
use chrono::{DateTime, NaiveDate, Utc};
use domain::TenantId;
use domain::roti::{NamedPeriod, Period, Roti, RotiInputs, roti};
use persistence::entity::tenant;
use persistence::repo::roti as repo;
use persistence::{Db, StoreError};
use std::collections::HashMap;
use uuid::Uuid;

/// A ROTI of one account or user, with its period and currency.
#[derive(Debug, Clone)]
pub struct RotiView {
    pub subject: Uuid,
    pub period: Period,
    pub currency: String,
    pub roti: Roti,
}

/// The period asked for: given dates, or a named period on the tenant's
/// today (default: the current fiscal year).
pub fn period_of(
    t: &tenant::Model,
    named: Option<NamedPeriod>,
    custom: Option<(NaiveDate, NaiveDate)>,
) -> Result<Period, domain::ValidationError> {
    match (named, custom) {
        (Some(_), Some(_)) => Err(domain::ValidationError::new(
            "period",
            "give either a named period or from and to, not both",
        )),
        (_, Some((from, to))) => Period::custom(from, to),
        (n, None) => {
            let today = domain::cadence::today_in(&t.time_zone, Utc::now());
            let month = u32::try_from(t.fiscal_year_start_month).unwrap_or(1);
            Ok(Period::named(
                n.unwrap_or(NamedPeriod::CurrentFiscalYear),
                today,
                month,
            ))
        }
    }
}

/// The instants a period of days covers in a time zone: from its first
/// day's start to the start of the day after its last.
fn instants(p: &Period, time_zone: &str) -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |d: NaiveDate| domain::time::start_of_day_in(d, time_zone);
    (at(p.start), at(p.end.succ_opt().unwrap_or(p.end)))
}

fn days(p: &Period) -> (NaiveDate, NaiveDate) {
    (p.start, p.end)
}

/// The ROTI of these accounts (every account with hours or revenue in the
/// period when `None`).
pub async fn of_accounts(
    db: &Db,
    t: &tenant::Model,
    accounts: Option<&[Uuid]>,
    period: Period,
) -> Result<HashMap<Uuid, RotiView>, StoreError> {
    let conn = db.read();
    let tenant = TenantId(t.tenant_id);
    let cur = t.default_currency.as_str();
    let hours =
        repo::hours_by_account(conn, tenant, accounts, instants(&period, &t.time_zone)).await?;
    let revenue = repo::revenue_by_account(conn, tenant, accounts, cur, days(&period)).await?;
    let before =
        repo::revenue_by_account(conn, tenant, accounts, cur, days(&period.previous())).await?;
    let achieved = repo::achieved_by_account(conn, tenant, accounts, days(&period)).await?;
    let ids: Vec<Uuid> = match accounts {
        Some(a) => a.to_vec(),
        None => {
            let mut all: Vec<Uuid> = hours.keys().chain(revenue.keys()).copied().collect();
            all.sort_unstable();
            all.dedup();
            all
        }
    };
    Ok(ids
        .into_iter()
        .map(|a| {
            let inputs = RotiInputs {
                hours_hundredths: hours.get(&a).copied().unwrap_or(0),
                revenue: revenue.get(&a).copied(),
                previous_revenue: before.get(&a).copied(),
                objectives_achieved: achieved.get(&a).copied().unwrap_or(0),
            };
            let v = RotiView {
                subject: a,
                period,
                currency: t.default_currency.clone(),
                roti: roti(inputs),
            };
            (a, v)
        })
        .collect())
}

/// The ROTI of these users (every user with hours in the period when
/// `None`): their hours; the revenue, growth and objectives of the
/// accounts they own.
pub async fn of_users(
    db: &Db,
    t: &tenant::Model,
    users: Option<&[Uuid]>,
    period: Period,
) -> Result<HashMap<Uuid, RotiView>, StoreError> {
    let conn = db.read();
    let tenant = TenantId(t.tenant_id);
    let hours = repo::hours_by_user(conn, tenant, users, instants(&period, &t.time_zone)).await?;
    let owned = repo::account_owners(conn, tenant, users).await?;
    let accounts: Vec<Uuid> = owned.iter().map(|(a, _)| *a).collect();
    let per_account = of_accounts(db, t, Some(&accounts), period).await?;
    let mut inputs: HashMap<Uuid, RotiInputs> = HashMap::new();
    for (a, owner) in &owned {
        let Some(v) = per_account.get(a) else {
            continue;
        };
        let i = inputs.entry(*owner).or_default();
        let add = |x: Option<i64>, y: Option<i64>| match (x, y) {
            (None, None) => None,
            (x, y) => Some(x.unwrap_or(0) + y.unwrap_or(0)),
        };
        i.revenue = add(i.revenue, v.roti.inputs.revenue);
        i.previous_revenue = add(i.previous_revenue, v.roti.inputs.previous_revenue);
        i.objectives_achieved += v.roti.inputs.objectives_achieved;
    }
    let ids: Vec<Uuid> = match users {
        Some(u) => u.to_vec(),
        None => {
            let mut all: Vec<Uuid> = hours.keys().chain(inputs.keys()).copied().collect();
            all.sort_unstable();
            all.dedup();
            all
        }
    };
    Ok(ids
        .into_iter()
        .map(|u| {
            let mut i = inputs.get(&u).copied().unwrap_or_default();
            i.hours_hundredths = hours.get(&u).copied().unwrap_or(0);
            let v = RotiView {
                subject: u,
                period,
                currency: t.default_currency.clone(),
                roti: roti(i),
            };
            (u, v)
        })
        .collect())
}

/// Who a leaderboard ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Account,
    User,
}

/// The leaderboard: ROTI per hour, highest first (those without a ratio
/// last, then by hours invested, then by id), at most `first`.
pub async fn leaderboard(
    db: &Db,
    t: &tenant::Model,
    period: Period,
    by: Subject,
    first: usize,
) -> ApiResult<Vec<RotiView>> {
    let all = match by {
        Subject::Account => of_accounts(db, t, None, period).await?,
        Subject::User => of_users(db, t, None, period).await?,
    };
    let mut rows: Vec<RotiView> = all.into_values().collect();
    rows.sort_by(|a, b| {
        let key = |v: &RotiView| v.roti.per_hour;
        match (key(a), key(b)) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then(
            b.roti
                .inputs
                .hours_hundredths
                .cmp(&a.roti.inputs.hours_hundredths),
        )
        .then(a.subject.cmp(&b.subject))
    });
    rows.truncate(first);
    Ok(rows)
}
