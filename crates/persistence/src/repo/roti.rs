//! The figures of ROTI (`domain::roti`): hours of activities, revenue
//! actuals of growth targets, objectives achieved, per account or per
//! user, in a period. One grouped statement each, for any number of
//! accounts or users (or the whole tenant).

use super::{placeholders, raw};
use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use domain::TenantId;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(FromQueryResult)]
struct Sum {
    k: Uuid,
    n: i64,
}

async fn sums(
    conn: &impl ConnectionTrait,
    sql: String,
    values: Vec<Value>,
) -> Result<HashMap<Uuid, i64>, StoreError> {
    let rows = Sum::find_by_statement(raw(conn.get_database_backend(), &sql, values))
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.k, r.n)).collect())
}

/// ` AND {col} IN (...)` for `ids`, when given.
fn within(col: &str, ids: Option<&[Uuid]>, values: &mut Vec<Value>) -> String {
    match ids {
        None => String::new(),
        Some(ids) => {
            values.extend(ids.iter().map(|i| Value::from(*i)));
            format!(" AND {col} IN ({})", placeholders(ids.len().max(1)))
        }
    }
}

fn empty(ids: Option<&[Uuid]>) -> bool {
    ids.is_some_and(<[Uuid]>::is_empty)
}

/// Hundredths of hours of live activities from `from` (inclusive) to `to`
/// (exclusive), per account.
pub async fn hours_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: Option<&[Uuid]>,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<HashMap<Uuid, i64>, StoreError> {
    if empty(accounts) {
        return Ok(HashMap::new());
    }
    let mut values: Vec<Value> = vec![tenant.0.into(), from.into(), to.into()];
    let scope = within("a.account_id", accounts, &mut values);
    let sql = format!(
        "SELECT a.account_id AS k, CAST(SUM(a.hours_hundredths) AS BIGINT) AS n FROM activities a \
         WHERE a.tenant_id = ? AND a.deleted_at IS NULL AND a.occurred_at >= ? AND a.occurred_at < ?{scope} \
         GROUP BY a.account_id"
    );
    sums(conn, sql, values).await
}

/// Hundredths of hours of live activities from `from` to `to` (exclusive)
/// per user who logged them or took part (an activity counts once per
/// user).
pub async fn hours_by_user(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    users: Option<&[Uuid]>,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<HashMap<Uuid, i64>, StoreError> {
    if empty(users) {
        return Ok(HashMap::new());
    }
    let mut values: Vec<Value> = vec![
        tenant.0.into(),
        from.into(),
        to.into(),
        tenant.0.into(),
        tenant.0.into(),
        from.into(),
        to.into(),
    ];
    let scope = within("u.u", users, &mut values);
    let sql = format!(
        "SELECT u.u AS k, CAST(SUM(u.h) AS BIGINT) AS n FROM ( \
           SELECT a.created_by AS u, a.id AS id, a.hours_hundredths AS h FROM activities a \
           WHERE a.tenant_id = ? AND a.deleted_at IS NULL AND a.occurred_at >= ? AND a.occurred_at < ? \
             AND a.created_by IS NOT NULL \
           UNION \
           SELECT p.user_id AS u, a.id AS id, a.hours_hundredths AS h FROM activity_participants p \
           JOIN activities a ON a.tenant_id = p.tenant_id AND a.id = p.activity_id \
           WHERE p.tenant_id = ? AND a.tenant_id = ? AND a.deleted_at IS NULL AND a.occurred_at >= ? AND a.occurred_at < ? \
         ) u WHERE 1 = 1{scope} GROUP BY u.u"
    );
    sums(conn, sql, values).await
}

/// Revenue actuals (minor units of `currency`) of the `REVENUE` growth
/// targets ending from `from` to `to` (both included), on live plans, per
/// account.
pub async fn revenue_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: Option<&[Uuid]>,
    currency: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<HashMap<Uuid, i64>, StoreError> {
    if empty(accounts) {
        return Ok(HashMap::new());
    }
    let mut values: Vec<Value> = vec![
        tenant.0.into(),
        currency.to_owned().into(),
        from.into(),
        to.into(),
    ];
    let scope = within("p.account_id", accounts, &mut values);
    let sql = format!(
        "SELECT p.account_id AS k, CAST(SUM(g.actual_minor) AS BIGINT) AS n FROM growth_targets g \
         JOIN account_plans p ON p.tenant_id = g.tenant_id AND p.id = g.plan_id AND p.deleted_at IS NULL \
         WHERE g.tenant_id = ? AND g.kind = 'REVENUE' AND g.actual_minor IS NOT NULL AND g.currency = ? \
           AND g.period_end >= ? AND g.period_end <= ?{scope} \
         GROUP BY p.account_id"
    );
    sums(conn, sql, values).await
}

/// Objectives `ACHIEVED` with a due date from `from` to `to` (both
/// included), on live plans, per account.
pub async fn achieved_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: Option<&[Uuid]>,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<HashMap<Uuid, i64>, StoreError> {
    if empty(accounts) {
        return Ok(HashMap::new());
    }
    let mut values: Vec<Value> = vec![tenant.0.into(), from.into(), to.into()];
    let scope = within("p.account_id", accounts, &mut values);
    let sql = format!(
        "SELECT p.account_id AS k, COUNT(*) AS n FROM objectives o \
         JOIN account_plans p ON p.tenant_id = o.tenant_id AND p.id = o.plan_id AND p.deleted_at IS NULL \
         WHERE o.tenant_id = ? AND o.deleted_at IS NULL AND o.status = 'ACHIEVED' \
           AND o.due_date >= ? AND o.due_date <= ?{scope} \
         GROUP BY p.account_id"
    );
    sums(conn, sql, values).await
}

/// The live accounts of the tenant (of these owners when given): (id,
/// owner).
pub async fn account_owners(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    owners: Option<&[Uuid]>,
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    use crate::entity::account;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    if empty(owners) {
        return Ok(vec![]);
    }
    let mut q = account::Entity::find()
        .select_only()
        .columns([account::Column::Id, account::Column::OwnerId])
        .filter(account::Column::TenantId.eq(tenant.0))
        .filter(account::Column::DeletedAt.is_null());
    if let Some(o) = owners {
        q = q.filter(account::Column::OwnerId.is_in(o.iter().copied()));
    }
    Ok(q.into_tuple().all(conn).await?)
}
