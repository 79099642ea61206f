//! Jeopardy alerts and each tenant's alert thresholds
//! (`domain::jeopardy`), with the facts the rules read that no other
//! repository gives (each account's newest activity, the accounts the
//! rules judge).

use super::page::{Page, PageArgs, Position};
use crate::StoreError;
use crate::entity::{account, activity, alert_setting, jeopardy_alert as alert};
use chrono::{DateTime, Utc};
use domain::TenantId;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Which alerts a list holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AlertFilter {
    /// Statuses as stored (`None`: all).
    pub statuses: Option<Vec<String>>,
    /// Rules as stored (`None`: all).
    pub rules: Option<Vec<String>>,
    /// Only alerts of accounts this user owns.
    pub owner: Option<Uuid>,
    /// Only alerts of this account.
    pub account: Option<Uuid>,
}

fn filtered(tenant: TenantId, f: &AlertFilter) -> Select<alert::Entity> {
    let mut accounts = Query::select()
        .column(account::Column::Id)
        .from(account::Entity)
        .and_where(account::Column::TenantId.eq(tenant.0))
        .and_where(account::Column::DeletedAt.is_null())
        .to_owned();
    if let Some(o) = f.owner {
        accounts.and_where(account::Column::OwnerId.eq(o));
    }
    let mut q = alert::Entity::find()
        .filter(alert::Column::TenantId.eq(tenant.0))
        .filter(alert::Column::AccountId.in_subquery(accounts));
    if let Some(s) = &f.statuses {
        q = q.filter(alert::Column::Status.is_in(s.iter().cloned()));
    }
    if let Some(r) = &f.rules {
        q = q.filter(alert::Column::Rule.is_in(r.iter().cloned()));
    }
    if let Some(a) = f.account {
        q = q.filter(alert::Column::AccountId.eq(a));
    }
    q
}

/// The cursor key of an alert: when it was raised, to the microsecond.
pub fn cursor_key(a: &alert::Model) -> String {
    a.raised_at
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn at(key: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(key)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Internal("bad alert cursor".into()))
}

/// `(raised_at, id) < pos` (or `>`).
fn beyond(pos: &Position, greater: bool) -> Result<Condition, StoreError> {
    let t = at(&pos.key)?;
    let cmp = |c: alert::Column, v: sea_orm::Value| {
        if greater {
            Expr::col(c).gt(v)
        } else {
            Expr::col(c).lt(v)
        }
    };
    Ok(Condition::any()
        .add(cmp(alert::Column::RaisedAt, t.into()))
        .add(
            Condition::all()
                .add(alert::Column::RaisedAt.eq(t))
                .add(cmp(alert::Column::Id, pos.id.into())),
        ))
}

/// One page of alerts, newest first.
pub async fn page(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    f: &AlertFilter,
    args: &PageArgs,
) -> Result<Page<alert::Model>, StoreError> {
    let mut q = filtered(tenant, f);
    // Newest first: `after` is older, `before` newer.
    if let Some(p) = &args.after {
        q = q.filter(beyond(p, false)?);
    }
    if let Some(p) = &args.before {
        q = q.filter(beyond(p, true)?);
    }
    let q = if args.from_end {
        q.order_by_asc(alert::Column::RaisedAt)
            .order_by_asc(alert::Column::Id)
    } else {
        q.order_by_desc(alert::Column::RaisedAt)
            .order_by_desc(alert::Column::Id)
    };
    let rows = q.limit(args.limit + 1).all(conn).await?;
    Ok(Page::from_fetched(rows, args))
}

/// How many alerts match.
pub async fn count(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    f: &AlertFilter,
) -> Result<u64, StoreError> {
    Ok(filtered(tenant, f).count(conn).await?)
}

/// The alerts of these accounts, newest first, of these statuses.
pub async fn of_accounts(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
    statuses: Option<&[String]>,
) -> Result<Vec<alert::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let mut q = alert::Entity::find()
        .filter(alert::Column::TenantId.eq(tenant.0))
        .filter(alert::Column::AccountId.is_in(accounts.iter().copied()));
    if let Some(s) = statuses {
        q = q.filter(alert::Column::Status.is_in(s.iter().cloned()));
    }
    Ok(q.order_by_desc(alert::Column::RaisedAt)
        .order_by_desc(alert::Column::Id)
        .all(conn)
        .await?)
}

/// An alert for a write (locked on Postgres), if its account is live.
pub async fn for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<alert::Model>, StoreError> {
    let mut q = filtered(tenant, &AlertFilter::default()).filter(alert::Column::Id.eq(id));
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// The tenant's thresholds, if an admin set them.
pub async fn settings(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<Option<alert_setting::Model>, StoreError> {
    Ok(alert_setting::Entity::find()
        .filter(alert_setting::Column::TenantId.eq(tenant.0))
        .one(conn)
        .await?)
}

/// When each of these accounts last had a live activity.
pub async fn last_activity_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<HashMap<Uuid, DateTime<Utc>>, StoreError> {
    if accounts.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, Option<DateTime<Utc>>)> = activity::Entity::find()
        .select_only()
        .column(activity::Column::AccountId)
        .column_as(activity::Column::OccurredAt.max(), "last")
        .filter(activity::Column::TenantId.eq(tenant.0))
        .filter(activity::Column::DeletedAt.is_null())
        .filter(activity::Column::AccountId.is_in(accounts.iter().copied()))
        .group_by(activity::Column::AccountId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(a, t)| Some((a, t?)))
        .collect())
}

/// The live accounts the rules judge (`ACTIVE`, `AT_RISK`; not archived)
/// among `ids`, or all of the tenant's when `None`: (id, tier, created at).
pub async fn judged_accounts(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: Option<&[Uuid]>,
) -> Result<Vec<(Uuid, String, DateTime<Utc>)>, StoreError> {
    let mut q = account::Entity::find()
        .select_only()
        .columns([
            account::Column::Id,
            account::Column::Tier,
            account::Column::CreatedAt,
        ])
        .filter(account::Column::TenantId.eq(tenant.0))
        .filter(account::Column::DeletedAt.is_null())
        .filter(account::Column::ArchivedAt.is_null())
        .filter(account::Column::Status.is_in(["ACTIVE", "AT_RISK"]));
    if let Some(ids) = ids {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        q = q.filter(account::Column::Id.is_in(ids.iter().copied()));
    }
    Ok(q.order_by_asc(account::Column::Id)
        .into_tuple()
        .all(conn)
        .await?)
}

/// Every tenant's id (for the scheduled evaluation).
pub async fn tenant_ids(conn: &impl ConnectionTrait) -> Result<Vec<Uuid>, StoreError> {
    Ok(crate::entity::tenant::Entity::find()
        .select_only()
        .column(crate::entity::tenant::Column::TenantId)
        .into_tuple()
        .all(conn)
        .await?)
}
