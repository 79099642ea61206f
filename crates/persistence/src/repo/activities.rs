//! Activities and the contacts involved.

use super::page::{
    Child, Page, PageArgs, WindowSpec, window_pages, window_pages_partial, window_pages_where,
    window_rows,
};
use super::partial::{Columns, Part};
use super::{placeholders, raw};
use crate::entity::{activity, activity_contact, activity_participant as participant};
use crate::error::StoreError;
use crate::write::{Op, Stamp, Writer};
use chrono::{DateTime, Utc};
use domain::TenantId;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Value,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Links the activity to those of `contacts` that are live contacts of its
/// account, in one statement; returns how many were linked (the caller
/// compares with the number asked for).
pub async fn link_contacts(
    conn: &impl ConnectionTrait,
    a: &activity::Model,
    contacts: &[Uuid],
) -> Result<u64, StoreError> {
    if contacts.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "INSERT INTO activity_contacts (tenant_id, activity_id, account_id, contact_id, created_at, created_by, updated_at, updated_by, version) \
         SELECT c.tenant_id, ?, c.account_id, c.id, ?, ?, ?, ?, 1 FROM contacts c \
         WHERE c.tenant_id = ? AND c.account_id = ? AND c.deleted_at IS NULL AND c.id IN ({})",
        placeholders(contacts.len())
    );
    let mut values: Vec<Value> = vec![
        a.id.into(),
        a.created_at.into(),
        a.created_by.into(),
        a.updated_at.into(),
        a.updated_by.into(),
        a.tenant_id.into(),
        a.account_id.into(),
    ];
    values.extend(contacts.iter().map(|c| Value::from(*c)));
    let r = conn
        .execute_raw(raw(conn.get_database_backend(), &sql, values))
        .await?;
    Ok(r.rows_affected())
}

/// The cursor key of an activity: its time, to the microsecond.
pub fn cursor_key(a: &activity::Model) -> String {
    a.occurred_at
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The list of an account's activities, newest first.
const PAGES: WindowSpec<'static> = WindowSpec {
    table: "activities",
    parent: "account_id",
    key: "occurred_at",
    descending: true,
};

/// An activity's place in its account's list: `occurred_at`, then `id`
/// (the list runs newest first, which `PAGES.descending` says).
const CHILD: Child<activity::Model> = Child {
    parent: |a| a.account_id,
    order: |a, b| a.occurred_at.cmp(&b.occurred_at).then(a.id.cmp(&b.id)),
};

fn key_value(k: &str) -> Result<Value, StoreError> {
    DateTime::parse_from_rfc3339(k)
        .map(|t| Value::from(t.with_timezone(&Utc)))
        .map_err(|_| StoreError::Internal("bad activity cursor".into()))
}

/// One page of activities (newest first) for each of several accounts.
pub async fn pages_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<activity::Model>>, StoreError> {
    window_pages::<activity::Entity>(conn, &PAGES, tenant, accounts, args, key_value, CHILD).await
}

/// Like [`pages_by_account`], reading only `columns` (plus `id`,
/// `account_id` and `occurred_at`, which paging needs).
pub async fn pages_by_account_partial(
    db: &crate::Db,
    tenant: TenantId,
    accounts: &[Uuid],
    args: &PageArgs,
    columns: Columns,
) -> Result<std::sync::Arc<HashMap<Uuid, Page<Part<activity::Model>>>>, StoreError> {
    let columns = columns.union(Columns::of::<activity::Model>(&[
        "id",
        "account_id",
        "occurred_at",
    ]));
    window_pages_partial(
        db,
        &PAGES,
        tenant,
        accounts,
        args,
        key_value,
        columns,
        CHILD,
        |s| &s.activity_pages,
    )
    .await
}

/// Postgres only: an account and the first page of its activities in one
/// statement (see `page::parent_with_page`), reading only these columns.
pub async fn account_with_page(
    db: &crate::Db,
    tenant: TenantId,
    account: Uuid,
    (account_columns, columns): (Columns, Columns),
    args: &PageArgs,
    users: super::users::UserJoins<'_>,
) -> Result<
    Option<super::page::ParentWithPage<crate::entity::account::Model, activity::Model>>,
    StoreError,
