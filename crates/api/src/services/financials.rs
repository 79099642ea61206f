//! The customer's financial history: one entry per fiscal year, set
//! (inserted or replaced) and removed by the account's writers; growth and
//! trajectory computed on read (`domain::financials`).

use super::profiles::writable_account;
use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::financials::{FinancialYear, FinancialYearInput, Trajectory, trajectory};
use domain::{AccountId, Principal};
use persistence::entity::account_financial as financial;
use persistence::repo::profiles;
use persistence::write::Op;
use persistence::{Db, Set};
use uuid::Uuid;

/// Sets an account's figures of a fiscal year (replacing that year's).
pub async fn set_year(
    db: &Db,
    p: &Principal,
    account: AccountId,
    input: FinancialYearInput,
) -> ApiResult<financial::Model> {
    let y = FinancialYear::parse(input)?;
    let w = writer(db, p).await?;
    let account = writable_account(&w, p, account).await?;
    let existing =
        profiles::financial_for_update(w.conn(), p.tenant_id, account, y.fiscal_year).await?;
    let m = match existing {
        Some(mut m) => {
            m.revenue_minor = y.revenue.minor_units();
            m.revenue_currency = y.revenue.currency.as_str().to_owned();
            m.margin_bp = y.margin_bp;
            m.notes = y.notes;
            w.update::<financial::Entity>(m, Op::Updated).await?
        }
        None => {
            w.insert::<financial::Entity>(financial::ActiveModel {
                tenant_id: Set(p.tenant_id.0),
                id: Set(Uuid::now_v7()),
                account_id: Set(account),
                fiscal_year: Set(y.fiscal_year),
                revenue_minor: Set(y.revenue.minor_units()),
                revenue_currency: Set(y.revenue.currency.as_str().to_owned()),
                margin_bp: Set(y.margin_bp),
                notes: Set(y.notes),
                ..Default::default()
            })
            .await?
        }
    };
    w.commit().await?;
    Ok(m)
}

/// Removes an account's figures of a fiscal year; `NOT_FOUND` when none.
pub async fn remove_year(
    db: &Db,
    p: &Principal,
    account: AccountId,
    year: i32,
) -> ApiResult<financial::Model> {
    let w = writer(db, p).await?;
    let account = writable_account(&w, p, account).await?;
    let m = profiles::financial_for_update(w.conn(), p.tenant_id, account, year)
        .await?
        .ok_or_else(|| ApiError::not_found_in("fiscal year", "fiscalYear"))?;
    w.delete::<financial::Entity>(m.clone()).await?;
    w.commit().await?;
    Ok(m)
}

/// A fiscal year with its growth against the year before (both paths).
#[derive(Debug, Clone)]
pub struct YearView {
    pub row: financial::Model,
    /// Percent, when the rule gives one.
    pub growth: Option<rust_decimal::Decimal>,
}

/// One account's years (newest first, as read) with their growth.
pub fn years_of(rows: &[&financial::Model]) -> Vec<YearView> {
    let mut sorted: Vec<&financial::Model> = rows.to_vec();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.fiscal_year));
    (0..sorted.len())
        .map(|i| {
            let r = sorted[i];
            let prev = sorted
                .get(i + 1)
                .map(|p| (p.fiscal_year, p.revenue_minor, p.revenue_currency.as_str()));
            YearView {
                row: r.clone(),
                growth: domain::financials::growth_percent(
                    (r.fiscal_year, r.revenue_minor, r.revenue_currency.as_str()),
                    prev,
                ),
            }
        })
        .collect()
}

/// One account's trajectory from its years (both paths).
pub fn trajectory_of(rows: &[&financial::Model]) -> Option<Trajectory> {
    let years: Vec<_> = rows
        .iter()
        .map(|r| (r.fiscal_year, r.revenue_minor, r.revenue_currency.as_str()))
        .collect();
    trajectory(&years)
}
