//! The team mutations: the account's writers add, change and remove
//! members.

use super::input::{
    AccountTeamMemberPayload, AddAccountTeamMemberInput, RemoveAccountTeamMemberInput,
    RemoveAccountTeamMemberPayload, UpdateAccountTeamMemberInput,
};
use super::object::AccountTeamMember;
use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::ids::{GlobalId, Kind, decode};
use crate::graphql::common::values::patch;
use crate::graphql::{in_input, principal, state};
use crate::services::team as svc;
use async_graphql::{Context, ID, MaybeUndefined, Object, Result};
use domain::team::{MemberInput, MemberPatchInput};
use domain::{AccountId, UserId};
use std::sync::Arc;

fn ids(account: &ID, user: &ID) -> Result<(AccountId, UserId), ApiError> {
    let a = decode(Kind::Account, account, "accountId").map_err(in_input)?;
    let u = decode(Kind::User, user, "userId").map_err(in_input)?;
    Ok((AccountId(a), UserId(u)))
}

fn payload(m: svc::MemberOf) -> AccountTeamMemberPayload {
    AccountTeamMemberPayload {
        member: AccountTeamMember(Arc::new(m.member)),
        account: Account(Arc::new(m.account)),
    }
}

#[derive(Default)]
pub struct TeamMutation;

/// Mutations of account teams (the account's writers).
#[Object]
impl TeamMutation {
    /// Adds a user to an account's team. `CONFLICT` on `userId` when they
    /// are on it already.
    async fn add_account_team_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddAccountTeamMemberInput,
    ) -> Result<AccountTeamMemberPayload> {
        let p = principal(ctx)?;
        let (account, user) = ids(&input.account_id, &input.user_id)?;
        let raw = MemberInput {
            role: input.role.into(),
            responsibility: input.responsibility,
        };
        let m = svc::add_member(&state(ctx)?.db, p, account, user, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Changes a member's team role or responsibility.
    async fn update_account_team_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateAccountTeamMemberInput,
    ) -> Result<AccountTeamMemberPayload> {
        let p = principal(ctx)?;
        let (account, user) = ids(&input.account_id, &input.user_id)?;
        if input.role.is_null() {
            return Err(in_input(ApiError::validation("role", "cannot be null")).into());
        }
        let raw = MemberPatchInput {
            role: match input.role {
                MaybeUndefined::Value(r) => Some(r.into()),
                _ => None,
            },
            responsibility: patch(input.responsibility, |s| s),
        };
        let m = svc::update_member(&state(ctx)?.db, p, account, user, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Removes a member from an account's team (not the owner: give the
    /// account another owner first).
    async fn remove_account_team_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RemoveAccountTeamMemberInput,
    ) -> Result<RemoveAccountTeamMemberPayload> {
        let p = principal(ctx)?;
        let (account, user) = ids(&input.account_id, &input.user_id)?;
        let a = svc::remove_member(&state(ctx)?.db, p, account, user)
            .await
            .map_err(in_input)?;
        Ok(RemoveAccountTeamMemberPayload {
            removed_user_id: GlobalId(Kind::User, user.0).into(),
            account: Account(Arc::new(a)),
        })
    }
}