> {
    let columns = columns.union(Columns::of::<activity::Model>(&[
        "id",
        "account_id",
        "occurred_at",
    ]));
    let cols = (account_columns, columns);
    super::page::parent_with_page(
        db, "accounts", &PAGES, tenant, account, cols, args, key_value, CHILD, users,
    )
    .await
}

/// The contacts of each activity, as (activity, contact) pairs.
pub async fn contacts_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    activities: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    if activities.is_empty() {
        return Ok(vec![]);
    }
    Ok(activity_contact::Entity::find()
        .select_only()
        .column(activity_contact::Column::ActivityId)
        .column(activity_contact::Column::ContactId)
        .filter(activity_contact::Column::TenantId.eq(tenant.0))
        .filter(activity_contact::Column::ActivityId.is_in(activities.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?)
}

pub async fn by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<activity::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(activity::Entity::find()
        .filter(activity::Column::TenantId.eq(tenant.0))
        .filter(activity::Column::Id.is_in(ids.iter().copied()))
        .filter(activity::Column::DeletedAt.is_null())
        .all(conn)
        .await?)
}

/// What [`insert_checked`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertOutcome {
    Inserted,
    /// The account is gone, or the caller who had to be one of its writers
    /// (on its team as `OWNER` or `ACCOUNT_MANAGER`) no longer is.
    AccountChanged,
    /// A contact is not a live contact of the account.
    ContactNotFound,
}

/// Inserts an activity (an active model without audit columns, which
/// `stamp` sets) and its contact links atomically, if the account exists
/// (and, when `writer` is given, that user is on its team in a writing
/// role: `domain::team::TeamRole::WRITERS`) and every
/// contact is a live contact of it. Returns the outcome and the row as
/// written.
///
/// Postgres: one statement (data-modifying CTEs, atomic on its own), one
/// round trip; concurrent calls of a tenant share one statement, each
/// call's rows in it. SQLite: a [`Writer`] transaction. Either way the
/// change is counted (`WriteCounts::committed`) after the commit, like every
/// other write: this is the write path's seam for the coalesced batch.
pub async fn insert_checked(
    db: &crate::Db,
    stamp: Stamp,
    am: activity::ActiveModel,
    contacts: &[Uuid],
    writer: Option<Uuid>,
) -> Result<(InsertOutcome, activity::Model), StoreError> {
    if !db.is_postgres() {
        return insert_checked_tx(db, stamp, am, contacts, writer).await;
    }
    let a = stamp.created::<activity::Entity>(am)?;
    let outcome = insert_checked_pg(db, &a, contacts, writer).await?;
    if outcome == InsertOutcome::Inserted {
        let change = Stamp::change_of::<activity::Entity>(a.clone(), Op::Created);
        db.write_counts().committed(&stamp, change.as_slice());
    }
    Ok((outcome, a))
}

async fn insert_checked_pg(
    db: &crate::Db,
    a: &activity::Model,
    contacts: &[Uuid],
    writer: Option<Uuid>,
) -> Result<InsertOutcome, StoreError> {
    let row = std::sync::Arc::new(Checked {
        activity: a.clone(),
        contacts: contacts.to_vec(),
        writer,
    });
    // Concurrent inserts of a tenant share one statement and one commit
    // (see `coalesce`); each gets its own outcome.
    match db.coalesced() {
        Some(c) => {
            c.activity_inserts
                .run(a.tenant_id, row, |rows| insert_checked_rows(db, rows))
                .await
        }
        None => insert_checked_one(db, &row).await,
    }
}

/// A batch of one runs the single-row statement, larger ones the array form.
async fn insert_checked_rows(
    db: &crate::Db,
    rows: Vec<std::sync::Arc<Checked>>,
) -> Result<Vec<InsertOutcome>, StoreError> {
    match rows.as_slice() {
        [one] => Ok(vec![insert_checked_one(db, one).await?]),
        _ => insert_checked_batch(db, rows).await,
    }
}

