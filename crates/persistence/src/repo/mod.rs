//! Repositories: one module per aggregate. Every function takes the caller's
//! tenant and a connection (the shared pool or a transaction).

pub mod accounts;
pub mod actions;
pub mod activities;
pub mod alerts;
pub mod contacts;
pub mod contracts;
pub mod coverage;
pub mod hierarchy;
pub mod influences;
pub mod opportunities;
pub mod page;
pub mod pareto;
pub mod partial;
pub mod plans;
pub mod portfolio;
pub mod profiles;
pub mod roti;
pub mod signal_write;
pub mod signals;
pub mod success;
pub mod team;
pub mod tenants;
pub mod tokens;
pub mod users;
pub mod whitespace;

use chrono::{DateTime, Utc};
use sea_orm::{DbBackend, Statement, Value};

/// Now, to the millisecond (`domain::time`): what both databases keep and
/// the API returns.
pub fn now() -> DateTime<Utc> {
    domain::time::to_millis(Utc::now())
}

/// Builds a raw statement from SQL written with `?` placeholders, numbering
/// them (`$1`, `$2`, ...) on Postgres. Only placeholders are numbered: a `?`
/// inside a string literal (`'...'`, `E'...'`, `$tag$...$tag$`), a quoted
/// identifier or a comment stays as it is, and so do Postgres's `?|`, `?&`
/// and `??`. (The plain jsonb `?` operator cannot be told from a
/// placeholder: write `jsonb_exists(..)` in raw SQL.)
pub(crate) fn raw(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let (sql, n) = number_placeholders(sql);
        debug_assert_eq!(n, values.len(), "placeholders and values of {sql}");
        sql
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `sql` with each `?` placeholder replaced by `$1`, `$2`, ..., and how many
/// there were; see [`raw`] for what is not a placeholder.
fn number_placeholders(sql: &str) -> (String, usize) {
    use std::fmt::Write;
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16);
    let (mut n, mut i, mut copied) = (0usize, 0usize, 0usize);
    // Finds the end (exclusive) of a quoted run opened at `start` by `q`,
    // where a doubled `q` is an escaped one and, if `backslash`, `\x` too.
    let quoted_end = |start: usize, q: u8, backslash: bool| {
        let mut j = start + 1;
        while j < b.len() {
            if backslash && b[j] == b'\\' {
                j += 2;
            } else if b[j] == q {
                if b.get(j + 1) == Some(&q) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j += 1;
            }
        }
        b.len()
    };
    while i < b.len() {
        match b[i] {
            b'\'' => {
                let e = i > 0
                    && matches!(b[i - 1], b'E' | b'e')
                    && (i < 2 || !(b[i - 2].is_ascii_alphanumeric() || b[i - 2] == b'_'));
                i = quoted_end(i, b'\'', e);
            }
            b'"' => i = quoted_end(i, b'"', false),
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Postgres block comments nest.
                let mut depth = 0usize;
                while i < b.len() {
                    if b[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'$' if i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') => {
                // `$tag$ ... $tag$` (a tag never starts with a digit: `$1` is a parameter).
                let tag_len = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count();
                let tag_ok = b.get(i + 1).is_none_or(|c| !c.is_ascii_digit());
                if tag_ok && b.get(i + 1 + tag_len) == Some(&b'$') {
                    let tag = &b[i..i + tag_len + 2];
                    let body = i + tag.len();
                    i = b[body..]
                        .windows(tag.len())
                        .position(|w| w == tag)
                        .map_or(b.len(), |p| body + p + tag.len());
                } else {
                    i += 1;
                }
            }
            b'?' => {
                let operator =
                    matches!(b.get(i + 1), Some(b'|' | b'&' | b'?')) || (i > 0 && b[i - 1] == b'?');
                if operator {
                    i += 1;
                } else {
                    out.push_str(&sql[copied..i]);
                    n += 1;
                    let _ = write!(out, "${n}");
                    i += 1;
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied..]);
    (out, n)
}

/// How many rows of `select` each of `parents` has: `SELECT parent,
/// COUNT(id) .. WHERE parent IN (..) GROUP BY parent` (a parent without rows
/// is absent). The counts behind a child list's `totalCount`.
pub(crate) async fn counts_by_parent<E: sea_orm::EntityTrait>(
    conn: &impl sea_orm::ConnectionTrait,
    select: sea_orm::Select<E>,
    parent: E::Column,
    id: E::Column,
    parents: &[uuid::Uuid],
) -> Result<std::collections::HashMap<uuid::Uuid, i64>, crate::StoreError> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    if parents.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(uuid::Uuid, i64)> = select
        .select_only()
        .column(parent)
        .column_as(Expr::col(id).count(), "n")
        .filter(parent.is_in(parents.iter().copied()))
        .group_by(parent)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The conditions of a list filter on alias `c` (` AND ...`) and their
/// values: `kinds` (none given: all; an empty list: none) and the period
/// `from` (inclusive) to `to` (exclusive) on the time column `at`.
pub(crate) fn kinds_and_period(
    kinds: Option<&[String]>,
    (at, from, to): (
        &str,
        Option<chrono::DateTime<chrono::Utc>>,
        Option<chrono::DateTime<chrono::Utc>>,
    ),
) -> (String, Vec<sea_orm::Value>) {
    let mut sql = String::new();
    let mut values: Vec<sea_orm::Value> = Vec::new();
    if let Some(kinds) = kinds {
        if kinds.is_empty() {
            sql.push_str(" AND 1 = 0");
        } else {
            sql.push_str(&format!(" AND c.kind IN ({})", placeholders(kinds.len())));
            values.extend(kinds.iter().map(|k| sea_orm::Value::from(k.clone())));
        }
    }
    if let Some(f) = from {
        sql.push_str(&format!(" AND c.{at} >= ?"));
        values.push(f.into());
    }
    if let Some(t) = to {
        sql.push_str(&format!(" AND c.{at} < ?"));
        values.push(t.into());
    }
    (sql, values)
}

/// `?, ?, ?` for `n` values.
pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Inserts a row from its model (the writer's insert).
pub(crate) async fn insert_row<E>(
    conn: &impl sea_orm::ConnectionTrait,
    m: E::Model,
) -> Result<(), crate::StoreError>
where
    E: sea_orm::EntityTrait,
    E::Model: sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    E::insert(m.into_active_model().reset_all())
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_on_postgres_only() {
        let pg = |s: &str| number_placeholders(s).0;
        assert_eq!(
            pg("SELECT a FROM t WHERE x = ? AND y IN (?, ?)"),
            "SELECT a FROM t WHERE x = $1 AND y IN ($2, $3)"
        );
        assert_eq!(pg("?"), "$1");
        assert_eq!(pg("SELECT 1"), "SELECT 1");
        assert_eq!(
            raw(DbBackend::Sqlite, "x = ? AND y = ?", vec![]).sql,
            "x = ? AND y = ?"
        );
        let many = ["?"; 12].join(",");
        assert!(pg(&many).ends_with("$11,$12"));
    }

    #[test]
    fn only_placeholders_are_numbered() {
        let pg = |s: &str| number_placeholders(s);
        assert_eq!(
            pg("SELECT '?', 'it''s ?', \"col?\" FROM t WHERE x = ?"),
            (
                "SELECT '?', 'it''s ?', \"col?\" FROM t WHERE x = $1".into(),
                1
            )
        );
        assert_eq!(
            pg("SELECT E'a\\'?', ? -- why?\n, /* a ? /* nested ? */ ? */ ?"),
            (
                "SELECT E'a\\'?', $1 -- why?\n, /* a ? /* nested ? */ ? */ $2".into(),
                2
            )
        );
        assert_eq!(
            pg("SELECT $$ ? $$, $q$ it's ? $q$, ?"),
            ("SELECT $$ ? $$, $q$ it's ? $q$, $1".into(), 1)
        );
        assert_eq!(
            pg("SELECT d ?| array['a'], d ?& array['b'], d ?? 'c', ?"),
            (
                "SELECT d ?| array['a'], d ?& array['b'], d ?? 'c', $1".into(),
                1
            )
        );
        // A bare string or comment that never ends: nothing after it is numbered.
        assert_eq!(pg("SELECT ?, 'open ?"), ("SELECT $1, 'open ?".into(), 1));
        // Identifiers that end in E are not escape-string prefixes.
        assert_eq!(
            pg("SELECT name FROM t WHERE name = ? AND type='?'"),
            ("SELECT name FROM t WHERE name = $1 AND type='?'".into(), 1)
        );
    }
}
