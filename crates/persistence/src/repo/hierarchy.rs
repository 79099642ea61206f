//! Account hierarchies: walking the tree of live accounts up (the chain of
//! parents) and down (subsidiaries, revenue rolled up), with recursive
//! common table expressions that both databases run. Every walk stops after
//! `domain::hierarchy::MAX_DEPTH` levels, so even a corrupt tree (a cycle
//! written around the services) cannot make a statement run away.

use super::page::{Child, Page, PageArgs, WindowSpec, window_pages, window_pages_partial};
use super::partial::{Columns, Part};
use super::raw;
use crate::StoreError;
use crate::entity::account;
use domain::TenantId;
use domain::hierarchy::MAX_DEPTH;
use sea_orm::{ConnectionTrait, Value};
use std::collections::HashMap;
use uuid::Uuid;

fn in_list(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn values(tenant: TenantId, ids: &[Uuid]) -> Vec<Value> {
    ids.iter()
        .map(|i| Value::from(*i))
        .chain([tenant.0.into()])
        .collect()
}

/// The chain above each of `ids`: (account, ancestor) pairs, nearest
/// ancestor first, in `ids`' order of appearance grouped by account.
pub async fn ancestor_pairs(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "WITH RECURSIVE up(start, id, depth) AS ( \
            SELECT a.id, a.parent_id, 1 FROM accounts a \
            WHERE a.id IN ({}) AND a.tenant_id = ? AND a.parent_id IS NOT NULL AND a.deleted_at IS NULL \
            UNION ALL \
            SELECT up.start, p.parent_id, up.depth + 1 FROM up JOIN accounts p \
            ON p.tenant_id = ? AND p.id = up.id \
            WHERE p.parent_id IS NOT NULL AND up.depth < {MAX_DEPTH}) \
         SELECT up.start AS start, up.id AS ancestor FROM up \
         JOIN accounts x ON x.tenant_id = ? AND x.id = up.id AND x.deleted_at IS NULL \
         ORDER BY up.start, up.depth",
        in_list(ids.len())
    );
    let mut v = values(tenant, ids);
    v.extend([tenant.0.into(), tenant.0.into()]);
    let rows = conn
        .query_all_raw(raw(conn.get_database_backend(), &sql, v))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push((r.try_get("", "start")?, r.try_get("", "ancestor")?));
    }
    Ok(out)
}

/// The ids above `account`, its parent first.
pub async fn chain_up(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    account: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(ancestor_pairs(conn, tenant, &[account])
        .await?
        .into_iter()
        .map(|(_, a)| a)
        .collect())
}

/// The levels of `account`'s subtree of live accounts (1 without children).
pub async fn subtree_height(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    account: Uuid,
) -> Result<usize, StoreError> {
    let sql = format!(
        "WITH RECURSIVE down(id, depth) AS ( \
            SELECT a.id, 1 FROM accounts a WHERE a.tenant_id = ? AND a.id = ? \
            UNION ALL \
            SELECT c.id, down.depth + 1 FROM down JOIN accounts c \
            ON c.tenant_id = ? AND c.parent_id = down.id AND c.deleted_at IS NULL \
            WHERE down.depth <= {MAX_DEPTH}) \
         SELECT MAX(depth) AS height FROM down"
    );
    let v = vec![tenant.0.into(), account.into(), tenant.0.into()];
    let row = conn
        .query_one_raw(raw(conn.get_database_backend(), &sql, v))
        .await?;
    let h: Option<i32> = match row {
        Some(r) => r.try_get("", "height")?,
        None => None,
    };
    Ok(usize::try_from(h.unwrap_or(1)).unwrap_or(1))
}

/// Annual revenue summed over each account's subtree (the account and
/// every live subsidiary below it), per currency: (account, currency,
/// total in ten-thousandths, how many accounts had revenue in it), by
/// account, then currency.
pub async fn revenue_rollup(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, String, i64, i64)>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "WITH RECURSIVE down(root, id, depth) AS ( \
            SELECT a.id, a.id, 1 FROM accounts a \
            WHERE a.id IN ({}) AND a.tenant_id = ? AND a.deleted_at IS NULL \
            UNION ALL \
            SELECT down.root, c.id, down.depth + 1 FROM down JOIN accounts c \
            ON c.tenant_id = ? AND c.parent_id = down.id AND c.deleted_at IS NULL \
            WHERE down.depth < {MAX_DEPTH}) \
         SELECT down.root AS root, a.annual_revenue_currency AS currency, \
            CAST(SUM(a.annual_revenue_minor) AS BIGINT) AS total, COUNT(*) AS accounts \
         FROM down JOIN accounts a ON a.tenant_id = ? AND a.id = down.id \
         WHERE a.annual_revenue_minor IS NOT NULL AND a.annual_revenue_currency IS NOT NULL \
         GROUP BY down.root, a.annual_revenue_currency \
         ORDER BY down.root, a.annual_revenue_currency",
        in_list(ids.len())
    );
    let mut v = values(tenant, ids);
    v.extend([tenant.0.into(), tenant.0.into()]);
    let rows = conn
        .query_all_raw(raw(conn.get_database_backend(), &sql, v))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push((
            r.try_get("", "root")?,
            r.try_get("", "currency")?,
            r.try_get("", "total")?,
            r.try_get("", "accounts")?,
        ));
    }
    Ok(out)
}

/// Subsidiaries in their parent's list: by name, then id.
const CHILDREN: WindowSpec<'static> = WindowSpec {
    table: "accounts",
    parent: "parent_id",
    key: "name_key",
    descending: false,
};

const CHILD: Child<account::Model> = Child {
    parent: |a| a.parent_id.unwrap_or_default(),
    order: |a, b| a.name_key.cmp(&b.name_key).then(a.id.cmp(&b.id)),
};

/// One page of live subsidiaries (archived ones too) for each parent, in one
/// statement.
pub async fn children_pages(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    parents: &[Uuid],
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<account::Model>>, StoreError> {
    window_pages::<account::Entity>(
        conn,
        &CHILDREN,
        tenant,
        parents,
        args,
        |k| Ok(k.to_owned().into()),
        CHILD,
    )
    .await
}

/// [`children_pages`] reading only `columns`.
pub async fn children_pages_partial(
    db: &crate::Db,
    tenant: TenantId,
    parents: &[Uuid],
    args: &PageArgs,
    columns: Columns,
) -> Result<std::sync::Arc<HashMap<Uuid, Page<Part<account::Model>>>>, StoreError> {
    let columns = columns.union(Columns::of::<account::Model>(&[
        "id",
        "parent_id",
        "name_key",
    ]));
    window_pages_partial(
        db,
        &CHILDREN,
        tenant,
        parents,
        args,
        |k| Ok(k.to_owned().into()),
        columns,
        CHILD,
        |s| &s.account_children,
    )
    .await
}

/// How many live subsidiaries each parent has (`children.totalCount`).
pub async fn children_counts(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    parents: &[Uuid],
) -> Result<HashMap<Uuid, i64>, StoreError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let live = account::Entity::find()
        .filter(account::Column::TenantId.eq(tenant.0))
        .filter(account::Column::DeletedAt.is_null());
    let (parent, id) = (account::Column::ParentId, account::Column::Id);
    super::counts_by_parent(conn, live, parent, id, parents).await
}