/// Postgres: one activity and its contact links in one self-contained
/// statement, if its checks pass. Postgres keeps a generic plan for this
/// one; the array form of [`insert_checked_batch`] is planned anew at each
/// execution (its generic plan, costed for ~10 rows, never looks cheaper
/// than a custom one for one row), which doubled Postgres' CPU per insert
/// when calls do not overlap.
async fn insert_checked_one(db: &crate::Db, row: &Checked) -> Result<InsertOutcome, StoreError> {
    let (a, contacts, writer) = (&row.activity, &row.contacts[..], row.writer);
    let n = contacts.len();
    let in_list = if n == 0 {
        "NULL".to_owned()
    } else {
        placeholders(n)
    };
    let values_list = if n == 0 {
        "SELECT NULL::uuid AS cid WHERE false".to_owned()
    } else {
        format!("VALUES {}", vec!["(CAST(? AS uuid))"; n].join(", "))
    };
    let sql = format!(
        "WITH ok AS (SELECT \
            EXISTS (SELECT 1 FROM accounts WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL) \
            AND (CAST(? AS uuid) IS NULL OR EXISTS (SELECT 1 FROM account_team_members m WHERE m.tenant_id = ? \
            AND m.account_id = ? AND m.user_id = ? AND m.role IN ({WRITING_ROLES}))) AS account_ok, \
            (SELECT count(*) FROM contacts WHERE tenant_id = ? AND account_id = ? AND deleted_at IS NULL AND id IN ({in_list})) = ? AS contacts_ok), \
         ins AS (INSERT INTO activities (tenant_id, id, account_id, kind, occurred_at, hours_hundredths, summary, source, external_id, \
            deleted_at, created_at, created_by, updated_at, updated_by, version) \
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, 1 FROM ok WHERE ok.account_ok AND ok.contacts_ok RETURNING id), \
         links AS (INSERT INTO activity_contacts (tenant_id, activity_id, account_id, contact_id, created_at, created_by, updated_at, updated_by, version) \
            SELECT ?, ins.id, ?, v.cid, ?, ?, ?, ?, 1 FROM ins CROSS JOIN ({values_list}) AS v(cid) RETURNING 1) \
         SELECT ok.account_ok, ok.contacts_ok, (SELECT count(*) FROM links) AS linked FROM ok"
    );
    let mut v: Vec<Value> = vec![
        a.tenant_id.into(),
        a.account_id.into(),
        writer.into(),
        a.tenant_id.into(),
        a.account_id.into(),
        writer.into(),
        a.tenant_id.into(),
        a.account_id.into(),
    ];
    v.extend(contacts.iter().map(|c| Value::from(*c)));
    v.push(i64::try_from(n).unwrap_or(i64::MAX).into());
    v.extend([
        a.tenant_id.into(),
        a.id.into(),
        a.account_id.into(),
        a.kind.clone().into(),
        a.occurred_at.into(),
        a.hours_hundredths.into(),
        a.summary.clone().into(),
        a.source.clone().into(),
        a.external_id.clone().into(),
        a.created_at.into(),
        a.created_by.into(),
        a.updated_at.into(),
        a.updated_by.into(),
    ]);
    v.extend([
        a.tenant_id.into(),
        a.account_id.into(),
        a.created_at.into(),
        a.created_by.into(),
        a.updated_at.into(),
        a.updated_by.into(),
    ]);
    v.extend(contacts.iter().map(|c| Value::from(*c)));
    // One self-contained statement: the warm connections' path.
    let row = db
        .query_all(raw(sea_orm::DbBackend::Postgres, &sql, v))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Internal("insert activity: no result row".into()))?;
    let account_ok: bool = row.try_get("", "account_ok")?;
    let contacts_ok: bool = row.try_get("", "contacts_ok")?;
    Ok(outcome(account_ok, contacts_ok))
}

