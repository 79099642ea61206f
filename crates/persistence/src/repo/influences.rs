//! Influence links between contacts (the key contact map). A link whose
//! contact was deleted answers no query.

use crate::StoreError;
use crate::entity::contact_influence as link;
use domain::TenantId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// Links between live contacts only.
fn live_ends() -> sea_orm::sea_query::SimpleExpr {
    sea_orm::sea_query::Expr::cust(
        "EXISTS (SELECT 1 FROM contacts f WHERE f.tenant_id = contact_influences.tenant_id \
         AND f.id = contact_influences.from_contact_id AND f.deleted_at IS NULL) \
         AND EXISTS (SELECT 1 FROM contacts t WHERE t.tenant_id = contact_influences.tenant_id \
         AND t.id = contact_influences.to_contact_id AND t.deleted_at IS NULL)",
    )
}

/// The links of these accounts, by account, then creation.
pub async fn of_accounts(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<link::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    Ok(link::Entity::find()
        .filter(link::Column::TenantId.eq(tenant.0))
        .filter(link::Column::AccountId.is_in(accounts.iter().copied()))
        .filter(live_ends())
        .order_by_asc(link::Column::AccountId)
        .order_by_asc(link::Column::Id)
        .all(conn)
        .await?)
}

/// A link by id.
pub async fn get(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<link::Model>, StoreError> {
    Ok(link::Entity::find()
        .filter(link::Column::TenantId.eq(tenant.0))
        .filter(link::Column::Id.eq(id))
        .filter(live_ends())
        .one(conn)
        .await?)
}
