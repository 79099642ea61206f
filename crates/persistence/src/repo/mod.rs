//! Repositories: one module per aggregate. Every function takes the caller's
//! tenant and a connection (the shared pool or a transaction).

pub mod accounts;
pub mod activities;
pub mod contacts;
pub mod page;
pub mod tenants;
pub mod tokens;
pub mod users;

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
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(c);
            }
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
