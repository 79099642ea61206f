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
    /// The database is unreachable or the pool is exhausted.
    #[error("database unavailable: {0}")]
    Unavailable(String),
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
        match &e {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => StoreError::Unavailable(e.to_string()),
            DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s))
                if is_connection_error(&s.to_string()) =>
            {
                StoreError::Unavailable(e.to_string())
            }
            _ => StoreError::Internal(e.to_string()),
        }
    }
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
