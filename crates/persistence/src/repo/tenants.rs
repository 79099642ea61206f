//! Tenants.

use crate::entity::tenant;
use crate::error::StoreError;
use domain::TenantId;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

pub struct NewTenant<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub time_zone: &'a str,
    pub fiscal_year_start_month: i32,
    pub default_currency: &'a str,
}

pub async fn insert(
    w: &crate::write::Writer,
    t: NewTenant<'_>,
) -> Result<tenant::Model, StoreError> {
    w.insert::<tenant::Entity>(tenant::ActiveModel {
        tenant_id: Set(TenantId::new().0),
        slug: Set(t.slug.to_owned()),
        name: Set(t.name.to_owned()),
        time_zone: Set(t.time_zone.to_owned()),
        fiscal_year_start_month: Set(t.fiscal_year_start_month),
        default_currency: Set(t.default_currency.to_owned()),
        ..Default::default()
    })
    .await
}

pub async fn find_by_slug(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<tenant::Model>, StoreError> {
    Ok(tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug))
        .one(conn)
        .await?)
}

pub async fn get(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<Option<tenant::Model>, StoreError> {
    Ok(tenant::Entity::find_by_id(tenant.0).one(conn).await?)
}

/// Whether any tenant exists (a fresh database has none).
pub async fn any(conn: &impl ConnectionTrait) -> Result<bool, StoreError> {
    Ok(tenant::Entity::find()
        .select_only()
        .column(tenant::Column::TenantId)
        .limit(1)
        .into_tuple::<uuid::Uuid>()
        .one(conn)
        .await?
        .is_some())
}

/// Serialises the tenant's user administration: a no-op write to the
/// tenant's row, first in the transaction. On Postgres it holds the row
/// lock until the transaction ends (a concurrent one waits, then reads what
/// this one committed); on SQLite it takes the database's write lock before
/// anything is read. A rule over several users (the last admin) is then
/// checked against committed data.
pub async fn lock_for_user_admin(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<(), StoreError> {
    use sea_orm::sea_query::Expr;
    tenant::Entity::update_many()
        .col_expr(tenant::Column::Version, Expr::col(tenant::Column::Version))
        .filter(tenant::Column::TenantId.eq(tenant.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Serialises changes to the tenant's account hierarchy (the same no-op
/// write as [`lock_for_user_admin`]): two concurrent re-parentings cannot
/// both pass the cycle check against what the other is about to commit.
pub async fn lock_for_hierarchy(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<(), StoreError> {
    lock_for_user_admin(conn, tenant).await
}
