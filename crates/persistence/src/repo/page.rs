//! Keyset pagination: cursors hold the sort key and the id of a row, so a
//! page boundary never shifts when rows are inserted elsewhere.

use super::partial::{Columns, Partial};
use super::{placeholders, raw};
use crate::error::StoreError;
use domain::TenantId;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, Value};
use std::collections::HashMap;
use uuid::Uuid;

/// The position of a row in an ordering: its sort key (empty when the
/// ordering is by id alone) and its id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Position {
    pub key: String,
    pub id: Uuid,
}

/// Which window of rows to fetch.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageArgs {
    /// At most this many rows.
    pub limit: u64,
    /// Rows strictly after this position.
    pub after: Option<Position>,
    /// Rows strictly before this position.
    pub before: Option<Position>,
    /// Take the last `limit` rows of the window instead of the first.
    pub from_end: bool,
}

/// A fetched window.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub has_next: bool,
    pub has_previous: bool,
}

impl<T> Page<T> {
    /// Trims the extra row fetched to learn whether more exist, restores the
    /// requested order, and computes the page info.
    pub fn from_fetched(mut rows: Vec<T>, args: &PageArgs) -> Self {
        let limit = usize::try_from(args.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        if args.from_end {
            rows.reverse();
            Page {
                rows,
                has_next: args.before.is_some(),
                has_previous: more,
            }
        } else {
            Page {
                rows,
                has_next: more,
                has_previous: args.after.is_some(),
            }
        }
    }
}

/// `(key, id) > (k, i)` (or `<`), written out so that both databases use the
/// index: `key > k OR (key = k AND id > i)`.
pub(crate) fn beyond<K: ColumnTrait, I: ColumnTrait>(
    key: Option<K>,
    id: I,
    pos: &Position,
    greater: bool,
) -> Condition {
    let cmp =
        |col: SimpleExpr, v: Value| -> SimpleExpr { if greater { col.gt(v) } else { col.lt(v) } };
    let id_cond = cmp(Expr::col(id), pos.id.into());
    match key {
        None => Condition::all().add(id_cond),
        Some(k) => Condition::any()
            .add(cmp(Expr::col(k), pos.key.clone().into()))
            .add(
                Condition::all()
                    .add(Expr::col(k).eq(pos.key.clone()))
                    .add(id_cond),
            ),
    }
}

/// A child table paged per parent row: `ORDER BY key, id` within each parent.
pub(crate) struct WindowSpec<'a> {
    pub table: &'a str,
    pub parent: &'a str,
    pub key: &'a str,
    pub descending: bool,
}

/// One page of children for each of several parents, in one statement
/// (`ROW_NUMBER() OVER (PARTITION BY parent ...)` on SQLite, a LATERAL
/// index scan per parent on Postgres). `key_value` turns a cursor's key
/// text into the value bound for `key`.
pub(crate) async fn window_pages<E>(
    conn: &impl ConnectionTrait,
    spec: &WindowSpec<'_>,
    tenant: TenantId,
    parents: &[Uuid],
    args: &PageArgs,
    key_value: impl Fn(&str) -> Result<Value, StoreError>,
    parent_of: impl Fn(&E::Model) -> Uuid,
) -> Result<HashMap<Uuid, Page<E::Model>>, StoreError>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sized + Send + Sync,
{
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let stmt = window_statement(conn, spec, tenant, parents, args, key_value, &|t| {
        format!("{t}.*")
    })?;
    let rows = E::find().from_raw_sql(stmt).all(conn).await?;
    Ok(group_pages(rows, parents, args, parent_of))
}

/// Like [`window_pages`], reading only `columns` (see `partial`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn window_pages_partial<M: Partial>(
    conn: &(impl ConnectionTrait + 'static),
    spec: &WindowSpec<'_>,
    tenant: TenantId,
    parents: &[Uuid],
    args: &PageArgs,
    key_value: impl Fn(&str) -> Result<Value, StoreError>,
    columns: Columns,
    parent_of: impl Fn(&M) -> Uuid,
) -> Result<HashMap<Uuid, Page<M>>, StoreError> {
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let stmt = window_statement(conn, spec, tenant, parents, args, key_value, &|t| {
        columns.select_list::<M>(t)
    })?;
    let rows = columns.decode_all::<M>(&super::query_all(conn, stmt).await?)?;
    Ok(group_pages(rows, parents, args, parent_of))
}

