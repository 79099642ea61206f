//! Keyset pagination: cursors hold the sort key and the id of a row, so a
//! page boundary never shifts when rows are inserted elsewhere.

use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, Value};
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
