//! The inputs and payloads of the team mutations.

use super::object::AccountTeamMember;
use crate::graphql::account::Account;
use crate::graphql::common::enums::AccountTeamRole;
use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};

/// Input of `addAccountTeamMember`.
#[derive(InputObject)]
pub struct AddAccountTeamMemberInput {
    /// The account.
    pub(super) account_id: ID,
    /// The user to add: an active user of your tenant, not on the team yet.
    pub(super) user_id: ID,
    /// Their part on the team (not `OWNER`: the owner is the account's `ownerId`).
    pub(super) role: AccountTeamRole,
    /// What they are responsible for on this account (at most 500 characters).
    pub(super) responsibility: Option<String>,
}

/// Input of `updateAccountTeamMember`: absent fields stay unchanged, `null`
/// clears.
#[derive(InputObject)]
pub struct UpdateAccountTeamMemberInput {
    /// The account.
    pub(super) account_id: ID,
    /// The member's user.
    pub(super) user_id: ID,
    /// New team role (cannot be null; the owner's role changes only with
    /// the account's `ownerId`).
    pub(super) role: MaybeUndefined<AccountTeamRole>,
    /// New responsibility.
    pub(super) responsibility: MaybeUndefined<String>,
}

/// Input of `removeAccountTeamMember`.
#[derive(InputObject)]
pub struct RemoveAccountTeamMemberInput {
    /// The account.
    pub(super) account_id: ID,
    /// The member's user (not the owner).
    pub(super) user_id: ID,
}

/// Result of adding or changing a team member.
#[derive(SimpleObject)]
pub struct AccountTeamMemberPayload {
    /// The member as it is now.
    pub(super) member: AccountTeamMember,
    /// The account (select `team` for the whole team).
    pub(super) account: Account,
}

/// Result of removing a team member.
#[derive(SimpleObject)]
pub struct RemoveAccountTeamMemberPayload {
    /// The id of the user who left the team.
    pub(super) removed_user_id: ID,
    /// The account (select `team` for the team as it is now).
    pub(super) account: Account,
}
