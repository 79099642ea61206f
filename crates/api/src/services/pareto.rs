//! The top 20%: the tenant's exchange rates (set and removed by admins, as
//! tenant settings) and the revenue ranking both read paths give
//! (`domain::pareto`'s rules, computed by `repo::pareto` in the database).

use super::writer;
use crate::error::{ApiError, ApiResult};
use chrono::NaiveDate;
use domain::pareto::{ExchangeRate, Unranked, converted_minor, is_top};
use domain::{Action, Principal, Record, TenantId, authorize};
use persistence::entity::exchange_rate;
use persistence::repo::pareto::{self, MAX_RATES, PortfolioRow, RankRow};

const _: () = assert!(MAX_RATES == 1000, "the message below names the cap");
use persistence::repo::tenants;
use persistence::write::Op;
use persistence::{Db, Set, StoreError};
use rust_decimal::Decimal;
use uuid::Uuid;

/// Sets the rate of `currency` from `valid_from` on (replacing the rate of
/// that day, if any). Admins only.
pub async fn set_rate(
    db: &Db,
    p: &Principal,
    currency: &str,
    rate: Decimal,
    valid_from: NaiveDate,
) -> ApiResult<exchange_rate::Model> {
    authorize(p, Action::Update, Record::Tenant)?;
    let w = writer(db, p).await?;
    // Rate changes of a tenant are serialised (the cap and the one rate per
    // currency and day hold under concurrency).
    tenants::lock_for_user_admin(w.conn(), p.tenant_id).await?;
    let t = tenants::get(w.conn(), p.tenant_id)
        .await?
        .ok_or_else(|| ApiError::not_found("tenant"))?;
    let r = ExchangeRate::parse(currency, rate, valid_from, &t.default_currency)?;
    let existing =
        pareto::rate_for_update(w.conn(), p.tenant_id, r.currency.as_str(), r.valid_from).await?;
    let m = match existing {
        Some(mut m) => {
            m.rate_e9 = r.rate_e9;
            w.update::<exchange_rate::Entity>(m, Op::Updated).await?
        }
        None => {
            if pareto::count_rates(w.conn(), p.tenant_id).await? >= MAX_RATES {
                return Err(ApiError::validation(
                    "validFrom",
                    "a tenant keeps at most 1000 exchange rates: delete old ones first",
                ));
            }
            w.insert::<exchange_rate::Entity>(exchange_rate::ActiveModel {
                tenant_id: Set(p.tenant_id.0),
                id: Set(Uuid::now_v7()),
                currency: Set(r.currency.as_str().to_owned()),
                valid_from: Set(r.valid_from),
                rate_e9: Set(r.rate_e9),
                ..Default::default()
            })
            .await?
        }
    };
    w.commit().await?;
    Ok(m)
}

/// Deletes the rate of `currency` from `valid_from`. Admins only;
/// `NOT_FOUND` when there is none.
pub async fn delete_rate(
    db: &Db,
    p: &Principal,
    currency: &str,
    valid_from: NaiveDate,
) -> ApiResult<exchange_rate::Model> {
    authorize(p, Action::Update, Record::Tenant)?;
    let w = writer(db, p).await?;
    tenants::lock_for_user_admin(w.conn(), p.tenant_id).await?;
    let m = pareto::rate_for_update(w.conn(), p.tenant_id, currency.trim(), valid_from)
        .await?
        .ok_or_else(|| ApiError::not_found_in("exchange rate", "validFrom"))?;
    w.delete::<exchange_rate::Entity>(m.clone()).await?;
    w.commit().await?;
    Ok(m)
}

/// One account's place in the revenue ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    /// The competition rank (1 = largest revenue), when ranked.
    pub rank: Option<i64>,
    /// How many accounts of the tenant are ranked.
    pub ranked: i64,
    pub top: bool,
    /// Annual revenue in the default currency (ten-thousandths), when
    /// ranked.
    pub converted_minor: Option<i64>,
    pub default_currency: String,
    /// Why the account has no rank, when it has none.
    pub unranked: Option<Unranked>,
}

/// The ranking of an account from the database's row (both read paths).
pub fn ranking_of(r: &RankRow, default_currency: &str) -> Ranking {
    let unranked = Unranked::of(r.archived, r.revenue_minor.is_some(), r.rate_e9.is_some());
    let rank = r.rank.filter(|_| unranked.is_none());
    Ranking {
        rank,
        ranked: r.ranked,
        top: rank.is_some_and(|k| is_top(k.unsigned_abs(), r.ranked.unsigned_abs())),
        converted_minor: match (rank, r.revenue_minor, r.rate_e9) {
            (Some(_), Some(m), Some(rate)) => Some(converted_minor(m, rate)),
            _ => None,
        },
        default_currency: default_currency.to_owned(),
        unranked,
    }
}

/// The rankings of these accounts today (two statements: the tenant, then
/// the ranking of all of them), by account id.
pub async fn rankings(
    db: &Db,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Ranking>, StoreError> {
    let (today, currency) = today_and_currency(db, tenant).await?;
    let rows = pareto::ranks(db.read(), tenant, today, ids).await?;
    Ok(rows
        .iter()
        .map(|r| (r.account_id, ranking_of(r, &currency)))
        .collect())
}

/// The tenant's date today (in its time zone) and its default currency.
pub async fn today_and_currency(
    db: &Db,
    tenant: TenantId,
) -> Result<(NaiveDate, String), StoreError> {
    let t = tenants::get(db.read(), tenant)
        .await?
        .ok_or_else(|| StoreError::Internal("the caller's tenant is gone".into()))?;
    Ok((
        domain::cadence::today_in(&t.time_zone, chrono::Utc::now()),
        t.default_currency,
    ))
}

/// The portfolio summary today, and the default currency.
pub async fn portfolio(db: &Db, tenant: TenantId) -> ApiResult<(PortfolioRow, String)> {
    let (today, currency) = today_and_currency(db, tenant).await?;
    Ok((pareto::portfolio(db.read(), tenant, today).await?, currency))
}
