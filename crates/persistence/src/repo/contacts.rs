//! Contacts.

use super::page::{Page, PageArgs, WindowSpec, window_pages, window_pages_partial};
use super::partial::Columns;
use crate::entity::contact;
use crate::error::StoreError;
use domain::{AccountId, ContactId, TenantId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;
use uuid::Uuid;

fn live(tenant: TenantId) -> Select<contact::Entity> {
    contact::Entity::find()
        .filter(contact::Column::TenantId.eq(tenant.0))
        .filter(contact::Column::DeletedAt.is_null())
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    m: contact::Model,
) -> Result<contact::Model, StoreError> {
    super::insert_row::<contact::Entity>(conn, m.clone()).await?;
    Ok(m)
}

pub async fn get(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: ContactId,
) -> Result<Option<contact::Model>, StoreError> {
    Ok(live(tenant)
        .filter(contact::Column::Id.eq(id.0))
        .one(conn)
        .await?)
}

/// Writes every column of `after` if the row still has `after.version - 1`.
pub async fn update(
    conn: &impl ConnectionTrait,
    after: contact::Model,
) -> Result<bool, StoreError> {
    let (tenant, id, version) = (after.tenant_id, after.id, after.version);
    super::update_row::<contact::Entity>(conn, after, tenant, id, version).await
}

pub async fn by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<contact::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(live(tenant)
        .filter(contact::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The reporting lines of one account: `(contact, manager)` for every live
/// contact that has a manager.
pub async fn reporting_lines(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    account: AccountId,
) -> Result<HashMap<ContactId, ContactId>, StoreError> {
    let rows: Vec<(Uuid, Option<Uuid>)> = live(tenant)
        .select_only()
        .column(contact::Column::Id)
        .column(contact::Column::ReportsToId)
        .filter(contact::Column::AccountId.eq(account.0))
        .filter(contact::Column::ReportsToId.is_not_null())
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, m)| m.map(|m| (ContactId(id), ContactId(m))))
        .collect())
}

/// Direct reports of the given managers, in name order.
pub async fn direct_reports(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    manager_ids: &[Uuid],
) -> Result<Vec<contact::Model>, StoreError> {
    if manager_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(live(tenant)
        .filter(contact::Column::ReportsToId.is_in(manager_ids.iter().copied()))
        .order_by_asc(contact::Column::NameKey)
        .order_by_asc(contact::Column::Id)
        .all(conn)
        .await?)
}

/// Clears `reports_to_id` of the direct reports of `manager` (when the
/// manager is deleted). A composite `ON DELETE SET NULL` would clear the
/// tenant and account columns too, so the service does it.
pub async fn detach_reports(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    manager: ContactId,
    actor: Uuid,
) -> Result<(), StoreError> {
    contact::Entity::update_many()
        .col_expr(
            contact::Column::ReportsToId,
            Expr::value(Option::<Uuid>::None),
        )
        .col_expr(contact::Column::UpdatedAt, Expr::value(super::now()))
        .col_expr(contact::Column::UpdatedBy, Expr::value(actor))
        .col_expr(
            contact::Column::Version,
            Expr::col(contact::Column::Version).add(1),
        )
        .filter(contact::Column::TenantId.eq(tenant.0))
        .filter(contact::Column::ReportsToId.eq(manager.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// One page of contacts (name order) for each of several accounts, in one
/// statement.
pub async fn pages_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<contact::Model>>, StoreError> {
    let spec = WindowSpec {
        table: "contacts",
        parent: "account_id",
        key: "name_key",
        descending: false,
    };
    window_pages::<contact::Entity>(
        conn,
        &spec,
        tenant,
        accounts,
        args,
        |k| Ok(k.to_owned().into()),
        |c| c.account_id,
    )
    .await
}

/// Like [`pages_by_account`], reading only `columns` (plus `id`,
/// `account_id` and `name_key`, which paging needs).
pub async fn pages_by_account_partial(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
    args: &PageArgs,
    columns: Columns,
) -> Result<HashMap<Uuid, Page<contact::Model>>, StoreError> {
    let spec = WindowSpec {
        table: "contacts",
        parent: "account_id",
        key: "name_key",
        descending: false,
    };
    let columns = columns.union(Columns::of::<contact::Model>(&[
        "id",
        "account_id",
        "name_key",
    ]));
    window_pages_partial(
        conn,
        &spec,
        tenant,
        accounts,
        args,
        |k| Ok(k.to_owned().into()),
        columns,
        |c: &contact::Model| c.account_id,
    )
    .await
}

/// Tombstones every live contact of an account (the account was deleted).
pub async fn tombstone_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    account: AccountId,
    actor: Uuid,
) -> Result<(), StoreError> {
    let at = super::now();
    contact::Entity::update_many()
        .col_expr(contact::Column::DeletedAt, Expr::value(at))
        .col_expr(contact::Column::UpdatedAt, Expr::value(at))
        .col_expr(contact::Column::UpdatedBy, Expr::value(actor))
        .col_expr(
            contact::Column::Version,
            Expr::col(contact::Column::Version).add(1),
        )
        .filter(contact::Column::TenantId.eq(tenant.0))
        .filter(contact::Column::AccountId.eq(account.0))
        .filter(contact::Column::DeletedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}
