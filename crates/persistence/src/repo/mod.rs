//! Repositories: one module per aggregate. Every function takes the caller's
//! tenant and a connection (the shared pool or a transaction).

pub mod accounts;
pub mod actions;
pub mod activities;
pub mod contacts;
pub mod page;
pub mod partial;
pub mod plans;
pub mod tenants;
pub mod tokens;
pub mod users;
pub mod whitespace;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, QueryResult, Statement, Value,
};

/// Now, truncated to microseconds: what both databases keep.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Builds a raw statement from SQL written with `?` placeholders, numbering
/// them (`$1`, `$2`, ...) on Postgres.
pub(crate) fn raw(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        use std::fmt::Write;
        let mut out = String::with_capacity(sql.len() + 16);
        for (i, part) in sql.split('?').enumerate() {
            if i > 0 {
                let _ = write!(out, "${i}");
            }
            out.push_str(part);
        }
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// All rows of `stmt`, as `conn.query_all_raw(stmt)` returns them.
///
/// On a Postgres pool (the compiled read path's connection) the statement
/// goes straight to sqlx: sea-orm's call boxes and moves several large
/// futures, opens a tracing span and copies the row vector once more, which
/// was ~20 % of a point read's server instructions (callgrind). Values are
/// bound by the same `SqlxValues` sea-orm uses, errors mapped as sea-orm
/// maps them, and the statement is counted like every other
/// (`stats::record_statement`). Transactions and SQLite take sea-orm's path.
pub(crate) async fn query_all<C>(conn: &C, stmt: Statement) -> Result<Vec<QueryResult>, DbErr>
where
    C: ConnectionTrait + 'static,
{
    let any: &dyn std::any::Any = conn;
    let Some(db) = any.downcast_ref::<DatabaseConnection>() else {
        return conn.query_all_raw(stmt).await;
    };
    // With this workspace's sea-orm features (sqlx drivers only: no mock,
    // proxy or rusqlite), a Postgres backend is a sqlx Postgres pool.
    if db.get_database_backend() != DbBackend::Postgres {
        return conn.query_all_raw(stmt).await;
    }
    let pool = db.get_postgres_connection_pool();
    let values = stmt
        .values
        .unwrap_or(sea_orm::sea_query::Values(Vec::new()));
    let query = sea_orm::sqlx::query_with(
        sea_orm::sqlx::AssertSqlSafe(stmt.sql),
        sea_query_sqlx::SqlxValues(values),
    );
    let rows = query.fetch_all(pool).await;
    crate::stats::record_statement();
    match rows {
        Ok(rows) => Ok(rows.into_iter().map(QueryResult::from).collect()),
        // As sea-orm maps them (`sqlx_conn_acquire_err`, `sqlx_error_to_query_err`).
        Err(sea_orm::sqlx::Error::PoolTimedOut) => {
            Err(DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout))
        }
        Err(sea_orm::sqlx::Error::PoolClosed) => Err(DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::ConnectionClosed,
        )),
        Err(e) => Err(DbErr::Query(sea_orm::RuntimeErr::SqlxError(e.into()))),
    }
}

/// `?, ?, ?` for `n` values.
pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Inserts a row from its model.
pub async fn insert_row<E>(
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

/// Writes every column of `m` where `(tenant_id, id)` match and the row still
/// has `version - 1` (optimistic concurrency); false when it changed meanwhile.
pub async fn update_row<E>(
    conn: &impl sea_orm::ConnectionTrait,
    m: E::Model,
    tenant: uuid::Uuid,
    id: uuid::Uuid,
    version: i64,
) -> Result<bool, crate::StoreError>
where
    E: sea_orm::EntityTrait,
    E::Model: sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    use sea_orm::sea_query::{Alias, Expr, ExprTrait};
    use sea_orm::{ActiveModelTrait, IntoActiveModel, QueryFilter};
    let r = E::update_many()
        .set(m.into_active_model().reset_all())
        .filter(Expr::col(Alias::new("tenant_id")).eq(tenant))
        .filter(Expr::col(Alias::new("id")).eq(id))
        .filter(Expr::col(Alias::new("version")).eq(version - 1))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_on_postgres_only() {
        let pg = |s: &str| raw(DbBackend::Postgres, s, vec![]).sql;
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
}
