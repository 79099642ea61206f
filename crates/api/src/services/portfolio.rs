//! Portfolio views (`domain::portfolio`): the facts read once per request
//! (the accounts in scope with their weighted evidence and open alerts, the
//! tenant, the exchange rates, the health model: four statements whatever
//! the number of accounts), grouped and ranked with the domain's rules.

use crate::error::ApiResult;
use chrono::Utc;
use domain::portfolio::PortfolioAccount;
use domain::user::Role;
use domain::{Principal, TenantId};
use persistence::Db;
use persistence::repo::{pareto, portfolio, tenants};
use std::collections::HashMap;

/// Whose accounts a portfolio holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every account of the tenant.
    Tenant,
    /// The accounts on whose team the caller is (account managers).
    Team,
}

/// The accounts of a portfolio, with their default currency.
#[derive(Debug, Clone)]
pub struct Facts {
    pub scope: Scope,
    pub currency: String,
    pub accounts: Vec<PortfolioAccount>,
}

/// The caller's portfolio: account managers see their team's accounts,
/// everyone else the tenant's. Four statements: the accounts with their
/// weighted evidence and open alerts (`repo::portfolio`), the tenant, its
/// exchange rates, its health model.
pub async fn facts(db: &Db, p: &Principal) -> ApiResult<Facts> {
    let scope = if p.role == Role::AccountManager {
        Scope::Team
    } else {
        Scope::Tenant
    };
    let tenant: TenantId = p.tenant_id;
    let conn = db.read();
    let member = (scope == Scope::Team).then_some(p.user_id.0);
    let t = tenants::get(conn, tenant)
        .await?
        .ok_or_else(|| crate::error::ApiError::not_found("tenant"))?;
    let now = Utc::now();
    let today = domain::cadence::today_in(&t.time_zone, now);
    // The rate in effect per currency: the newest not after today.
    let mut rates: HashMap<String, i64> = HashMap::new();
    for r in pareto::rates(conn, tenant).await? {
        if r.valid_from <= today {
            rates.entry(r.currency).or_insert(r.rate_e9);
        }
    }
    let model = super::signals::model_read(db, tenant).await?;
    let weights = domain::health::signed_weights(&model);
    let rows = portfolio::rows(conn, tenant, member, &weights).await?;
    let accounts = rows
        .into_iter()
        .map(|r| {
            let revenue = match (r.revenue_minor, r.revenue_currency) {
                (Some(m), Some(c)) if c == t.default_currency => Some(m),
                (Some(m), Some(c)) => rates
                    .get(&c)
                    .map(|r| domain::pareto::converted_minor(m, *r)),
                _ => None,
            };
            let scored = r.evidence.and_then(|e| {
                // Decay with the half-life the sums were kept with.
                let m = domain::health::HealthModel {
                    half_life_days: u16::try_from(e.half_life_days).unwrap_or(model.half_life_days),
                    ..model.clone()
                };
                let count = u64::try_from(e.signal_count).unwrap_or_default();
                domain::health::score_of_masses(&m, (e.positive, e.negative), e.anchor, count, now)
            });
            PortfolioAccount {
                id: r.id,
                tier: r.tier,
                region: r.region,
                owner: r.owner,
                revenue,
                score: scored.map(|s| s.0),
                band: scored.map(|s| s.1),
                open_alerts: u32::try_from(r.open_alerts).unwrap_or(u32::MAX),
            }
        })
        .collect();
    Ok(Facts {
        scope,
        currency: t.default_currency,
        accounts,
    })
}
