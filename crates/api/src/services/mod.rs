//! Services: one per aggregate. Each write runs in one [`Writer`]
//! transaction (`persistence::write`, the one write path): parse (domain),
//! load what the rule needs through `w.conn()` (a record of another tenant
//! is simply not found), `authorize`, check cross-row invariants, then
//! `w.insert` / `w.update` / `w.update_many`, which stamp the audit columns,
//! check versions and record each change; `w.commit()` is where the journal
//! entry, the outbox event and the idempotency record will be written, in
//! the same transaction. `logActivity`'s coalesced statement uses the same
//! `Stamp` and reports its changes the same way.

pub mod accounts;
pub mod actions;
pub mod activities;
pub mod alerts;
pub mod auth;
pub mod competitors;
pub mod contacts;
pub mod contracts;
pub mod coverage;
pub mod financials;
pub mod influences;
pub mod opportunities;
pub mod pareto;
pub mod plans;
pub mod portfolio;
pub mod profiles;
pub mod roti;
pub mod signals;
pub mod success;
pub mod team;
pub mod tenants;
pub mod users;
pub mod whitespace;

use crate::error::{ApiError, ApiResult};
use persistence::Db;
use persistence::write::Writer;

/// Begins the caller's write: one transaction, stamped with the caller and
/// the request (`persistence::write`, the one write path).
pub(crate) async fn writer(db: &Db, p: &domain::Principal) -> ApiResult<Writer> {
    Ok(Writer::begin(db, Some(p.user_id.0), p.request).await?)
}

/// The row changed between read and write (only possible on a concurrent
/// update of the same row).
pub(crate) fn changed_meanwhile() -> ApiError {
    ApiError::Conflict {
        message: "the record was changed by another request; reload and retry".into(),
        field: None,
    }
}
