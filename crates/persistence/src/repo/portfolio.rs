//! The portfolio's one read of the accounts in scope: each live, unarchived
//! account's tier, region, owner and revenue, its evidence reduced in SQL to
//! the two weighted masses the score needs (`domain::health::Masses`: the
//! sum over the positive and over the negative kinds of weight times the
//! kind's decay sum at the anchor, the weights bound from the tenant's
//! model), and its unresolved alerts: one statement and 12 numbers or short
//! strings per account, whatever the number of signals.

use super::raw;
use crate::StoreError;
use crate::entity::account_health as health;
use chrono::{DateTime, Utc};
use domain::TenantId;
use sea_orm::{ConnectionTrait, DbBackend, Value};
use uuid::Uuid;

/// An account's evidence as the portfolio scores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Masses {
    pub anchor: DateTime<Utc>,
    pub half_life_days: i32,
    pub signal_count: i64,
    /// Weighted positive and negative decay sums at the anchor.
    pub positive: f64,
    pub negative: f64,
}

/// A live, unarchived account of the portfolio.
#[derive(Debug, Clone)]
pub struct PortfolioRow {
    pub id: Uuid,
    pub tier: String,
    pub region: Option<String>,
    pub owner: Uuid,
    pub revenue_minor: Option<i64>,
    pub revenue_currency: Option<String>,
    /// `None`: no signal was ever recorded.
    pub evidence: Option<Masses>,
    /// Open and acknowledged alerts.
    pub open_alerts: i64,
}

/// The accounts of the tenant (those on whose team `member` is, when
/// given), with `weights` per kind in `SignalKind::ALL` order: whether the
/// kind is good news (its mass goes to the positive side) and its weight.
pub async fn rows(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    member: Option<Uuid>,
    weights: &[(bool, f64); health::KINDS],
) -> Result<Vec<PortfolioRow>, StoreError> {
    let backend = conn.get_database_backend();
    // A negative sum (rounding after a removal) counts as none, as in
    // `Masses::of`.
    let floor = |c: &str| match backend {
        DbBackend::Postgres => format!("GREATEST(h.{c}, 0)"),
        _ => format!("MAX(h.{c}, 0)"),
    };
    let mass = |positive: bool| -> String {
        let terms: Vec<String> = health::SUM_COLUMNS
            .iter()
            .zip(weights)
            .filter(|(_, (p, _))| *p == positive)
            .map(|(c, _)| format!("CAST(? AS DOUBLE PRECISION) * {}", floor(c)))
            .collect();
        if terms.is_empty() {
            "0.0".into()
        } else {
            terms.join(" + ")
        }
    };
    let mut values: Vec<Value> = Vec::new();
    for positive in [true, false] {
        values.extend(
            weights
                .iter()
                .filter(|(p, _)| *p == positive)
                .map(|(_, w)| Value::from(*w)),
        );
    }
    let team = if member.is_some() {
        " AND a.id IN (SELECT m.account_id FROM account_team_members m \
           WHERE m.tenant_id = ? AND m.user_id = ?)"
    } else {
        ""
    };
    let sql = format!(
        "SELECT a.id, a.tier, a.region, a.owner_id, a.annual_revenue_minor, \
            a.annual_revenue_currency, h.anchor_at, h.half_life_days, h.signal_count, \
            {pos} AS positive, {neg} AS negative, COALESCE(al.n, 0) AS open_alerts \
         FROM accounts a \
         LEFT JOIN account_health h ON h.tenant_id = a.tenant_id AND h.account_id = a.id \
         LEFT JOIN (SELECT account_id, COUNT(*) AS n FROM jeopardy_alerts \
            WHERE tenant_id = ? AND status <> 'RESOLVED' GROUP BY account_id) al \
            ON al.account_id = a.id \
         WHERE a.tenant_id = ? AND a.deleted_at IS NULL AND a.archived_at IS NULL{team}",
        pos = mass(true),
        neg = mass(false),
    );
    values.push(tenant.0.into());
    values.push(tenant.0.into());
    if let Some(u) = member {
        values.push(tenant.0.into());
        values.push(u.into());
    }
    let rows = conn.query_all_raw(raw(backend, &sql, values)).await?;
    rows.iter()
        .map(|r| {
            let anchor: Option<DateTime<Utc>> = r.try_get_by_index(6)?;
            let evidence = match anchor {
                Some(anchor) => Some(Masses {
                    anchor,
                    half_life_days: r.try_get_by_index(7)?,
                    signal_count: r.try_get_by_index(8)?,
                    positive: r.try_get_by_index(9)?,
                    negative: r.try_get_by_index(10)?,
                }),
                None => None,
            };
            Ok(PortfolioRow {
                id: r.try_get_by_index(0)?,
                tier: r.try_get_by_index(1)?,
                region: r.try_get_by_index(2)?,
                owner: r.try_get_by_index(3)?,
                revenue_minor: r.try_get_by_index(4)?,
                revenue_currency: r.try_get_by_index(5)?,
                evidence,
                open_alerts: r.try_get_by_index(11)?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(StoreError::from)
}