/// What an insert's two checks mean.
fn outcome(account_ok: bool, contacts_ok: bool) -> InsertOutcome {
    if !account_ok {
        InsertOutcome::AccountChanged
    } else if !contacts_ok {
        InsertOutcome::ContactNotFound
    } else {
        InsertOutcome::Inserted
    }
}

/// An activity to insert, with what [`insert_checked`] checks.
#[derive(Debug)]
pub(crate) struct Checked {
    activity: activity::Model,
    contacts: Vec<Uuid>,
    /// The user who must be one of the account's writers (none: anyone).
    writer: Option<Uuid>,
}

/// `domain::team::TeamRole::WRITERS` as an SQL list (checked by a test).
pub(crate) const WRITING_ROLES: &str = "'OWNER', 'ACCOUNT_MANAGER'";

/// The batch form of the checked insert (see [`insert_checked_batch`]).
const BATCH_SQL: &str = "WITH it AS (SELECT * FROM unnest($2::int4[], $3::uuid[], $4::uuid[], \
        $5::text[], $6::timestamptz[], $7::int4[], $8::text[], $9::text[], $10::text[], \
        $11::timestamptz[], $12::uuid[], $13::timestamptz[], $14::uuid[], $15::uuid[], $16::int8[]) \
        AS it(i, id, account_id, kind, occurred_at, hours, summary, source, external_id, \
        created_at, created_by, updated_at, updated_by, writer, n)), \
     lk AS (SELECT * FROM unnest($17::int4[], $18::uuid[]) AS lk(i, cid)), \
     ok AS (SELECT it.*, \
        EXISTS (SELECT 1 FROM accounts a WHERE a.tenant_id = $1 AND a.id = it.account_id \
            AND a.deleted_at IS NULL) AND (it.writer IS NULL OR EXISTS (SELECT 1 FROM account_team_members m \
            WHERE m.tenant_id = $1 AND m.account_id = it.account_id AND m.user_id = it.writer \
            AND m.role IN ('OWNER', 'ACCOUNT_MANAGER'))) AS account_ok, \
        (SELECT count(*) FROM lk JOIN contacts c ON c.tenant_id = $1 AND c.account_id = it.account_id \
            AND c.id = lk.cid AND c.deleted_at IS NULL WHERE lk.i = it.i) = it.n AS contacts_ok \
        FROM it), \
     ins AS (INSERT INTO activities (tenant_id, id, account_id, kind, occurred_at, hours_hundredths, \
        summary, source, external_id, deleted_at, created_at, created_by, updated_at, updated_by, version) \
        SELECT $1, id, account_id, kind, occurred_at, hours, summary, source, external_id, NULL, \
        created_at, created_by, updated_at, updated_by, 1 FROM ok WHERE account_ok AND contacts_ok \
        RETURNING id), \
     links AS (INSERT INTO activity_contacts (tenant_id, activity_id, account_id, contact_id, \
        created_at, created_by, updated_at, updated_by, version) \
        SELECT $1, ok.id, ok.account_id, lk.cid, ok.created_at, ok.created_by, ok.updated_at, \
        ok.updated_by, 1 FROM ins JOIN ok ON ok.id = ins.id JOIN lk ON lk.i = ok.i) \
     SELECT i, account_ok, contacts_ok FROM ok ORDER BY i";

