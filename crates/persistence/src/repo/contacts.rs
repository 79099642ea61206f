//! Contacts.

use super::page::{
    Child, Page, PageArgs, WindowSpec, cursor_conditions, window_pages, window_pages_partial,
};
use super::partial::{Columns, Part};
use crate::entity::{account, contact};
use crate::error::StoreError;
use domain::{AccountId, ContactId, TenantId};
use sea_orm::sea_query::Expr;
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

/// Like [`by_ids`], reading only `columns` (plus `id`): the compiled read
/// path's `reportsTo` and `contact(id:)`.
pub async fn by_ids_partial(
    db: &crate::Db,
    tenant: TenantId,
    ids: &[Uuid],
    columns: Columns,
) -> Result<Vec<Part<contact::Model>>, StoreError> {
    super::partial::by_ids(db, live(tenant), contact::Column::Id, ids, columns).await
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
    Ok(reports_of(tenant, manager_ids).all(conn).await?)
}

/// The live direct reports of these managers, in name order.
fn reports_of(tenant: TenantId, manager_ids: &[Uuid]) -> Select<contact::Entity> {
    live(tenant)
        .filter(contact::Column::ReportsToId.is_in(manager_ids.iter().copied()))
        .order_by_asc(contact::Column::NameKey)
        .order_by_asc(contact::Column::Id)
}

/// Like [`direct_reports`], reading only `columns` (plus `id`,
/// `reports_to_id` and `name_key`): the compiled read path's
/// `directReports`, in name order per manager.
pub async fn direct_reports_partial(
    db: &crate::Db,
    tenant: TenantId,
    manager_ids: &[Uuid],
    columns: Columns,
) -> Result<Vec<Part<contact::Model>>, StoreError> {
    if manager_ids.is_empty() {
        return Ok(vec![]);
    }
    let columns = columns.union(Columns::of::<contact::Model>(&[
        "id",
        "reports_to_id",
        "name_key",
    ]));
    let q = super::partial::select_columns(reports_of(tenant, manager_ids), columns)?;
    let rows = db
        .query_all(sea_orm::QueryTrait::build(&q, db.backend()))
        .await?;
    Ok(columns.decode_all::<contact::Model>(&rows)?)
}

/// Clears `reports_to_id` of the direct reports of `manager` (when the
/// manager is deleted). A composite `ON DELETE SET NULL` would clear the
/// tenant and account columns too, so the service does it.
pub async fn detach_reports(
    w: &crate::write::Writer,
    tenant: TenantId,
    manager: ContactId,
) -> Result<(), StoreError> {
    let q = contact::Entity::update_many()
        .col_expr(
            contact::Column::ReportsToId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(contact::Column::TenantId.eq(tenant.0))
        .filter(contact::Column::ReportsToId.eq(manager.0));
    w.update_many(q, crate::write::Op::Updated).await?;
    Ok(())
}

/// Pages of an account's children (one window statement per page).
const PAGES: WindowSpec<'static> = WindowSpec {
    table: "contacts",
    parent: "account_id",
    key: "name_key",
    descending: false,
};

/// One page of contacts (name order) for each of several accounts, in one
/// statement.
pub async fn pages_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<contact::Model>>, StoreError> {
    let spec = PAGES;
    window_pages::<contact::Entity>(
        conn,
        &spec,
        tenant,
        accounts,
        args,
        |k| Ok(k.to_owned().into()),
        CHILD,
    )
    .await
}

/// Like [`pages_by_account`], reading only `columns` (plus `id`,
/// `account_id` and `name_key`, which paging needs).
pub async fn pages_by_account_partial(
    db: &crate::Db,
    tenant: TenantId,
    accounts: &[Uuid],
    args: &PageArgs,
    columns: Columns,
) -> Result<std::sync::Arc<HashMap<Uuid, Page<Part<contact::Model>>>>, StoreError> {
    let spec = PAGES;
    let columns = columns.union(Columns::of::<contact::Model>(&[
        "id",
        "account_id",
        "name_key",
    ]));
    window_pages_partial(
        db,
        &spec,
        tenant,
        accounts,
        args,
        |k| Ok(k.to_owned().into()),
        columns,
        CHILD,
        |s| &s.contact_pages,
    )
    .await
}

/// Contacts in their account's list: `name_key`, then `id`, compared
/// bytewise as the SQL compares them (`name_key` has the "C" collation on
/// Postgres and SQLite's BINARY; uuids compare as bytes).
const CHILD: Child<contact::Model> = Child {
    parent: |c| c.account_id,
    order: |a, b| a.name_key.cmp(&b.name_key).then(a.id.cmp(&b.id)),
};

/// A contact's direct reports, as `page::parent_with_page` reads a list:
/// live contacts whose `reports_to_id` is the parent, in name order.
const REPORTS: WindowSpec<'static> = WindowSpec {
    table: "contacts",
    parent: "reports_to_id",
    key: "name_key",
    descending: false,
};

