//! Portfolio views (`domain::portfolio`): the facts read once per request
//! (the accounts in scope, their stored evidence, the health model, the
//! exchange rates, their open alerts: five statements whatever the number
//! of accounts), grouped and ranked with the domain's rules.

use crate::error::ApiResult;
use chrono::Utc;
use domain::portfolio::PortfolioAccount;
use domain::user::Role;
use domain::{Principal, TenantId};
use persistence::Db;
use persistence::repo::{alerts, pareto, signals, tenants};
use std::collections::HashMap;
use uuid::Uuid;

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
/// everyone else the tenant's.
pub async fn facts(db: &Db, p: &Principal) -> ApiResult<Facts> {
    let scope = if p.role == Role::AccountManager {
        Scope::Team
    } else {
        Scope::Tenant
    };
    let tenant: TenantId = p.tenant_id;
    let conn = db.read();
    let member = (scope == Scope::Team).then_some(p.user_id.0);
    let rows = alerts::portfolio_accounts(conn, tenant, member).await?;
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
    let evidence: HashMap<Uuid, signals::EvidenceRow> = signals::all_evidence(conn, tenant)
        .await?
        .into_iter()
        .map(|h| (h.account, h))
        .collect();
    let open = alerts::open_counts(conn, tenant).await?;
    let accounts = rows
        .into_iter()
        .map(|(id, tier, region, owner, minor, currency)| {
            let revenue = match (minor, currency) {
                (Some(m), Some(c)) if c == t.default_currency => Some(m),
                (Some(m), Some(c)) => rates
                    .get(&c)
                    .map(|r| domain::pareto::converted_minor(m, *r)),
                _ => None,
            };
            let scored = evidence.get(&id).and_then(|e| {
                let m = domain::health::HealthModel {
                    half_life_days: u16::try_from(e.half_life_days).unwrap_or(model.half_life_days),
                    ..model.clone()
                };
                let ev = domain::health::Evidence {
                    anchor: e.anchor,
                    sums: e.sums,
                    count: u64::try_from(e.count).unwrap_or_default(),
                    last_at: e.last_at,
                };
                domain::health::score_of(&m, &ev, now)
            });
            PortfolioAccount {
                id,
                tier,
                region,
                owner,
                revenue,
                score: scored.map(|s| s.0),
                band: scored.map(|s| s.1),
                open_alerts: open
                    .get(&id)
                    .and_then(|n| u32::try_from(*n).ok())
                    .unwrap_or(0),
            }
        })
        .collect();
    Ok(Facts {
        scope,
        currency: t.default_currency,
        accounts,
    })
}
