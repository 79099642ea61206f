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
use sea_orm::{DbBackend, Statement, Value};

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
