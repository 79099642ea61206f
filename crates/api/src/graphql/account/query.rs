//! `account(id:)` and `accounts`.

use super::object::{Account, AccountConnection};
use crate::error::ApiError;
use crate::graphql::common::enums::AccountOrderBy;
use crate::graphql::common::filters::{AccountFilter, repo_filter, wants_today};
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::pagination::{encode_cursor, page_args};
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::{loaders, reader, state};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, Result};
use persistence::repo::page::Position;
use std::sync::Arc;

#[derive(Default)]
pub struct AccountQuery;

/// Queries about accounts.
#[Object]
impl AccountQuery {
    /// An account by id (also archived ones). `NOT_FOUND` when it does not
    /// exist in your tenant.
    async fn account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's id.")] id: ID,
    ) -> Result<Account> {
        let uuid = decode(Kind::Account, &id, "id")?;
        let row = loaders(ctx)?
            .account(uuid)
            .await?
            .ok_or_else(|| ApiError::not_found_in("account", "id"))?;
        Ok(Account(row))
    }

    /// Accounts of your tenant as a Relay connection with keyset cursors.
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n accounts (at most 100; default 20).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns accounts after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n accounts (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns accounts before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which accounts to list.")] filter: Option<AccountFilter>,
        #[graphql(desc = "Order of the list (default NAME_ASC).")] order_by: Option<AccountOrderBy>,
    ) -> Result<AccountConnection> {
        let today = match wants_today(&filter) {
            true => Some(loaders(ctx)?.today().await?),
            false => None,
        };
        let filter = repo_filter(filter, today)?;
        accounts_connection(ctx, first, after, last, before, filter, order_by).await
    }
}

/// A page of the caller's tenant's accounts that `repo_filter` admits, as
/// a connection (`accounts`, `viewer.accounts`).
pub(crate) async fn accounts_connection(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
    repo_filter: persistence::repo::accounts::AccountFilter,
    order_by: Option<AccountOrderBy>,
) -> Result<AccountConnection> {
    let p = reader(ctx)?;
    let order = order_by.unwrap_or_default();
    let args = page_args(
        order.code(),
        first,
        after.as_deref(),
        last,
        before.as_deref(),
    )?;
    let page = persistence::repo::accounts::list(
        state(ctx)?.db.read(),
        p.tenant_id,
        &repo_filter,
        order.repo(),
        &args,
    )
    .await
    .map_err(ApiError::from)?;
    let l = loaders(ctx)?;
    l.seed_accounts(page.rows.iter());
    let mut c = Connection::with_additional_fields(
        page.has_previous,
        page.has_next,
        TotalCount(CountOf::Accounts(repo_filter)),
    );
    let repo_order = order.repo();
    c.edges.extend(page.rows.into_iter().map(|r| {
        let cursor = encode_cursor(
            order.code(),
            &Position {
                key: repo_order.key_of(&r),
                id: r.id,
            },
        );
        Edge::new(cursor, Account(Arc::new(r)))
    }));
    Ok(c)
}
