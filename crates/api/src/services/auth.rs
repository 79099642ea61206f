//! Login, token refresh and logout.

use crate::auth::{
    TokenService, UserStatusCache, hash_refresh_token, new_refresh_token, verify_password,
};
use crate::error::{ApiError, ApiResult};
use crate::rate_limit::RateLimits;
use chrono::{DateTime, Utc};
use domain::user::Role;
use domain::{Principal, TenantId, UserId};
use persistence::Db;
use persistence::entity::user;
use persistence::repo::{tenants, tokens, users};
use persistence::write::Writer;
use uuid::Uuid;

/// What a successful login or refresh returns.
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: user::Model,
}

fn bad_credentials() -> ApiError {
    ApiError::Unauthenticated("invalid tenant, e-mail or password".into())
}

fn principal_of(u: &user::Model) -> Principal {
    Principal {
        tenant_id: TenantId(u.tenant_id),
        user_id: UserId(u.id),
        role: Role::from_str_opt(&u.role).unwrap_or(Role::Viewer),
        request: None,
    }
}

async fn open_session(
    w: &Writer,
    tokens_svc: &TokenService,
    user: user::Model,
    family: Uuid,
) -> ApiResult<Session> {
    let p = principal_of(&user);
    let (refresh_token, hash) = new_refresh_token();
    tokens::insert(
        w,
        p.tenant_id,
        p.user_id,
        family,
        &hash,
        w.at() + tokens_svc.refresh_ttl,
    )
    .await?;
    let (access_token, expires_at) = tokens_svc.issue(&p)?;
    Ok(Session {
        access_token,
        refresh_token,
        expires_at,
        user,
    })
}

/// Logs in. Every failure looks the same and takes the same time, whether
/// the tenant or e-mail exists or not.
/// What a login presents.
pub struct Credentials<'a> {
    pub tenant: &'a str,
    pub email: &'a str,
    pub password: String,
    /// Where the attempt comes from (for the per-address limit).
    pub client_ip: Option<std::net::IpAddr>,
}

pub async fn login(
    db: &Db,
    tokens_svc: &TokenService,
    cache: &UserStatusCache,
    limits: &RateLimits,
    creds: Credentials<'_>,
) -> ApiResult<Session> {
    let Credentials {
        tenant,
        email,
        password,
        client_ip,
    } = creds;
    // Before a tenant is known: the owner's connections (`Db::system`).
    let db = db.system();
    limits
        .login_attempt(client_ip)
        .map_err(|s| ApiError::rate_limited("login attempts from this address", s))?;
    // Repeated failures for one tenant + e-mail lock it out for a growing
    // time, whether the e-mail exists or not.
    let key = format!("{}/{}", tenant.trim(), email.trim().to_lowercase());
    limits
        .locked(&key)
        .map_err(|s| ApiError::rate_limited("failed logins for this account", s))?;
    // No slug or e-mail holds NUL (and Postgres cannot compare text with
    // it): such a login matches nobody, in the same time as any other.
    let tenant = if tenant.contains('\0') || email.contains('\0') {
        None
    } else {
        tenants::find_by_slug(db.read(), tenant.trim()).await?
    };
    let user = match &tenant {
        Some(t) => {
            users::find_by_email(
                db.read(),
                TenantId(t.tenant_id),
                &email.trim().to_lowercase(),
            )
            .await?
        }
        None => None,
    };
    let ok = verify_password(password, user.as_ref().map(|u| u.password_hash.clone())).await;
    let user = match user {
        Some(u) if ok && u.active => u,
        _ => {
            limits.failed(&key);
            return Err(bad_credentials());
        }
    };
    limits.succeeded(&key);
    let p = principal_of(&user);
    cache.put((p.tenant_id, p.user_id), p.role, true);
    let w = Writer::begin(db, Some(user.id), None).await?;
    let s = open_session(&w, tokens_svc, user, Uuid::now_v7()).await?;
    w.commit().await?;
    Ok(s)
}

/// Exchanges a live refresh token for a new pair. A spent or revoked token
/// revokes its whole family: someone replayed it.
pub async fn refresh(db: &Db, tokens_svc: &TokenService, token: &str) -> ApiResult<Session> {
    // Before a tenant is known: the owner's connections (`Db::system`).
    let db = db.system();
    let invalid = || ApiError::Unauthenticated("the refresh token is invalid or expired".into());
    let Some(row) = tokens::find_by_hash(db.read(), &hash_refresh_token(token)).await? else {
        return Err(invalid());
    };
    let tenant = TenantId(row.tenant_id);
    if row.used_at.is_some() || row.revoked_at.is_some() {
        revoke_family(db, tenant, row.user_id, row.family_id).await?;
        tracing::warn!(family = %row.family_id, "refresh token reuse: family revoked");
        return Err(ApiError::Unauthenticated(
            "the refresh token was already used; sign in again".into(),
        ));
    }
    if row.expires_at <= Utc::now() {
        return Err(invalid());
    }
    let w = Writer::begin(db, Some(row.user_id), None).await?;
    if !tokens::spend(&w, tenant, row.id).await? {
        drop(w);
        revoke_family(db, tenant, row.user_id, row.family_id).await?;
        return Err(ApiError::Unauthenticated(
            "the refresh token was already used; sign in again".into(),
        ));
    }
    let user = users::get(w.conn(), tenant, UserId(row.user_id)).await?;
    let user = match user {
        Some(u) if u.active => u,
        _ => return Err(invalid()),
    };
    let s = open_session(&w, tokens_svc, user, row.family_id).await?;
    w.commit().await?;
    Ok(s)
}

/// Revokes the family of the given refresh token (it must be the caller's),
/// or every refresh token of the caller when none is given.
pub async fn logout(db: &Db, p: &Principal, refresh_token: Option<&str>) -> ApiResult<()> {
    match refresh_token {
        Some(t) => {
            let row = tokens::find_by_hash(db.read(), &hash_refresh_token(t)).await?;
            match row {
                Some(r) if r.tenant_id == p.tenant_id.0 && r.user_id == p.user_id.0 => {
                    revoke_family(db, p.tenant_id, p.user_id.0, r.family_id).await?;
                }
                _ => return Err(ApiError::not_found_in("refresh token", "refreshToken")),
            }
        }
        None => {
            let w = Writer::begin(db, Some(p.user_id.0), p.request).await?;
            tokens::revoke_user(&w, p.tenant_id, p.user_id).await?;
            w.commit().await?;
        }
    }
    Ok(())
}

/// Revokes a token family in a write of its own, by the token's user.
async fn revoke_family(db: &Db, tenant: TenantId, user: Uuid, family: Uuid) -> ApiResult<()> {
    let w = Writer::begin(db, Some(user), None).await?;
    tokens::revoke_family(&w, tenant, family).await?;
    w.commit().await?;
    Ok(())
}