/// Postgres: inserts a batch of activities of one tenant and their contact
/// links in one self-contained statement (one round trip, one commit), each
/// only if its own checks pass; one outcome per row, in order. The rows go
/// in as arrays, so the statement text is the same for every batch size
/// (prepared once per connection).
async fn insert_checked_batch(
    db: &crate::Db,
    rows: Vec<std::sync::Arc<Checked>>,
) -> Result<Vec<InsertOutcome>, StoreError> {
    let Some(tenant) = rows.first().map(|r| r.activity.tenant_id) else {
        return Ok(Vec::new());
    };
    if rows.iter().any(|r| r.activity.tenant_id != tenant) {
        return Err(StoreError::Internal("activity batch spans tenants".into()));
    }
    let n = rows.len();
    // One array per column, a row's values at its index.
    fn col<'r, T>(rows: &'r [std::sync::Arc<Checked>], f: impl Fn(&'r Checked) -> T) -> Vec<T> {
        rows.iter().map(|r| f(r)).collect()
    }
    let index = |k: usize| i32::try_from(k).unwrap_or(i32::MAX);
    let (link_i, link_c): (Vec<i32>, Vec<Uuid>) = rows
        .iter()
        .enumerate()
        .flat_map(|(k, r)| r.contacts.iter().map(move |c| (index(k), *c)))
        .unzip();
    let query = sea_orm::sqlx::query(BATCH_SQL)
        .bind(tenant)
        .bind((0..n).map(index).collect::<Vec<_>>())
        .bind(col(&rows, |r| r.activity.id))
        .bind(col(&rows, |r| r.activity.account_id))
        .bind(col(&rows, |r| r.activity.kind.as_str()))
        .bind(col(&rows, |r| r.activity.occurred_at))
        .bind(col(&rows, |r| r.activity.hours_hundredths))
        .bind(col(&rows, |r| r.activity.summary.as_str()))
        .bind(col(&rows, |r| r.activity.source.as_deref()))
        .bind(col(&rows, |r| r.activity.external_id.as_deref()))
        .bind(col(&rows, |r| r.activity.created_at))
        .bind(col(&rows, |r| r.activity.created_by))
        .bind(col(&rows, |r| r.activity.updated_at))
        .bind(col(&rows, |r| r.activity.updated_by))
        .bind(col(&rows, |r| r.writer))
        .bind(col(&rows, |r| {
            i64::try_from(r.contacts.len()).unwrap_or(i64::MAX)
        }))
        .bind(link_i)
        .bind(link_c);
    let got = db.pg_fetch_all(query).await?;
    let mut out = Vec::with_capacity(n);
    for row in &got {
        use sea_orm::sqlx::Row;
        let account_ok: bool = row.try_get(1).map_err(decode_err)?;
        let contacts_ok: bool = row.try_get(2).map_err(decode_err)?;
        out.push(outcome(account_ok, contacts_ok));
    }
    Ok(out)
}

fn decode_err(e: sea_orm::sqlx::Error) -> StoreError {
    StoreError::Internal(format!("insert activity: {e}"))
}

async fn insert_checked_tx(
    db: &crate::Db,
    stamp: Stamp,
    am: activity::ActiveModel,
    contacts: &[Uuid],
    writer: Option<Uuid>,
) -> Result<(InsertOutcome, activity::Model), StoreError> {
    let w = Writer::on(db, db.begin_write().await?, stamp);
    let a = stamp.created::<activity::Entity>(am.clone())?;
    let tenant = TenantId(a.tenant_id);
    let place = crate::repo::team::account_and_role(w.conn(), tenant, a.account_id, writer).await?;
    let writes = match place {
        None => false,
        Some(role) => writer.is_none() || role.is_some_and(domain::team::TeamRole::writes),
    };
    if !writes {
        return Ok((InsertOutcome::AccountChanged, a));
    }
    let a = w.insert::<activity::Entity>(am).await?;
    if link_contacts(w.conn(), &a, contacts).await? != contacts.len() as u64 {
        return Ok((InsertOutcome::ContactNotFound, a));
    }
    w.commit().await?;
    Ok((InsertOutcome::Inserted, a))
}

/// How many live activities each of the accounts has
/// (`account.activities.totalCount`).
pub async fn counts_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<HashMap<Uuid, i64>, StoreError> {
    let live = activity::Entity::find()
        .filter(activity::Column::TenantId.eq(tenant.0))
        .filter(activity::Column::DeletedAt.is_null());
    let (parent, id) = (activity::Column::AccountId, activity::Column::Id);
    super::counts_by_parent(conn, live, parent, id, accounts).await
}

