//! `viewer`, `user(id:)` and `users`.

use super::object::{User, UserConnection, Viewer};
use crate::error::ApiError;
use crate::graphql::common::filters::USER_ORDER;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::pagination::{encode_cursor, page_args};
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::{loaders, principal, reader, state};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, Result};
use persistence::repo::page::Position;
use std::sync::Arc;

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
        crate::graphql::loaders(ctx)?.seed_users(page.rows.iter().map(|u| u.id));
        let mut c = Connection::with_additional_fields(
            page.has_previous,
            page.has_next,
            TotalCount(CountOf::Users),
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
