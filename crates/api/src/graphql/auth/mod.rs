//! Login, token refresh and logout.

use super::user::User;
use super::{principal, state};
use crate::services::auth as svc;
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Credentials.
#[derive(InputObject)]
pub struct LoginInput {
    /// The tenant's slug.
    tenant: String,
    /// Your e-mail address.
    email: String,
    /// Your password.
    password: String,
}

/// A refresh token to exchange.
#[derive(InputObject)]
pub struct RefreshTokenInput {
    /// The refresh token from `login` or the last `refreshToken`.
    refresh_token: String,
}

/// What to sign out.
#[derive(InputObject, Default)]
pub struct LogoutInput {
    /// Revoke this session (its refresh token family); omit to revoke all of your sessions.
    refresh_token: Option<String>,
}

/// A signed-in session.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Send as `Authorization: Bearer <accessToken>`; valid until `expiresAt`.
    access_token: String,
    /// Single use: exchange it with `refreshToken` for a new pair before it expires.
    refresh_token: String,
    /// When the access token expires.
    expires_at: DateTime<Utc>,
    /// The signed-in user.
    user: User,
}

/// Result of `logout`.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// True when the sessions were revoked.
    ok: bool,
}

fn to_payload(s: svc::Session) -> AuthPayload {
    AuthPayload {
        access_token: s.access_token,
        refresh_token: s.refresh_token,
        expires_at: s.expires_at,
        user: User(Arc::new(s.user)),
    }
}

#[derive(Default)]
pub struct AuthMutation;

/// Signing in and out.
#[Object]
impl AuthMutation {
    /// Signs in. Failures never reveal whether the tenant or e-mail exists.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: LoginInput,
    ) -> Result<AuthPayload> {
        let s = state(ctx)?;
        let session = svc::login(
            &s.db,
            &s.tokens,
            &s.user_status,
            &s.rate_limits,
            svc::Credentials {
                tenant: &input.tenant,
                email: &input.email,
                password: input.password,
                client_ip: super::client_ip(ctx),
            },
        )
        .await?;
        Ok(to_payload(session))
    }

    /// Exchanges a refresh token for a new access and refresh token. A
    /// refresh token works once; presenting a spent one revokes the session.
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RefreshTokenInput,
    ) -> Result<AuthPayload> {
        let s = state(ctx)?;
        Ok(to_payload(
            svc::refresh(&s.db, &s.tokens, &input.refresh_token).await?,
        ))
    }

    /// Signs out: revokes the session of the given refresh token, or all of yours.
    async fn logout(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: Option<LogoutInput>,
    ) -> Result<LogoutPayload> {
        let p = principal(ctx)?;
        let input = input.unwrap_or_default();
        svc::logout(&state(ctx)?.db, p, input.refresh_token.as_deref())
            .await
            .map_err(super::in_input)?;
        Ok(LogoutPayload { ok: true })
    }
}
