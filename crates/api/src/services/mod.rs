//! Services: one per aggregate. Each write runs in one transaction: parse
//! (domain), load what the rule needs (a record of another tenant is simply
//! not found), `authorize`, check cross-row invariants, write. This is the
//! one path that later also writes the audit entry, the outbox event, the
//! version check and the idempotency record in the same transaction.

pub mod accounts;
pub mod actions;
pub mod activities;
pub mod auth;
pub mod contacts;
pub mod plans;
pub mod tenants;
pub mod users;
pub mod whitespace;

use crate::error::{ApiError, ApiResult};
use persistence::{DatabaseTransaction, Db, TransactionTrait};

/// Begins a write transaction.
pub(crate) async fn begin(db: &Db) -> ApiResult<DatabaseTransaction> {
    Ok(db
        .write()
        .begin()
        .await
        .map_err(persistence::StoreError::from)?)
}

pub(crate) async fn commit(tx: DatabaseTransaction) -> ApiResult<()> {
    tx.commit().await.map_err(persistence::StoreError::from)?;
    Ok(())
}

/// The row changed between read and write (only possible on a concurrent
/// update of the same row).
pub(crate) fn changed_meanwhile() -> ApiError {
    ApiError::Conflict {
        message: "the record was changed by another request; reload and retry".into(),
        field: None,
    }
}
