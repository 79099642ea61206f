//! The strategic profile: insights and profile rows of accounts.

use crate::StoreError;
use crate::entity::{account_insight as insight, account_profile as profile};
use domain::TenantId;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Select,
};
use uuid::Uuid;

fn live(tenant: TenantId) -> Select<insight::Entity> {
    insight::Entity::find()
        .filter(insight::Column::TenantId.eq(tenant.0))
        .filter(insight::Column::DeletedAt.is_null())
}

/// A live insight for a write (locked on Postgres).
pub async fn insight_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<insight::Model>, StoreError> {
    let mut q = live(tenant).filter(insight::Column::Id.eq(id));
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// The live insights of these accounts, by account, then when each was
/// recorded (then id).
pub async fn insights_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<insight::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = live(tenant)
        .filter(insight::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by_key(|i| (i.account_id, i.created_at, i.id));
    Ok(rows)
}

/// The profiles of these accounts (at most one each).
pub async fn profiles_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<profile::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    Ok(profile::Entity::find()
        .filter(profile::Column::TenantId.eq(tenant.0))
        .filter(profile::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?)
}
