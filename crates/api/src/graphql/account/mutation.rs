//! The account mutations.

use super::input::{AccountIdInput, AccountPayload, CreateAccountInput, UpdateAccountInput};
use super::object::Account;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::values::patch;
use crate::graphql::{in_input, principal, state};
use crate::services::accounts as svc;
use async_graphql::{Context, MaybeUndefined, Object, Result};
use domain::account::{AccountInput, AccountPatchInput};
use domain::{AccountId, Patch, UserId};
use std::sync::Arc;

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
        let parent_id = input
            .parent_id
            .as_ref()
            .map(|o| decode(Kind::Account, o, "parentId").map(AccountId))
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
            parent_id,
            annual_revenue: input.annual_revenue.map(Into::into),
            wallet_estimate: input.wallet_estimate.map(Into::into),
            external_ref: input.external_ref.map(Into::into),
        };
        let m = svc::create(&state(ctx)?.db, p, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Changes an account (its team's owner and account managers, sales
    /// managers and admins).
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
        let parent_id = match input.parent_id {
            MaybeUndefined::Value(o) => Patch::Set(AccountId(
                decode(Kind::Account, &o, "parentId").map_err(in_input)?,
            )),
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
            parent_id,
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
