use sea_orm::{DbErr, RuntimeErr, SqlErr};
use thiserror::Error;

/// Errors of the storage layer. The text of database errors is kept for the
/// log only; the API never returns it.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A unique key was violated; `constraint` names it when the driver says.
    #[error("unique constraint violated: {constraint}")]
    UniqueViolation { constraint: String },
    /// A foreign key was violated (a link to a row that does not exist in
    /// the caller's tenant).
    #[error("foreign key violated: {constraint}")]
    ForeignKeyViolation { constraint: String },
    /// Text the database cannot store or compare (NUL in Postgres text):
    /// input that validation let through, the client's error all the same.
    #[error("text the database cannot hold: {0}")]
    InvalidText(String),
    /// The database is unreachable or the pool is exhausted.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The row was changed by another write between this transaction's read
    /// and its write (optimistic concurrency): nothing was written.
    #[error("the row changed meanwhile")]
    Changed,
    /// Anything else: a bug or a corrupt row.
    #[error("database error: {0}")]
    Internal(String),
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(msg)) => {
                return StoreError::UniqueViolation { constraint: msg };
            }
            Some(SqlErr::ForeignKeyConstraintViolation(msg)) => {
                return StoreError::ForeignKeyViolation { constraint: msg };
            }
            _ => {}
        }
        if let DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s)) = &e
            && is_invalid_text(s)
        {
            return StoreError::InvalidText(e.to_string());
        }
        match &e {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => StoreError::Unavailable(e.to_string()),
            DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s))
                if is_lost_connection(s) || is_connection_error(&s.to_string()) =>
            {
                StoreError::Unavailable(e.to_string())
            }
            _ => StoreError::Internal(e.to_string()),
        }
    }
}

/// The connection broke or the server is going away, rather than the
/// statement failing: an I/O error (e.g. EOF after `pg_terminate_backend` or a
/// restart), the pool, or a Postgres error of class 08 (connection
/// exception), `57P01`-`57P03` (shutdown, cannot connect now) or `53300`
/// (too many connections).
fn is_lost_connection(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error as E;
    match e {
        E::Io(_) | E::Tls(_) | E::PoolTimedOut | E::PoolClosed | E::WorkerCrashed => true,
        E::Database(d) => d.code().is_some_and(|c| {
            c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

/// Postgres `22021` (character not in repertoire: NUL, or bytes invalid in
/// UTF-8) and `22P05` (untranslatable character).
fn is_invalid_text(e: &sea_orm::sqlx::Error) -> bool {
    matches!(e, sea_orm::sqlx::Error::Database(d)
        if d.code().is_some_and(|c| matches!(c.as_ref(), "22021" | "22P05")))
}

fn is_connection_error(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "pool timed out",
        "connection refused",
        "broken pipe",
        "connection reset",
        "io error",
        "terminating connection",
        "closed",
    ]
    .iter()
    .any(|needle| t.contains(needle))
}

impl StoreError {
    /// Whether this unique violation is about the named key (index name or
    /// one of its columns, as the driver reports it).
    pub fn is_unique(&self, needle: &str) -> bool {
        matches!(self, StoreError::UniqueViolation { constraint } if constraint.contains(needle))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sqlx;
    use std::sync::Arc;

    fn sqlx_query_err(e: sqlx::Error) -> DbErr {
        DbErr::Query(RuntimeErr::SqlxError(Arc::new(e)))
    }

    #[test]
    fn a_connection_lost_mid_query_is_unavailable() {
        // What a statement on a connection killed by `pg_terminate_backend` or
        // a restart gets: EOF, whose text names no connection.
        let eof = std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "expected to read 5 bytes, got 0 bytes at EOF",
        );
        assert!(matches!(
            StoreError::from(sqlx_query_err(sqlx::Error::Io(eof))),
            StoreError::Unavailable(_)
        ));
        assert!(matches!(
            StoreError::from(sqlx_query_err(sqlx::Error::PoolTimedOut)),
            StoreError::Unavailable(_)
        ));
    }

    #[test]
    fn other_driver_errors_stay_internal() {
        assert!(matches!(
            StoreError::from(sqlx_query_err(sqlx::Error::RowNotFound)),
            StoreError::Internal(_)
        ));
    }
}
