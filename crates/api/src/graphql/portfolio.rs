//! Portfolio views (`domain::portfolio`): the fields of `portfolio` that
//! group the accounts in scope by tier, health band, region and owner, and
//! list the accounts in jeopardy and the high performers.

use crate::graphql::account::Account;
use crate::graphql::alerts::JeopardyAlert;
use crate::graphql::common::enums::{AlertStatus, HealthBand};
use crate::graphql::common::values::{Money, money_of};
use crate::graphql::roti::Roti;
use crate::graphql::user::User;
use crate::graphql::{loaders, principal};
use async_graphql::{Context, Enum, Result, SimpleObject};
use domain::portfolio::{PortfolioAccount, groups, high_performers, in_jeopardy};

/// Whose accounts the portfolio views hold.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum PortfolioScope {
    /// Every account of the tenant.
    Tenant,
    /// The accounts on whose team the caller is (account managers).
    Team,
}

/// Accounts of one group.
#[derive(SimpleObject)]
pub struct PortfolioGroup {
    /// The group: a tier, a band (`null`: no evidence), a region (`null`:
    /// none given).
    key: Option<String>,
    /// How many accounts.
    accounts: i64,
    /// Their annual revenue in the default currency (accounts whose
    /// revenue cannot be converted add nothing).
    revenue: Money,
}

/// Accounts of one owner.
#[derive(SimpleObject)]
pub struct OwnerGroup {
    /// The owner.
    owner: Option<User>,
    /// How many accounts.
    accounts: i64,
    /// Their annual revenue in the default currency.
    revenue: Money,
}

/// An account of a portfolio list, with its health and open alerts.
#[derive(SimpleObject)]
pub struct PortfolioEntry {
    /// The account.
    account: Option<Account>,
    /// Its health score now (`null` without evidence).
    score: Option<i32>,
    /// Its band.
    band: Option<HealthBand>,
    /// Its annual revenue in the default currency, where convertible.
    revenue: Option<Money>,
    /// Its open and acknowledged alerts, newest first.
    open_alerts: Vec<JeopardyAlert>,
    /// Its ROTI over the current fiscal year (high performers only).
    roti: Option<Roti>,
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

async fn facts(ctx: &Context<'_>) -> Result<std::sync::Arc<crate::services::portfolio::Facts>> {
    let p = principal(ctx)?;
    Ok(loaders(ctx)?.portfolio(p).await?)
}

/// `portfolio.scope`.
pub(crate) async fn scope(ctx: &Context<'_>) -> Result<PortfolioScope> {
    Ok(match facts(ctx).await?.scope {
        crate::services::portfolio::Scope::Tenant => PortfolioScope::Tenant,
        crate::services::portfolio::Scope::Team => PortfolioScope::Team,
    })
}

/// The groups by a key of the accounts in scope.
pub(crate) async fn by(
    ctx: &Context<'_>,
    key: for<'a> fn(&'a PortfolioAccount) -> Option<&'a str>,
) -> Result<Vec<PortfolioGroup>> {
    let f = facts(ctx).await?;
    Ok(groups(&f.accounts, key)
        .into_iter()
        .map(|g| PortfolioGroup {
            key: g.key.map(str::to_owned),
            accounts: count(g.accounts),
            revenue: money_of(g.revenue, &f.currency),
        })
        .collect())
}

/// The groups by owner.
pub(crate) async fn by_owner(ctx: &Context<'_>) -> Result<Vec<OwnerGroup>> {
    let f = facts(ctx).await?;
    let l = loaders(ctx)?;
    let owners = groups(&f.accounts, |a| a.owner);
    // One statement for every owner.
    l.seed_user_ids(owners.iter().map(|g| g.key));
    let mut out = Vec::new();
    for g in owners {
        out.push(OwnerGroup {
            owner: l.user(g.key).await?.map(User),
            accounts: count(g.accounts),
            revenue: money_of(g.revenue, &f.currency),
        });
    }
    Ok(out)
}

/// The accounts in jeopardy or the high performers, at most `first`.
pub(crate) async fn list(
    ctx: &Context<'_>,
    jeopardy: bool,
    first: Option<i32>,
) -> Result<Vec<PortfolioEntry>> {
    let n = first.unwrap_or(if jeopardy { 20 } else { 10 });
    if !(0..=100).contains(&n) {
        return Err(
            crate::error::ApiError::validation("first", "must be between 0 and 100").into(),
        );
    }
    let n = usize::try_from(n).unwrap_or(0);
    let f = facts(ctx).await?;
    let picked = if jeopardy {
        in_jeopardy(&f.accounts, n)
    } else {
        high_performers(&f.accounts, n)
    };
    let l = loaders(ctx)?;
    // One statement each for the accounts, their alerts and (high
    // performers) their ROTI.
    l.seed_account_ids(picked.iter().map(|a| a.id));
    let open = Some(vec![
        domain::jeopardy::AlertStatus::from(AlertStatus::Open)
            .as_str()
            .to_owned(),
        domain::jeopardy::AlertStatus::from(AlertStatus::Acknowledged)
            .as_str()
            .to_owned(),
    ]);
    let period = if jeopardy {
        None
    } else {
        Some(crate::graphql::roti::period(ctx, None).await?)
    };
    let mut out = Vec::with_capacity(picked.len());
    for a in picked {
        let alerts = l.account_alerts(a.id, open.clone()).await?;
        let roti = match period {
            Some(p) => Some(Roti(l.roti(false, a.id, p).await?)),
            None => None,
        };
        out.push(PortfolioEntry {
            account: l.account(a.id).await?.map(Account),
            score: a.score.map(i32::from),
            band: a.band.map(Into::into),
            revenue: a.revenue.map(|r| money_of(r, &f.currency)),
            open_alerts: alerts.iter().cloned().map(JeopardyAlert).collect(),
            roti,
        });
    }
    Ok(out)
}
