//! User administration (admins).

use super::input::{CreateUserInput, DeactivateUserInput, UpdateUserRoleInput, UserPayload};
use super::object::User;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::{in_input, principal, state};
use crate::services::users as svc;
use async_graphql::{Context, Object, Result};
use domain::UserId;
use std::sync::Arc;

#[derive(Default)]
pub struct UserMutation;

/// User administration (admins).
#[Object]
impl UserMutation {
    /// Creates a user (admins only).
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreateUserInput,
    ) -> Result<UserPayload> {
        let p = principal(ctx)?;
        let u = svc::create_user(
            &state(ctx)?.db,
            p,
            &input.email,
            &input.display_name,
            input.role.into(),
            &input.password,
        )
        .await
        .map_err(in_input)?;
        Ok(UserPayload {
            user: User(Arc::new(u)),
        })
    }

    /// Changes a user's role (admins only; not your own). Takes effect on the
    /// user's next request.
    async fn update_user_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateUserRoleInput,
    ) -> Result<UserPayload> {
        let p = principal(ctx)?;
        let s = state(ctx)?;
        let id = UserId(decode(Kind::User, &input.id, "id").map_err(in_input)?);
        let u = svc::change_user(&s.db, &s.user_status, p, id, Some(input.role.into()), false)
            .await
            .map_err(in_input)?;
        Ok(UserPayload {
            user: User(Arc::new(u)),
        })
    }

    /// Deactivates a user (admins only; not yourself): their sessions are
    /// revoked and their access tokens stop working.
    async fn deactivate_user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: DeactivateUserInput,
    ) -> Result<UserPayload> {
        let p = principal(ctx)?;
        let s = state(ctx)?;
        let id = UserId(decode(Kind::User, &input.id, "id").map_err(in_input)?);
        let u = svc::change_user(&s.db, &s.user_status, p, id, None, true)
            .await
            .map_err(in_input)?;
        Ok(UserPayload {
            user: User(Arc::new(u)),
        })
    }
}
