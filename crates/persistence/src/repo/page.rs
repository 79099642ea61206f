//! Keyset pagination: cursors hold the sort key and the id of a row, so a
//! page boundary never shifts when rows are inserted elsewhere.

use super::partial::{Columns, Part, Partial};
use super::{placeholders, raw};
use crate::error::StoreError;
use domain::TenantId;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, Value};
use std::cmp::Ordering;
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
    child: Child<E::Model>,
) -> Result<HashMap<Uuid, Page<E::Model>>, StoreError>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sized + Send + Sync,
{
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    window_pages_where::<E>(
        conn,
        spec,
        tenant,
        parents,
        args,
        key_value,
        child,
        ("", vec![]),
    )
    .await
}

/// Like [`window_pages`], with `extra`: SQL added to the children's
/// `WHERE` (` AND ...`, columns of alias `c`) and the values it binds.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn window_pages_where<E>(
    conn: &impl ConnectionTrait,
    spec: &WindowSpec<'_>,
    tenant: TenantId,
    parents: &[Uuid],
    args: &PageArgs,
    key_value: impl Fn(&str) -> Result<Value, StoreError>,
    child: Child<E::Model>,
    extra: (&str, Vec<Value>),
) -> Result<HashMap<Uuid, Page<E::Model>>, StoreError>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sized + Send + Sync,
{
    window_rows::<E::Model>(
        conn,
        spec,
        tenant,
        parents,
        args,
        key_value,
        &|t| format!("{t}.*"),
        child,
        extra,
    )
    .await
}

/// Like [`window_pages_where`], reading rows of any shape `T` with the
/// SELECT list `select(alias)` (`spec.table` may be a parenthesised
/// subquery, e.g. children reached through link rows).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn window_rows<T>(
    conn: &impl ConnectionTrait,
    spec: &WindowSpec<'_>,
    tenant: TenantId,
    parents: &[Uuid],
    args: &PageArgs,
    key_value: impl Fn(&str) -> Result<Value, StoreError>,
    select: &(dyn Fn(&str) -> String + Sync),
    child: Child<T>,
    extra: (&str, Vec<Value>),
) -> Result<HashMap<Uuid, Page<T>>, StoreError>
where
    T: FromQueryResult + Sized + Send + Sync,
{
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let stmt = window_statement(
        conn.get_database_backend(),
        spec,
        tenant,
        parents,
        args,
        key_value,
        select,
        extra,
    )?;
    let rows = T::find_by_statement(stmt).all(conn).await?;
    Ok(group_pages(rows, spec, parents, args, child))
}

/// Like [`window_pages`], reading only `columns` (see `partial`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn window_pages_partial<M: Partial + Send + Sync + 'static>(
    db: &crate::Db,
    spec: &WindowSpec<'_>,
    tenant: TenantId,
    parents: &[Uuid],
    args: &PageArgs,
    key_value: impl Fn(&str) -> Result<Value, StoreError>,
    columns: Columns,
    child: Child<M>,
    site: crate::db::SharedSite<crate::db::PagesOf<Part<M>>>,
) -> Result<std::sync::Arc<HashMap<Uuid, Page<Part<M>>>>, StoreError> {
    if parents.is_empty() {
        return Ok(std::sync::Arc::new(HashMap::new()));
    }
    let stmt = window_statement(
        db.backend(),
        spec,
        tenant,
        parents,
        args,
        key_value,
        &|t| columns.select_list::<M>(t),
        ("", vec![]),
    )?;
    // Identical pages of concurrent requests are fetched and decoded once.
    db.query_shared(site, stmt, |rows| {
        let rows = columns.decode_all::<M>(rows)?;
        Ok(group_pages(rows, spec, parents, args, child))
    })
    .await
}

/// How the rows of a paged child table relate to their parent and to each
/// other.
pub(crate) struct Child<T> {
    /// The parent a row belongs to.
    pub parent: fn(&T) -> Uuid,
    /// The list's order within a parent, ascending: `key`, then `id`, as
    /// the SQL's `ORDER BY` compares them (the spec's `descending` turns it).
    pub order: fn(&T, &T) -> Ordering,
}

// Two function pointers: copied whatever `T` is (a derive would ask `T: Copy`).
impl<T> Clone for Child<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Child<T> {}