const REPORT: Child<contact::Model> = Child {
    parent: |c| c.reports_to_id.unwrap_or_default(),
    order: |a, b| a.name_key.cmp(&b.name_key).then(a.id.cmp(&b.id)),
};

/// Postgres only: one live contact and all its live direct reports (name
/// order, as [`direct_reports`]) in one statement (`page::parent_with_page`
/// with no limit), reading only these columns, with the users `users` joins
/// (the contact aliased `a`, the reports `c`); `None` when the contact does
/// not exist.
pub async fn contact_with_reports(
    db: &crate::Db,
    tenant: TenantId,
    id: Uuid,
    (columns, report_columns): (Columns, Columns),
    users: super::users::UserJoins<'_>,
) -> Result<Option<super::page::ParentWithPage<contact::Model, contact::Model>>, StoreError> {
    let report_columns = report_columns.union(Columns::of::<contact::Model>(&[
        "id",
        "reports_to_id",
        "name_key",
    ]));
    let all = PageArgs {
        limit: u64::try_from(i64::MAX - 1).unwrap_or(u64::MAX / 2),
        after: None,
        before: None,
        from_end: false,
    };
    super::page::parent_with_page(
        db,
        "contacts",
        &REPORTS,
        tenant,
        id,
        (columns, report_columns),
        &all,
        |k| Ok(k.to_owned().into()),
        REPORT,
        users,
    )
    .await
}

/// Postgres only: one live contact and its (live) account in one
/// statement, reading only these columns (plus the ids), with the users
/// `users` joins (aliases `c` and `a`); `None` when the contact does not
/// exist, an account `None` when it is gone.
pub async fn contact_with_account(
    db: &crate::Db,
    tenant: TenantId,
    id: Uuid,
    columns: Columns,
    account_columns: Columns,
    users: super::users::UserJoins<'_>,
) -> Result<Option<ContactWithAccount>, StoreError> {
    let ccols = columns.union(Columns::of::<contact::Model>(&["id", "account_id"]));
    let acols = account_columns.union(Columns::of::<account::Model>(&["id"]));
    let mut sql = String::with_capacity(256);
    sql.push_str("SELECT ");
    ccols.push_select_list::<contact::Model>(&mut sql, "c");
    sql.push_str(", ");
    acols.push_select_list::<account::Model>(&mut sql, "a");
    users.push_select(&mut sql);
    sql.push_str(
        " FROM contacts c LEFT JOIN accounts a ON a.tenant_id = c.tenant_id \
         AND a.id = c.account_id AND a.deleted_at IS NULL",
    );
    users.push_joins(&mut sql);
    sql.push_str(" WHERE c.tenant_id = ? AND c.id = ? AND c.deleted_at IS NULL");
    let values: Vec<sea_orm::Value> = vec![tenant.0.into(), id.into()];
    let rows = db
        .query_all(super::raw(sea_orm::DbBackend::Postgres, &sql, values))
        .await?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let offset = ccols.len();
    let account_id_at = offset + acols.position::<account::Model>("id").unwrap_or(0);
    let contact = ccols.decode::<contact::Model>(r)?;
    let account = match r.try_get_by_index::<Option<Uuid>>(account_id_at)? {
        Some(_) => Some(acols.decode_at::<account::Model>(r, offset)?),
        None => None,
    };
    let mut found = HashMap::new();
    users.decode(r, &mut found)?;
    Ok(Some((contact, account, found)))
}

/// A contact, its account (`None` when gone) and the users joined.
pub type ContactWithAccount = (
    Part<contact::Model>,
    Option<Part<account::Model>>,
    HashMap<Uuid, crate::entity::user::Model>,
);

/// An account with a page of its contacts.
pub type AccountWithPage = (Part<account::Model>, Page<Part<contact::Model>>);

/// What concurrent [`account_with_page`] calls must share to run as one
/// statement: the tenant, the columns and the page arguments.
pub(crate) type AccountPageKey = (Uuid, Columns, Columns, PageArgs);

/// Postgres only: one live account and a page of its contacts in one
/// statement (the account's columns repeat on each contact row; a LATERAL
/// index scan for the page). `None` when the account does not exist.
/// Concurrent calls with the same tenant, columns and page arguments share
/// one statement (see `coalesce`).
pub async fn account_with_page(
    db: &crate::Db,
    tenant: TenantId,
    account: Uuid,
    account_columns: Columns,
    columns: Columns,
    args: &PageArgs,
) -> Result<Option<AccountWithPage>, StoreError> {
    let key = (tenant.0, account_columns, columns, args.clone());
    match db.coalesced() {
        Some(c) => {
            c.account_pages
                .run(key.clone(), account, |ids| {
                    accounts_with_pages(db, &key, ids)
                })
                .await
        }
        None => crate::coalesce::alone(accounts_with_pages(db, &key, vec![account]).await?),
    }
}

