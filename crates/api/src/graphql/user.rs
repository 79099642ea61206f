//! The viewer, the user list and user administration.

use super::common::enums::Role;
use super::common::filters::USER_ORDER;
use super::common::ids::{Kind, decode};
use super::common::pagination::{encode_cursor, page_args};
use super::types::{User, Viewer};
use super::{in_input, loaders, principal, reader, state};
use crate::error::ApiError;
use crate::services::users as svc;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use domain::UserId;
use persistence::repo::page::Position;
use std::sync::Arc;

/// Users of the tenant, by e-mail.
pub type UserConnection = Connection<String, User, super::count::TotalCount>;

#[derive(Default)]
pub struct UserQuery;

/// Queries about users and the signed-in caller.
#[Object]
impl UserQuery {
    /// The signed-in caller.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Viewer> {
        let p = principal(ctx)?;
        let u = loaders(ctx)?
            .user(p.user_id.0)
            .await?
            .ok_or_else(|| ApiError::Unauthenticated("the user no longer exists".into()))?;
        Ok(Viewer { user: User(u) })
    }

    /// A user of your tenant by id.
    async fn user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The user's id.")] id: ID,
    ) -> Result<User> {
        let uuid = decode(Kind::User, &id, "id")?;
        let u = loaders(ctx)?
            .user(uuid)
            .await?
            .ok_or_else(|| ApiError::not_found_in("user", "id"))?;
        Ok(User(u))
    }

    /// Users of your tenant, ordered by e-mail.
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n users (at most 100; default 20).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns users after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n users (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns users before this cursor.")] before: Option<String>,
    ) -> Result<UserConnection> {
        let p = reader(ctx)?;
        let args = page_args(USER_ORDER, first, after.as_deref(), last, before.as_deref())?;
        let page = persistence::repo::users::list(state(ctx)?.db.read(), p.tenant_id, &args)
            .await
            .map_err(ApiError::from)?;
        let mut c = Connection::with_additional_fields(
            page.has_previous,
            page.has_next,
            super::count::TotalCount(super::count::CountOf::Users),
        );
        c.edges.extend(page.rows.into_iter().map(|u| {
            let cursor = encode_cursor(
                USER_ORDER,
                &Position {
                    key: u.email_key.clone(),
                    id: u.id,
                },
            );
            Edge::new(cursor, User(Arc::new(u)))
        }));
        Ok(c)
    }
}

/// Input of `createUser`.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// E-mail address, unique in the tenant (case-insensitive).
    email: String,
    /// Name shown to others.
    display_name: String,
    /// What the user may do.
    role: Role,
    /// Initial password, at least 12 characters.
    password: String,
}

/// Input of `updateUserRole`.
#[derive(InputObject)]
pub struct UpdateUserRoleInput {
    /// The user.
    id: ID,
    /// The new role.
    role: Role,
}

/// Input of `deactivateUser`.
#[derive(InputObject)]
pub struct DeactivateUserInput {
    /// The user.
    id: ID,
}

/// Result of a user mutation.
#[derive(SimpleObject)]
pub struct UserPayload {
    /// The user as it is now.
    user: User,
}

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