/// Which activities a list holds: kinds (as stored; `None` for all), the
/// period (`from` inclusive, `to` exclusive) and a contact involved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ActivityFilter {
    pub kinds: Option<Vec<String>>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub contact: Option<Uuid>,
}

impl ActivityFilter {
    /// Whether the filter keeps every activity.
    pub fn is_empty(&self) -> bool {
        *self == ActivityFilter::default()
    }

    /// The filter as SQL on alias `c` (` AND ...`) and its values.
    fn sql(&self) -> (String, Vec<Value>) {
        let (mut sql, mut values) =
            super::kinds_and_period(self.kinds.as_deref(), ("occurred_at", self.from, self.to));
        if let Some(contact) = self.contact {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM activity_contacts l WHERE l.tenant_id = c.tenant_id \
                 AND l.activity_id = c.id AND l.contact_id = ?)",
            );
            values.push(contact.into());
        }
        (sql, values)
    }
}

/// One page of activities (newest first) of each account, under `filter`.
pub async fn filtered_pages_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
    filter: &ActivityFilter,
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<activity::Model>>, StoreError> {
    let (sql, values) = filter.sql();
    window_pages_where::<activity::Entity>(
        conn,
        &PAGES,
        tenant,
        accounts,
        args,
        key_value,
        CHILD,
        (&sql, values),
    )
    .await
}

/// How many live activities each account has under `filter`.
pub async fn filtered_counts_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
    filter: &ActivityFilter,
) -> Result<HashMap<Uuid, i64>, StoreError> {
    counts_with(conn, tenant, "account_id", "activities", accounts, filter).await
}

/// Activities reached through their contact links: `link_contact` is the
/// contact.
const BY_CONTACT: WindowSpec<'static> = WindowSpec {
    table: "(SELECT a.*, l.contact_id AS link_contact FROM activities a \
            JOIN activity_contacts l ON l.tenant_id = a.tenant_id AND l.activity_id = a.id)",
    parent: "link_contact",
    key: "occurred_at",
    descending: true,
};

#[derive(Debug, FromQueryResult)]
struct LinkedRow {
    link_contact: Uuid,
    id: Uuid,
    occurred_at: DateTime<Utc>,
}

/// One page of the activities (newest first) each contact was involved
/// in, under `filter`: the page's ids, then the activities (two
/// statements whatever the number of contacts).
pub async fn pages_by_contact(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    contacts: &[Uuid],
    filter: &ActivityFilter,
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<activity::Model>>, StoreError> {
    let (sql, values) = filter.sql();
    let child = Child::<LinkedRow> {
        parent: |r| r.link_contact,
        order: |a, b| a.occurred_at.cmp(&b.occurred_at).then(a.id.cmp(&b.id)),
    };
    let pages = window_rows::<LinkedRow>(
        conn,
        &BY_CONTACT,
        tenant,
        contacts,
        args,
        key_value,
        &|t| format!("{t}.link_contact, {t}.id, {t}.occurred_at"),
        child,
        (&sql, values),
    )
    .await?;
    let ids: Vec<Uuid> = pages
        .values()
        .flat_map(|p| p.rows.iter().map(|r| r.id))
        .collect();
    let rows: HashMap<Uuid, activity::Model> = by_ids(conn, tenant, &ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(pages
        .into_iter()
        .map(|(c, p)| {
            let page = Page {
                rows: p
                    .rows
                    .iter()
                    .filter_map(|r| rows.get(&r.id).cloned())
                    .collect(),
                has_next: p.has_next,
                has_previous: p.has_previous,
            };
            (c, page)
        })
        .collect())
}

/// How many live activities each contact was involved in, under `filter`.
pub async fn counts_by_contact(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    contacts: &[Uuid],
    filter: &ActivityFilter,
) -> Result<HashMap<Uuid, i64>, StoreError> {
    counts_with(
        conn,
        tenant,
        "link_contact",
        BY_CONTACT.table,
        contacts,
        filter,
    )
    .await
}

async fn counts_with(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    parent: &str,
    table: &str,
    parents: &[Uuid],
    filter: &ActivityFilter,
) -> Result<HashMap<Uuid, i64>, StoreError> {
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let (extra, extra_values) = filter.sql();
    let sql = format!(
        "SELECT c.{parent} AS parent, COUNT(*) AS n FROM {table} c WHERE c.tenant_id = ? \
         AND c.deleted_at IS NULL AND c.{parent} IN ({}){extra} GROUP BY c.{parent}",
        placeholders(parents.len())
    );
    let mut values: Vec<Value> = vec![tenant.0.into()];
    values.extend(parents.iter().map(|p| Value::from(*p)));
    values.extend(extra_values);
    #[derive(FromQueryResult)]
    struct Count {
        parent: Uuid,
        n: i64,
    }
    let rows = Count::find_by_statement(raw(conn.get_database_backend(), &sql, values))
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.parent, r.n)).collect())
}