/// The statement of [`account_with_page`] for several accounts: one result
/// per id, in order.
async fn accounts_with_pages(
    db: &crate::Db,
    (tenant, account_columns, columns, args): &AccountPageKey,
    ids: Vec<Uuid>,
) -> Result<Vec<Option<AccountWithPage>>, StoreError> {
    let spec = PAGES;
    let acols = account_columns.union(Columns::of::<account::Model>(&["id"]));
    let ccols = columns.union(Columns::of::<contact::Model>(&[
        "id",
        "account_id",
        "name_key",
    ]));
    let dir = if args.from_end { "DESC" } else { "ASC" };
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(8);
    let mut sql = format!(
        "SELECT {}, {} FROM accounts a LEFT JOIN LATERAL (SELECT * FROM contacts c \
         WHERE c.tenant_id = a.tenant_id AND c.account_id = a.id AND c.deleted_at IS NULL",
        acols.select_list::<account::Model>("a"),
        ccols.select_list::<contact::Model>("c"),
    );
    cursor_conditions(
        &spec,
        args,
        &|k| Ok(k.to_owned().into()),
        &mut sql,
        &mut values,
    )?;
    // No outer ORDER BY: rows are grouped by account and each page is put
    // in order below. A batch's ids go in as one array (the same statement
    // text for every batch size); one id alone as `a.id = $n`: Postgres
    // keeps a generic plan for that one, while for the array form it plans
    // each execution anew (its generic plan, costed for ~10 ids, never looks
    // cheaper than a custom one for a single id): 2x the Postgres CPU per
    // request when calls do not overlap.
    let by = if ids.len() == 1 { "= ?" } else { "= ANY(?)" };
    sql.push_str(&format!(
        " ORDER BY c.name_key {dir}, c.id {dir} LIMIT ?) c ON true \
         WHERE a.tenant_id = ? AND a.id {by} AND a.deleted_at IS NULL"
    ));
    values.push(i64::try_from(args.limit + 1).unwrap_or(i64::MAX).into());
    values.push((*tenant).into());
    values.push(match ids.as_slice() {
        [one] => (*one).into(),
        _ => ids.clone().into(),
    });
    let rows = db
        .query_all(super::raw(sea_orm::DbBackend::Postgres, &sql, values))
        .await?;
    let offset = acols.len();
    let account_at = acols.position::<account::Model>("id").unwrap_or(0);
    let id_at = offset + ccols.position::<contact::Model>("id").unwrap_or(0);
    let mut found: HashMap<Uuid, (Part<account::Model>, Vec<Part<contact::Model>>)> =
        HashMap::new();
    for r in &rows {
        let a: Uuid = r.try_get_by_index(account_at)?;
        let (_, contacts) = match found.entry(a) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((acols.decode(r)?, Vec::new()))
            }
        };
        // No contact: the LEFT JOIN's one row of NULLs.
        if r.try_get_by_index::<Option<Uuid>>(id_at)?.is_some() {
            contacts.push(ccols.decode_at::<contact::Model>(r, offset)?);
        }
    }
    // One result per id asked for (an id asked twice gets a copy).
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let again = ids[i + 1..].contains(id);
        out.push(match (again, found.get(id)) {
            (_, None) => None,
            (true, Some((a, c))) => Some((a.clone(), c.clone())),
            (false, Some(_)) => found.remove(id),
        });
    }
    Ok(out
        .into_iter()
        .map(|found| {
            found.map(|(a, mut contacts)| {
                super::page::sort_fetched(&mut contacts, !args.from_end, |a, b| {
                    (CHILD.order)(a, b)
                });
                (a, Page::from_fetched(contacts, args))
            })
        })
        .collect())
}

/// Tombstones every live contact of an account (the account was deleted).
pub async fn tombstone_account(
    w: &crate::write::Writer,
    tenant: TenantId,
    account: AccountId,
) -> Result<(), StoreError> {
    let q = contact::Entity::update_many()
        .col_expr(contact::Column::DeletedAt, Expr::value(w.at()))
        .filter(contact::Column::TenantId.eq(tenant.0))
        .filter(contact::Column::AccountId.eq(account.0))
        .filter(contact::Column::DeletedAt.is_null());
    w.update_many(q, crate::write::Op::Deleted).await?;
    Ok(())
}

/// How many live contacts each of the accounts has (`account.contacts.totalCount`).
pub async fn counts_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<HashMap<Uuid, i64>, StoreError> {
    let (parent, id) = (contact::Column::AccountId, contact::Column::Id);
    super::counts_by_parent(conn, live(tenant), parent, id, accounts).await
}
