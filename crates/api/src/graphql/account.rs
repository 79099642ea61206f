//! Accounts: queries and mutations.

use super::common::enums::{AccountOrderBy, AccountStatus, Tier};
use super::common::filters::{AccountFilter, repo_filter};
use super::common::ids::{Kind, decode};
use super::common::pagination::{encode_cursor, page_args};
use super::common::values::{ExternalRefInputGql, MoneyInputGql, patch};
use super::types::Account;
use super::{in_input, loaders, principal, reader, state};
use crate::error::ApiError;
use crate::services::accounts as svc;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use domain::account::{AccountInput, AccountPatchInput};
use domain::{AccountId, Patch, UserId};
use persistence::repo::page::Position;
use std::sync::Arc;

/// Accounts, in the requested order.
pub type AccountConnection = Connection<String, Account, super::count::TotalCount>;

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
        let p = reader(ctx)?;
        let order = order_by.unwrap_or_default();
        let args = page_args(
            order.code(),
            first,
            after.as_deref(),
            last,
            before.as_deref(),
        )?;
        let repo_filter = repo_filter(filter)?;
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
            super::count::TotalCount(super::count::CountOf::Accounts(repo_filter)),
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
}
/// Input of `createAccount`.
#[derive(InputObject)]
pub struct CreateAccountInput {
    /// The customer's name (required, at most 200 characters).
    name: String,
    /// Industry.
    industry: Option<String>,
    /// Web site, an http(s) URL.
    website: Option<String>,
    /// Region or territory.
    region: Option<String>,
    /// Lifecycle status (default PROSPECT).
    status: Option<AccountStatus>,
    /// Tier (default GROWTH).
    tier: Option<Tier>,
    /// Owner (default: you). Account managers can only create accounts they own.
    owner_id: Option<ID>,
    /// Annual revenue with us.
    annual_revenue: Option<MoneyInputGql>,
    /// Estimate of the customer's total spend in our category.
    wallet_estimate: Option<MoneyInputGql>,
    /// The same account in another system (unique per tenant).
    external_ref: Option<ExternalRefInputGql>,
}

/// Input of `updateAccount`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdateAccountInput {
    /// The account to change.
    id: ID,
    /// New name (cannot be null).
    name: MaybeUndefined<String>,
    /// New industry.
    industry: MaybeUndefined<String>,
    /// New web site.
    website: MaybeUndefined<String>,
    /// New region.
    region: MaybeUndefined<String>,
    /// New status (cannot be null).
    status: MaybeUndefined<AccountStatus>,
    /// New tier (cannot be null).
    tier: MaybeUndefined<Tier>,
    /// New owner (cannot be null).
    owner_id: MaybeUndefined<ID>,
    /// New annual revenue.
    annual_revenue: MaybeUndefined<MoneyInputGql>,
    /// New wallet estimate.
    wallet_estimate: MaybeUndefined<MoneyInputGql>,
    /// New external reference.
    external_ref: MaybeUndefined<ExternalRefInputGql>,
}

/// Input naming one account.
#[derive(InputObject)]
pub struct AccountIdInput {
    /// The account.
    id: ID,
}

/// Result of an account mutation.
#[derive(SimpleObject)]
pub struct AccountPayload {
    /// The account as it is now.
    account: Account,
}

fn payload(m: persistence::entity::account::Model) -> AccountPayload {
    AccountPayload {
        account: Account(Arc::new(m)),
    }
}

#[derive(Default)]
pub struct AccountMutation;

/// Mutations of accounts.
#[Object]
impl AccountMutation {
    /// Creates an account.
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreateAccountInput,
    ) -> Result<AccountPayload> {
        let p = principal(ctx)?;
        let owner_id = input
            .owner_id
            .as_ref()
            .map(|o| decode(Kind::User, o, "ownerId").map(UserId))
            .transpose()
            .map_err(in_input)?;
        let raw = AccountInput {
            name: input.name,
            industry: input.industry,
            website: input.website,
            region: input.region,
            status: input.status.map(Into::into),
            tier: input.tier.map(Into::into),
            owner_id,
            annual_revenue: input.annual_revenue.map(Into::into),
            wallet_estimate: input.wallet_estimate.map(Into::into),
            external_ref: input.external_ref.map(Into::into),
        };
        let m = svc::create(&state(ctx)?.db, p, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Changes an account (its owner, sales managers and admins).
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateAccountInput,
    ) -> Result<AccountPayload> {
        let p = principal(ctx)?;
        let id = AccountId(decode(Kind::Account, &input.id, "id").map_err(in_input)?);
        let owner_id = match input.owner_id {
            MaybeUndefined::Value(o) => {
                Patch::Set(UserId(decode(Kind::User, &o, "ownerId").map_err(in_input)?))
            }
            MaybeUndefined::Null => Patch::Clear,
            MaybeUndefined::Undefined => Patch::Unchanged,
        };
        let raw = AccountPatchInput {
            name: patch(input.name, |v| v),
            industry: patch(input.industry, |v| v),
            website: patch(input.website, |v| v),
            region: patch(input.region, |v| v),
            status: patch(input.status, Into::into),
            tier: patch(input.tier, Into::into),
            owner_id,
            annual_revenue: patch(input.annual_revenue, Into::into),
            wallet_estimate: patch(input.wallet_estimate, Into::into),
            external_ref: patch(input.external_ref, Into::into),
        };
        let m = svc::update(&state(ctx)?.db, p, id, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Archives an account: hidden from lists, kept with its history.
    async fn archive_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AccountIdInput,
    ) -> Result<AccountPayload> {
        let p = principal(ctx)?;
        let id = AccountId(decode(Kind::Account, &input.id, "id").map_err(in_input)?);
        Ok(payload(
            svc::set_archived(&state(ctx)?.db, p, id, true)
                .await
                .map_err(in_input)?,
        ))
    }

    /// Restores an archived account.
    async fn restore_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AccountIdInput,
    ) -> Result<AccountPayload> {
        let p = principal(ctx)?;
        let id = AccountId(decode(Kind::Account, &input.id, "id").map_err(in_input)?);
        Ok(payload(
            svc::set_archived(&state(ctx)?.db, p, id, false)
                .await
                .map_err(in_input)?,
        ))
    }

    /// Deletes an account and its contacts (admins only). A tombstone stays
    /// for integrations; the account disappears from every query.
    async fn delete_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AccountIdInput,
    ) -> Result<AccountPayload> {
        let p = principal(ctx)?;
        let id = AccountId(decode(Kind::Account, &input.id, "id").map_err(in_input)?);
        Ok(payload(
            svc::delete(&state(ctx)?.db, p, id)
                .await
                .map_err(in_input)?,
        ))
    }
}
