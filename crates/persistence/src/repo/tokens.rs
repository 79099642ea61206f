//! Refresh tokens: stored as SHA-256 hashes, single use, grouped in families
//! (one per login) so that reuse of a spent token revokes the whole family.

use super::now;
use crate::entity::refresh_token;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use domain::{TenantId, UserId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

pub async fn insert(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    user: UserId,
    family_id: Uuid,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let at = now();
    let am = refresh_token::ActiveModel {
        tenant_id: Set(tenant.0),
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        user_id: Set(user.0),
        token_hash: Set(token_hash.to_owned()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(at),
        created_by: Set(Some(user.0)),
        updated_at: Set(at),
        updated_by: Set(Some(user.0)),
        version: Set(1),
    };
    refresh_token::Entity::insert(am)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub async fn find_by_hash(
    conn: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<refresh_token::Model>, StoreError> {
    Ok(refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await?)
}

/// Marks the token spent if it still is live; false when another request
/// spent or revoked it first.
pub async fn spend(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<bool, StoreError> {
    let at = now();
    let r = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(at))
        .col_expr(refresh_token::Column::UpdatedAt, Expr::value(at))
        .col_expr(
            refresh_token::Column::Version,
            Expr::col(refresh_token::Column::Version).add(1),
        )
        .filter(refresh_token::Column::TenantId.eq(tenant.0))
        .filter(refresh_token::Column::Id.eq(id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn revoke_family(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    family_id: Uuid,
) -> Result<(), StoreError> {
    let at = now();
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(at))
        .col_expr(refresh_token::Column::UpdatedAt, Expr::value(at))
        .filter(refresh_token::Column::TenantId.eq(tenant.0))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn revoke_user(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    user: UserId,
) -> Result<(), StoreError> {
    let at = now();
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(at))
        .col_expr(refresh_token::Column::UpdatedAt, Expr::value(at))
        .filter(refresh_token::Column::TenantId.eq(tenant.0))
        .filter(refresh_token::Column::UserId.eq(user.0))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}
