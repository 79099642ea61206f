//! User administration (admins only).

use super::writer;
use crate::auth::{UserStatusCache, hash_password};
use crate::error::{ApiError, ApiResult};
use domain::text::{Email, MAX_SHORT_TEXT, RequiredText};
use domain::user::{Password, Role};
use domain::{Action, Principal, Record, UserId, authorize};
use persistence::Db;
use persistence::entity::user;
use persistence::repo::{tenants, tokens, users};

pub async fn create_user(
    db: &Db,
    p: &Principal,
    email: &str,
    display_name: &str,
    role: Role,
    password: &str,
) -> ApiResult<user::Model> {
    let email = Email::parse_sign_in("email", email)?;
    let display_name = RequiredText::parse("displayName", display_name, MAX_SHORT_TEXT)?;
    let password = Password::parse(
        "password",
        password,
        &[email.as_str(), display_name.as_str()],
    )?;
    authorize(p, Action::ManageUsers, Record::User)?;
    let hash = hash_password(password.expose().to_owned()).await?;
    let new = users::NewUser {
        email: email.as_str(),
        email_key: &email.key(),
        display_name: display_name.as_str(),
        role: role.as_str(),
        password_hash: &hash,
    };
    let w = writer(db, p).await?;
    let created = users::insert(&w, p.tenant_id, new).await.map_err(|e| {
        if e.is_unique("email") || matches!(e, persistence::StoreError::UniqueViolation { .. }) {
            ApiError::Conflict {
                message: "a user with this e-mail already exists".into(),
                field: Some("email".into()),
            }
        } else {
            e.into()
        }
    })?;
    w.commit().await?;
    Ok(created)
}

/// Changes a role or deactivates. Admins cannot demote or deactivate
/// themselves, so a tenant never locks out its last admin by accident.
pub async fn change_user(
    db: &Db,
    cache: &UserStatusCache,
    p: &Principal,
    id: UserId,
    role: Option<Role>,
    deactivate: bool,
) -> ApiResult<user::Model> {
    let existing = users::get(db.read(), p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("user", "id"))?;
    authorize(p, Action::ManageUsers, Record::User)?;
    if id == p.user_id {
        return Err(ApiError::validation(
            "id",
            "you cannot change your own role or deactivate yourself",
        ));
    }
    let w = writer(db, p).await?;
    // Two admins who demote (or deactivate) each other at the same moment
    // must not both succeed: changes of one tenant's users take turns, and
    // the caller must still be an active admin when their turn comes (the
    // caller is never the target, so an admin always remains).
    tenants::lock_for_user_admin(w.conn(), p.tenant_id).await?;
    let caller_is_admin = users::status(w.conn(), p.tenant_id, p.user_id)
        .await?
        .is_some_and(|(role, active)| active && Role::from_str_opt(&role) == Some(Role::Admin));
    if !caller_is_admin {
        return Err(ApiError::Forbidden(
            "you are no longer an active admin of this tenant".into(),
        ));
    }
    let updated = users::set_role_and_active(
        &w,
        p.tenant_id,
        id,
        role.map(Role::as_str),
        deactivate.then_some(false),
    )
    .await?
    .ok_or_else(|| ApiError::not_found_in("user", "id"))?;
    if deactivate {
        tokens::revoke_user(&w, p.tenant_id, id).await?;
    }
    w.commit().await?;
    cache.invalidate((p.tenant_id, id));
    tracing::info!(user = %existing.id, by = %p.user_id.0, role = ?role, deactivate, "user changed");
    Ok(updated)
}