fn group_pages<T>(
    rows: Vec<T>,
    parents: &[Uuid],
    args: &PageArgs,
    parent_of: impl Fn(&T) -> Uuid,
) -> HashMap<Uuid, Page<T>> {
    // Each parent has at most `limit + 1` rows: sized once, no regrowth.
    let per_parent = usize::try_from(args.limit.saturating_add(1)).unwrap_or(usize::MAX);
    let mut grouped: HashMap<Uuid, Vec<T>> = HashMap::with_capacity(parents.len());
    for r in rows {
        grouped
            .entry(parent_of(&r))
            .or_insert_with(|| Vec::with_capacity(per_parent.min(128)))
            .push(r);
    }
    parents
        .iter()
        .map(|a| {
            (
                *a,
                Page::from_fetched(grouped.remove(a).unwrap_or_default(), args),
            )
        })
        .collect()
}

/// The statement of [`window_pages`]; `select(alias)` is the SELECT list.
fn window_statement(
    conn: &impl ConnectionTrait,
    spec: &WindowSpec<'_>,
    tenant: TenantId,
    parents: &[Uuid],
    args: &PageArgs,
    key_value: impl Fn(&str) -> Result<Value, StoreError>,
    select: &dyn Fn(&str) -> String,
) -> Result<sea_orm::Statement, StoreError> {
    let WindowSpec {
        table,
        parent,
        key,
        descending,
    } = *spec;
    // Reading towards the end of the list in the list's own order?
    let ascending = descending == args.from_end;
    let dir = if ascending { "ASC" } else { "DESC" };
    let backend = conn.get_database_backend();
    let postgres = backend == sea_orm::DbBackend::Postgres;
    let mut values: Vec<Value> = Vec::with_capacity(parents.len() + 8);
    // Postgres: per parent, an index scan that stops after `limit + 1` rows
    // (LATERAL); on the dashboard page this is 3x cheaper than numbering
    // every child of every parent. SQLite has no LATERAL: a window function.
    let mut sql = if postgres {
        values.extend(parents.iter().map(|a| Value::from(*a)));
        values.push(tenant.0.into());
        let list = vec!["(CAST(? AS uuid))"; parents.len()].join(", ");
        format!(
            "SELECT {} FROM (SELECT p.pid, ROW_NUMBER() OVER () AS ord FROM (VALUES {list}) AS p(pid)) p \
             CROSS JOIN LATERAL (SELECT * FROM {table} c WHERE c.tenant_id = ? AND c.{parent} = p.pid AND c.deleted_at IS NULL",
            select("c")
        )
    } else {
        values.push(tenant.0.into());
        values.extend(parents.iter().map(|a| Value::from(*a)));
        format!(
            "SELECT {} FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.{parent} ORDER BY c.{key} {dir}, c.id {dir}) AS rn \
             FROM {table} c WHERE c.tenant_id = ? AND c.{parent} IN ({}) AND c.deleted_at IS NULL",
            select("t"),
            placeholders(parents.len()),
        )
    };
    cursor_conditions(spec, args, &key_value, &mut sql, &mut values)?;
    if postgres {
        sql.push_str(&format!(
            " ORDER BY c.{key} {dir}, c.id {dir} LIMIT ?) c ORDER BY p.ord, c.{key} {dir}, c.id {dir}"
        ));
    } else {
        sql.push_str(&format!(") t WHERE t.rn <= ? ORDER BY t.{parent}, t.rn"));
    }
    values.push(i64::try_from(args.limit + 1).unwrap_or(i64::MAX).into());
    Ok(raw(backend, &sql, values))
}

/// ` AND (c.key > ? OR (c.key = ? AND c.id > ?))` for the cursors of `args`
/// (children aliased `c`), binding their values.
pub(crate) fn cursor_conditions(
    spec: &WindowSpec<'_>,
    args: &PageArgs,
    key_value: &impl Fn(&str) -> Result<Value, StoreError>,
    sql: &mut String,
    values: &mut Vec<Value>,
) -> Result<(), StoreError> {
    let key = spec.key;
    // `after` is further along the list's order; `before` is earlier.
    for (pos, along) in [(&args.after, true), (&args.before, false)] {
        if let Some(p) = pos {
            let op = if along != spec.descending { ">" } else { "<" };
            sql.push_str(&format!(
                " AND (c.{key} {op} ? OR (c.{key} = ? AND c.id {op} ?))"
            ));
            values.push(key_value(&p.key)?);
            values.push(key_value(&p.key)?);
            values.push(p.id.into());
        }
    }
    Ok(())
}
