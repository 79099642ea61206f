//! Opportunities of accounts.

use crate::StoreError;
use crate::entity::opportunity;
use domain::TenantId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Select};
use uuid::Uuid;

fn live(tenant: TenantId) -> Select<opportunity::Entity> {
    opportunity::Entity::find()
        .filter(opportunity::Column::TenantId.eq(tenant.0))
        .filter(opportunity::Column::DeletedAt.is_null())
}

/// A live opportunity for a write (locked on Postgres).
pub async fn get_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<opportunity::Model>, StoreError> {
    let mut q = live(tenant).filter(opportunity::Column::Id.eq(id));
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// The live opportunities of these accounts, by account, then expected
/// close, then id.
pub async fn of_accounts(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<opportunity::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = live(tenant)
        .filter(opportunity::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by_key(|o| (o.account_id, o.expected_close, o.id));
    Ok(rows)
}
