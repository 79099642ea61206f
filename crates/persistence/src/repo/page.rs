//! Keyset pagination: cursors hold the sort key and the id of a row, so a
//! page boundary never shifts when rows are inserted elsewhere.

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
/// (`ROW_NUMBER() OVER (PARTITION BY parent ...)`), on both databases.
/// `key_value` turns a cursor's key text into the value bound for `key`.
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
    let WindowSpec {
        table,
        parent,
        key,
        descending,
    } = *spec;
    // Reading towards the end of the list in the list's own order?
    let ascending = descending == args.from_end;
    let dir = if ascending { "ASC" } else { "DESC" };
    let mut values: Vec<Value> = vec![tenant.0.into()];
    values.extend(parents.iter().map(|a| Value::from(*a)));
    let mut sql = format!(
        "SELECT * FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.{parent} ORDER BY c.{key} {dir}, c.id {dir}) AS rn \
         FROM {table} c WHERE c.tenant_id = ? AND c.{parent} IN ({}) AND c.deleted_at IS NULL",
        placeholders(parents.len()),
    );
    // `after` is further along the list's order; `before` is earlier.
    for (pos, along) in [(&args.after, true), (&args.before, false)] {
        if let Some(p) = pos {
            let op = if along != descending { ">" } else { "<" };
            sql.push_str(&format!(
                " AND (c.{key} {op} ? OR (c.{key} = ? AND c.id {op} ?))"
            ));
            values.push(key_value(&p.key)?);
            values.push(key_value(&p.key)?);
            values.push(p.id.into());
        }
    }
    sql.push_str(&format!(") t WHERE t.rn <= ? ORDER BY t.{parent}, t.rn"));
    values.push(i64::try_from(args.limit + 1).unwrap_or(i64::MAX).into());
    let rows = E::find()
        .from_raw_sql(raw(conn.get_database_backend(), &sql, values))
        .all(conn)
        .await?;
    let mut grouped: HashMap<Uuid, Vec<E::Model>> = HashMap::new();
    for r in rows {
        grouped.entry(parent_of(&r)).or_default().push(r);
    }
    Ok(parents
        .iter()
        .map(|a| {
            (
                *a,
                Page::from_fetched(grouped.remove(a).unwrap_or_default(), args),
            )
        })
        .collect())
}