/// A live activity for a write (locked on Postgres).
pub async fn for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<activity::Model>, StoreError> {
    let mut q = activity::Entity::find()
        .filter(activity::Column::TenantId.eq(tenant.0))
        .filter(activity::Column::Id.eq(id))
        .filter(activity::Column::DeletedAt.is_null());
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// The contacts linked to an activity.
pub async fn contact_ids_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    activity: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(contacts_of(conn, tenant, &[activity])
        .await?
        .into_iter()
        .map(|(_, c)| c)
        .collect())
}

/// Replaces an activity's contacts with `contacts` (live contacts of its
/// account); returns how many were linked (the caller compares).
pub async fn replace_contacts(
    w: &Writer,
    a: &activity::Model,
    contacts: &[Uuid],
) -> Result<u64, StoreError> {
    let old = activity_contact::Entity::find()
        .filter(activity_contact::Column::TenantId.eq(a.tenant_id))
        .filter(activity_contact::Column::ActivityId.eq(a.id))
        .all(w.conn())
        .await?;
    for m in old {
        w.delete::<activity_contact::Entity>(m).await?;
    }
    // New links are stamped with this change.
    let stamped = activity::Model {
        created_at: a.updated_at,
        created_by: a.updated_by,
        ..a.clone()
    };
    link_contacts(w.conn(), &stamped, contacts).await
}

/// The users who took part in each activity: (activity, user), by
/// activity.
pub async fn participants_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    activities: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    if activities.is_empty() {
        return Ok(vec![]);
    }
    let mut rows: Vec<(Uuid, Uuid)> = participant::Entity::find()
        .select_only()
        .columns([participant::Column::ActivityId, participant::Column::UserId])
        .filter(participant::Column::TenantId.eq(tenant.0))
        .filter(participant::Column::ActivityId.is_in(activities.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    rows.sort();
    Ok(rows)
}

/// Replaces an activity's participants with `users` (checked by the
/// caller: active users of the tenant).
pub async fn replace_participants(
    w: &Writer,
    tenant: TenantId,
    activity: Uuid,
    users: &[Uuid],
) -> Result<(), StoreError> {
    let old = participant::Entity::find()
        .filter(participant::Column::TenantId.eq(tenant.0))
        .filter(participant::Column::ActivityId.eq(activity))
        .all(w.conn())
        .await?;
    for m in old {
        w.delete::<participant::Entity>(m).await?;
    }
    for u in users {
        w.insert::<participant::Entity>(participant::ActiveModel {
            tenant_id: sea_orm::Set(tenant.0),
            activity_id: sea_orm::Set(activity),
            user_id: sea_orm::Set(*u),
            ..Default::default()
        })
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statements_check_the_writing_team_roles_of_the_domain() {
        let listed: Vec<String> = domain::team::TeamRole::WRITERS
            .iter()
            .map(|r| format!("'{r}'"))
            .collect();
        assert_eq!(WRITING_ROLES, listed.join(", "));
        assert!(BATCH_SQL.contains(&format!("m.role IN ({WRITING_ROLES})")));
    }
}
