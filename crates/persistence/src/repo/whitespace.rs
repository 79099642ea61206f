//! White space: the tenant's product catalogue, the business units of
//! accounts, and the cells of each account's matrix (business unit × product).

use super::{placeholders, raw};
use crate::entity::{business_unit, product, white_space_cell};
use crate::error::StoreError;
use domain::TenantId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Value};
use uuid::Uuid;

/// The tenant's products, by name (bytewise on the sort key), inactive ones
/// included when asked.
pub async fn products(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    include_inactive: bool,
) -> Result<Vec<product::Model>, StoreError> {
    let mut q = product::Entity::find().filter(product::Column::TenantId.eq(tenant.0));
    if !include_inactive {
        q = q.filter(product::Column::Active.eq(true));
    }
    Ok(q.order_by_asc(product::Column::NameKey)
        .order_by_asc(product::Column::Id)
        .all(conn)
        .await?)
}

pub async fn product(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<product::Model>, StoreError> {
    Ok(product::Entity::find()
        .filter(product::Column::TenantId.eq(tenant.0))
        .filter(product::Column::Id.eq(id))
        .one(conn)
        .await?)
}

pub async fn products_by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<product::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(product::Entity::find()
        .filter(product::Column::TenantId.eq(tenant.0))
        .filter(product::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

pub async fn business_unit(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<business_unit::Model>, StoreError> {
    Ok(business_unit::Entity::find()
        .filter(business_unit::Column::TenantId.eq(tenant.0))
        .filter(business_unit::Column::DeletedAt.is_null())
        .filter(business_unit::Column::Id.eq(id))
        .one(conn)
        .await?)
}

pub async fn business_units_by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<business_unit::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(business_unit::Entity::find()
        .filter(business_unit::Column::TenantId.eq(tenant.0))
        .filter(business_unit::Column::DeletedAt.is_null())
        .filter(business_unit::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The business units of the accounts, by account, then name.
pub async fn business_units_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<business_unit::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    Ok(business_unit::Entity::find()
        .filter(business_unit::Column::TenantId.eq(tenant.0))
        .filter(business_unit::Column::DeletedAt.is_null())
        .filter(business_unit::Column::AccountId.is_in(accounts.iter().copied()))
        .order_by_asc(business_unit::Column::AccountId)
        .order_by_asc(business_unit::Column::NameKey)
        .order_by_asc(business_unit::Column::Id)
        .all(conn)
        .await?)
}

/// The cells of the accounts, in matrix order: by account, then business
/// unit name, then product name (one statement, joined for the order).
pub async fn cells_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<white_space_cell::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT c.* FROM white_space_cells c \
         JOIN business_units b ON b.tenant_id = c.tenant_id AND b.id = c.business_unit_id \
         JOIN products p ON p.tenant_id = c.tenant_id AND p.id = c.product_id \
         WHERE c.tenant_id = ? AND c.deleted_at IS NULL AND c.account_id IN ({}) \
         ORDER BY c.account_id, b.name_key, b.id, p.name_key, p.id",
        placeholders(accounts.len())
    );
    let mut values: Vec<Value> = vec![tenant.0.into()];
    values.extend(accounts.iter().map(|a| Value::from(*a)));
    Ok(white_space_cell::Entity::find()
        .from_raw_sql(raw(conn.get_database_backend(), &sql, values))
        .all(conn)
        .await?)
}

pub async fn cells_by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<white_space_cell::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(white_space_cell::Entity::find()
        .filter(white_space_cell::Column::TenantId.eq(tenant.0))
        .filter(white_space_cell::Column::DeletedAt.is_null())
        .filter(white_space_cell::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The cell of a business unit and a product, if set.
pub async fn cell_at(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    business_unit: Uuid,
    product: Uuid,
) -> Result<Option<white_space_cell::Model>, StoreError> {
    Ok(white_space_cell::Entity::find()
        .filter(white_space_cell::Column::TenantId.eq(tenant.0))
        .filter(white_space_cell::Column::DeletedAt.is_null())
        .filter(white_space_cell::Column::BusinessUnitId.eq(business_unit))
        .filter(white_space_cell::Column::ProductId.eq(product))
        .one(conn)
        .await?)
}
