//! Account teams: the users on each account's team, in their team roles.

use crate::StoreError;
use crate::entity::account_team_member as member;
use domain::TenantId;
use domain::team::TeamRole;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// The order of a team: owner first, then by team role, then by when the
/// member joined (and id, for ties).
fn team_order(a: &member::Model, b: &member::Model) -> std::cmp::Ordering {
    let rank = |m: &member::Model| TeamRole::from_str_opt(&m.role).map_or(u8::MAX, |r| r.rank());
    (rank(a), a.created_at, a.id).cmp(&(rank(b), b.created_at, b.id))
}

/// The teams of these accounts, grouped by account (in `accounts`' order
/// of first appearance is not kept: by account id), each in team order.
pub async fn of_accounts(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<member::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant.0))
        .filter(member::Column::AccountId.is_in(accounts.iter().copied()))
        .order_by_asc(member::Column::AccountId)
        .all(conn)
        .await?;
    rows.sort_by(|a, b| {
        a.account_id
            .cmp(&b.account_id)
            .then_with(|| team_order(a, b))
    });
    Ok(rows)
}

/// A user's membership of an account's team.
pub async fn member(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    account: Uuid,
    user: Uuid,
) -> Result<Option<member::Model>, StoreError> {
    Ok(member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant.0))
        .filter(member::Column::AccountId.eq(account))
        .filter(member::Column::UserId.eq(user))
        .one(conn)
        .await?)
}

/// The caller's team role on an account (`None` when not on its team).
pub async fn role_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    account: Uuid,
    user: Uuid,
) -> Result<Option<TeamRole>, StoreError> {
    Ok(member(conn, tenant, account, user)
        .await?
        .and_then(|m| TeamRole::from_str_opt(&m.role)))
}

/// The account's owner row.
pub async fn owner_row(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    account: Uuid,
) -> Result<Option<member::Model>, StoreError> {
    Ok(member::Entity::find()
        .filter(member::Column::TenantId.eq(tenant.0))
        .filter(member::Column::AccountId.eq(account))
        .filter(member::Column::Role.eq(TeamRole::Owner.as_str()))
        .one(conn)
        .await?)
}

/// Whether the live account exists (`None` when not) and, with `user`,
/// that user's team role on it: one statement.
pub async fn account_and_role(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    account: Uuid,
    user: Option<Uuid>,
) -> Result<Option<Option<TeamRole>>, StoreError> {
    let backend = conn.get_database_backend();
    let sql = "SELECT m.role AS role FROM accounts a LEFT JOIN account_team_members m \
        ON m.tenant_id = a.tenant_id AND m.account_id = a.id AND m.user_id = ? \
        WHERE a.tenant_id = ? AND a.id = ? AND a.deleted_at IS NULL";
    let row = conn
        .query_one_raw(super::raw(
            backend,
            sql,
            vec![user.into(), tenant.0.into(), account.into()],
        ))
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let role: Option<String> = row.try_get("", "role")?;
    Ok(Some(role.as_deref().and_then(TeamRole::from_str_opt)))
}