/// The fetched rows as one page per parent. Each parent's rows are put in
/// fetch order here (`child.order`), so the result does not depend on the
/// order the database returned them in (Postgres's statement has no outer
/// `ORDER BY`; see `window_statement`).
fn group_pages<M, T: std::borrow::Borrow<M>>(
    rows: Vec<T>,
    spec: &WindowSpec<'_>,
    parents: &[Uuid],
    args: &PageArgs,
    child: Child<M>,
) -> HashMap<Uuid, Page<T>> {
    // Each parent has at most `limit + 1` rows: sized once, no regrowth.
    let per_parent = usize::try_from(args.limit.saturating_add(1)).unwrap_or(usize::MAX);
    let mut grouped: HashMap<Uuid, Vec<T>> = HashMap::with_capacity(parents.len());
    for r in rows {
        grouped
            .entry((child.parent)(r.borrow()))
            .or_insert_with(|| Vec::with_capacity(per_parent.min(128)))
            .push(r);
    }
    let ascending = spec.descending == args.from_end;
    parents
        .iter()
        .map(|a| {
            let mut rows = grouped.remove(a).unwrap_or_default();
            sort_fetched(&mut rows, ascending, |a: &T, b: &T| {
                (child.order)(a.borrow(), b.borrow())
            });
            (*a, Page::from_fetched(rows, args))
        })
        .collect()
}

/// Rows in fetch order: `order` ascending, or descending when reading the
/// other way. Linear for rows that already are (a run is detected).
pub(crate) fn sort_fetched<T>(rows: &mut [T], ascending: bool, order: impl Fn(&T, &T) -> Ordering) {
    if ascending {
        rows.sort_by(|a, b| order(a, b));
    } else {
        rows.sort_by(|a, b| order(b, a));
    }
}

