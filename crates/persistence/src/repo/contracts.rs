//! Contracts of accounts, and the tenant's upcoming renewals.

use super::page::{Page, PageArgs};
use crate::StoreError;
use crate::entity::contract;
use chrono::NaiveDate;
use domain::TenantId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

fn live(tenant: TenantId) -> Select<contract::Entity> {
    contract::Entity::find()
        .filter(contract::Column::TenantId.eq(tenant.0))
        .filter(contract::Column::DeletedAt.is_null())
}

/// A live contract.
pub async fn get(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<contract::Model>, StoreError> {
    Ok(live(tenant)
        .filter(contract::Column::Id.eq(id))
        .one(conn)
        .await?)
}

/// A live contract for a write (locked on Postgres).
pub async fn get_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<contract::Model>, StoreError> {
    let mut q = live(tenant).filter(contract::Column::Id.eq(id));
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// Live contracts by id.
pub async fn by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<contract::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(live(tenant)
        .filter(contract::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The order of an account's contracts: by renewal date (those without
/// one last), then start date, then id.
fn account_order(a: &contract::Model, b: &contract::Model) -> std::cmp::Ordering {
    let renewal = |c: &contract::Model| (c.renewal_date.is_none(), c.renewal_date);
    (renewal(a), a.start_date, a.id).cmp(&(renewal(b), b.start_date, b.id))
}

/// The live contracts of these accounts, grouped by account, each in
/// [`account_order`].
pub async fn of_accounts(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<contract::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = live(tenant)
        .filter(contract::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by(|a, b| {
        a.account_id
            .cmp(&b.account_id)
            .then_with(|| account_order(a, b))
    });
    Ok(rows)
}

/// The contracts whose renewal is still undecided (`OPEN`,
/// `IN_NEGOTIATION`) and due between `from` and `to` (both included).
fn upcoming_query(tenant: TenantId, from: NaiveDate, to: NaiveDate) -> Select<contract::Entity> {
    live(tenant)
        .filter(contract::Column::Stage.is_in(["OPEN", "IN_NEGOTIATION"]))
        .filter(contract::Column::RenewalDate.gte(from))
        .filter(contract::Column::RenewalDate.lte(to))
}

/// A cursor's key: the renewal date, `YYYY-MM-DD`.
pub fn cursor_key(c: &contract::Model) -> String {
    c.renewal_date.map(|d| d.to_string()).unwrap_or_default()
}

fn beyond(key: NaiveDate, id: Uuid, greater: bool) -> Condition {
    let col = |c: contract::Column| Expr::col((contract::Entity, c));
    let (date, idc) = (
        col(contract::Column::RenewalDate),
        col(contract::Column::Id),
    );
    if greater {
        Condition::any()
            .add(date.clone().gt(key))
            .add(Condition::all().add(date.eq(key)).add(idc.gt(id)))
    } else {
        Condition::any()
            .add(date.clone().lt(key))
            .add(Condition::all().add(date.eq(key)).add(idc.lt(id)))
    }
}

/// A page of upcoming renewals, by renewal date then id. A cursor whose key
/// is not a date is `Err(None)`-like: the caller checks keys first
/// ([`cursor_key`] makes them).
pub async fn upcoming_page(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    (from, to): (NaiveDate, NaiveDate),
    args: &PageArgs,
) -> Result<Page<contract::Model>, StoreError> {
    let date = |k: &str| {
        k.parse::<NaiveDate>()
            .map_err(|_| StoreError::Internal("renewal cursor: not a date".into()))
    };
    let mut q = upcoming_query(tenant, from, to);
    if let Some(a) = &args.after {
        q = q.filter(beyond(date(&a.key)?, a.id, true));
    }
    if let Some(b) = &args.before {
        q = q.filter(beyond(date(&b.key)?, b.id, false));
    }
    let dir = if args.from_end {
        Order::Desc
    } else {
        Order::Asc
    };
    let rows = q
        .order_by(contract::Column::RenewalDate, dir.clone())
        .order_by(contract::Column::Id, dir)
        .limit(args.limit + 1)
        .all(conn)
        .await?;
    Ok(Page::from_fetched(rows, args))
}

/// How many upcoming renewals there are in the window.
pub async fn upcoming_count(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<u64, StoreError> {
    Ok(upcoming_query(tenant, from, to).count(conn).await?)
}
