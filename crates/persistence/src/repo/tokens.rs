//! Refresh tokens: stored as SHA-256 hashes, single use, grouped in families
//! (one per login) so that reuse of a spent token revokes the whole family.

use crate::entity::refresh_token;
use crate::error::StoreError;
use crate::write::{Op, Writer};
use chrono::{DateTime, Utc};
use domain::{TenantId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Stores a new refresh token (a session, not a record: no change is
/// reported for it, and its hash never reaches the journal).
pub async fn insert(
    w: &Writer,
    tenant: TenantId,
    user: UserId,
    family_id: Uuid,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    w.insert::<refresh_token::Entity>(refresh_token::ActiveModel {
        tenant_id: Set(tenant.0),
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        user_id: Set(user.0),
        token_hash: Set(token_hash.to_owned()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    })
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
pub async fn spend(w: &Writer, tenant: TenantId, id: Uuid) -> Result<bool, StoreError> {
    let q = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(w.at()))
        .filter(refresh_token::Column::TenantId.eq(tenant.0))
        .filter(refresh_token::Column::Id.eq(id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null());
    Ok(w.update_many(q, Op::Updated).await?.len() == 1)
}

pub async fn revoke_family(
    w: &Writer,
    tenant: TenantId,
    family_id: Uuid,
) -> Result<(), StoreError> {
    let q = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(w.at()))
        .filter(refresh_token::Column::TenantId.eq(tenant.0))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null());
    w.update_many(q, Op::Updated).await?;
    Ok(())
}

pub async fn revoke_user(w: &Writer, tenant: TenantId, user: UserId) -> Result<(), StoreError> {
    let q = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(w.at()))
        .filter(refresh_token::Column::TenantId.eq(tenant.0))
        .filter(refresh_token::Column::UserId.eq(user.0))
        .filter(refresh_token::Column::RevokedAt.is_null());
    w.update_many(q, Op::Updated).await?;
    Ok(())
}