/// The statement of [`window_pages`]; `select(alias)` is the SELECT list,
/// `extra` more conditions on the children (see [`window_pages_where`]).
#[allow(clippy::too_many_arguments)]
fn window_statement(
    backend: sea_orm::DbBackend,
    spec: &WindowSpec<'_>,
    tenant: TenantId,
    parents: &[Uuid],
    args: &PageArgs,
    key_value: impl Fn(&str) -> Result<Value, StoreError>,
    select: &dyn Fn(&str) -> String,
    (extra_sql, extra_values): (&str, Vec<Value>),
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
    let postgres = backend == sea_orm::DbBackend::Postgres;
    let mut values: Vec<Value> = Vec::with_capacity(parents.len() + 8);
    // Postgres: per parent, an index scan that stops after `limit + 1` rows
    // (LATERAL); on the dashboard page this is 3x cheaper than numbering
    // every child of every parent. No outer ORDER BY: rows are grouped per
    // parent and put in order by `group_pages`, so Postgres need not sort
    // the whole result (pgbench, Q2's contacts page: +18 % statements/s).
    // SQLite has no LATERAL: a window function.
    let mut sql = if postgres {
        values.extend(parents.iter().map(|a| Value::from(*a)));
        values.push(tenant.0.into());
        let list = vec!["(CAST(? AS uuid))"; parents.len()].join(", ");
        format!(
            "SELECT {} FROM (VALUES {list}) AS p(pid) \
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
    sql.push_str(extra_sql);
    values.extend(extra_values);
    cursor_conditions(spec, args, &key_value, &mut sql, &mut values)?;
    if postgres {
        sql.push_str(&format!(" ORDER BY c.{key} {dir}, c.id {dir} LIMIT ?) c"));
    } else {
        sql.push_str(&format!(") t WHERE t.rn <= ? ORDER BY t.{parent}, t.rn"));
    }
    values.push(i64::try_from(args.limit + 1).unwrap_or(i64::MAX).into());
    Ok(raw(backend, &sql, values))
}

/// Postgres only: one live row of `parent_table` (by id, in the tenant) and
/// the first page of its children (`spec`, live ones) in one statement (a
/// LATERAL index scan for the page), reading only these columns (the
/// parent's `id` is added; the children's must hold `id`, the parent column
/// and the key), with the users of `users` joined (the parent aliased `a`, the
/// children `c`). `None` when the parent does not exist.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn parent_with_page<P: Partial, M: Partial>(
    db: &crate::Db,
    parent_table: &str,
    spec: &WindowSpec<'_>,
    tenant: TenantId,
    id: Uuid,
    (parent_columns, columns): (Columns, Columns),
    args: &PageArgs,
    key_value: impl Fn(&str) -> Result<Value, StoreError>,
    child: Child<M>,
    users: super::users::UserJoins<'_>,
) -> Result<Option<ParentWithPage<P, M>>, StoreError> {
    let ascending = spec.descending == args.from_end;
    let dir = if ascending { "ASC" } else { "DESC" };
    let parent_columns = parent_columns.union(Columns::of::<P>(&["id"]));
    let mut values: Vec<Value> = Vec::with_capacity(8);
    let mut sql = String::with_capacity(512);
    sql.push_str("SELECT ");
    parent_columns.push_select_list::<P>(&mut sql, "a");
    sql.push_str(", ");
    columns.push_select_list::<M>(&mut sql, "c");
    users.push_select(&mut sql);
    sql.push_str(&format!(
        " FROM {parent_table} a LEFT JOIN LATERAL (SELECT * FROM {} c \
         WHERE c.tenant_id = a.tenant_id AND c.{} = a.id AND c.deleted_at IS NULL",
        spec.table, spec.parent
    ));
    cursor_conditions(spec, args, &key_value, &mut sql, &mut values)?;
    sql.push_str(&format!(
        " ORDER BY c.{key} {dir}, c.id {dir} LIMIT ?) c ON true",
        key = spec.key
    ));
    users.push_joins(&mut sql);
    sql.push_str(" WHERE a.tenant_id = ? AND a.id = ? AND a.deleted_at IS NULL");
    values.push(i64::try_from(args.limit + 1).unwrap_or(i64::MAX).into());
    values.push(tenant.0.into());
    values.push(id.into());
    let rows = db
        .query_all(super::raw(sea_orm::DbBackend::Postgres, &sql, values))
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let parent = parent_columns.decode::<P>(first)?;
    let offset = parent_columns.len();
    let id_at = offset + columns.position::<M>("id").unwrap_or(0);
    let mut children = Vec::with_capacity(rows.len());
    let mut found = std::collections::HashMap::new();
    for r in &rows {
        users.decode(r, &mut found)?;
        // No child: the LEFT JOIN's one row of NULLs.
        if r.try_get_by_index::<Option<Uuid>>(id_at)?.is_some() {
            children.push(columns.decode_at::<M>(r, offset)?);
        }
    }
    sort_fetched(&mut children, ascending, |a: &Part<M>, b: &Part<M>| {
        (child.order)(a, b)
    });
    Ok(Some((parent, Page::from_fetched(children, args), found)))
}

/// A parent, the first page of its children and the users joined.
pub type ParentWithPage<P, M> = (
    Part<P>,
    Page<Part<M>>,
    std::collections::HashMap<Uuid, crate::entity::user::Model>,
);

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

#[cfg(test)]
mod tests {
    use super::*;

    /// (parent, key, id) rows; the list orders by key, then id.
    type Row = (Uuid, &'static str, Uuid);
    const CHILD: Child<Row> = Child {
        parent: |r| r.0,
        order: |a, b| a.1.cmp(b.1).then(a.2.cmp(&b.2)),
    };

    fn pages(
        rows: Vec<Row>,
        parents: &[Uuid],
        descending: bool,
        from_end: bool,
        limit: u64,
    ) -> Vec<Vec<&'static str>> {
        let spec = WindowSpec {
            table: "t",
            parent: "p",
            key: "k",
            descending,
        };
        let args = PageArgs {
            limit,
            after: None,
            before: None,
            from_end,
        };
        let grouped = group_pages(rows, &spec, parents, &args, CHILD);
        parents
            .iter()
            .map(|p| grouped[p].rows.iter().map(|r| r.1).collect())
            .collect()
    }

    #[test]
    fn pages_are_in_list_order_whatever_order_rows_arrive_in() {
        let (p, q) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let id = Uuid::from_u128;
        // Interleaved parents, keys out of order, a tie on the key broken by id.
        let rows = vec![
            (q, "b", id(10)),
            (p, "c", id(11)),
            (p, "a", id(12)),
            (q, "a", id(13)),
            (p, "b", id(15)),
            (p, "b", id(14)),
        ];
        // Ascending list, first rows: fetched ascending, kept in that order.
        assert_eq!(
            pages(rows.clone(), &[p, q], false, false, 10),
            vec![vec!["a", "b", "b", "c"], vec!["a", "b"]]
        );
        let asc = group_pages(
            rows.clone(),
            &WindowSpec {
                table: "t",
                parent: "p",
                key: "k",
                descending: false,
            },
            &[p],
            &PageArgs {
                limit: 10,
                after: None,
                before: None,
                from_end: false,
            },
            CHILD,
        );
        let ids: Vec<Uuid> = asc[&p].rows.iter().map(|r| r.2).collect();
        assert_eq!(
            ids,
            vec![id(12), id(14), id(15), id(11)],
            "ties broken by id"
        );
        // Descending list (newest first): fetched descending.
        assert_eq!(
            pages(rows.clone(), &[p, q], true, false, 10),
            vec![vec!["c", "b", "b", "a"], vec!["b", "a"]]
        );
        // The last rows of an ascending list: fetched descending, then the
        // page is turned back into list order.
        assert_eq!(
            pages(rows.clone(), &[p, q], false, true, 2),
            vec![vec!["b", "c"], vec!["a", "b"]]
        );
        // A limit keeps the first rows of the list, not of the arrival order.
        assert_eq!(
            pages(rows, &[p, q], false, false, 1),
            vec![vec!["a"], vec!["a"]]
        );
    }
}
