//! The `AccountTeamMember` object.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::enums::AccountTeamRole;
use crate::graphql::common::ids::{GlobalId, Kind};
use crate::graphql::common::object::object;
use crate::graphql::loaders;
use crate::graphql::user::User;
use crate::loaders::Row;
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};
use persistence::entity::account_team_member as member;

/// A user of ours on an account's team, in a team role.
#[derive(Clone)]
pub struct AccountTeamMember(pub Row<member::Model>);

object! {
    /// A user of ours on an account's team, in a team role. Identified by
    /// the account and the user (a user is on a team once).
    #[Object]
    impl AccountTeamMember(member::Model) fields team_member_fields {
        /// The account's id (no lookup; select `account` for the account).
        leaf "accountId" account_id(m) -> GlobalId {
            GlobalId(Kind::Account, m.account_id)
        }
        /// The account whose team this is.
        async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
            let a = loaders(ctx)?
                .account(self.0.account_id)
                .await?
                .ok_or_else(|| ApiError::not_found("account"))?;
            Ok(Account(a))
        }
        /// The user's id (no lookup; select `user` for the user).
        leaf "userId" user_id(m) -> GlobalId {
            GlobalId(Kind::User, m.user_id)
        }
        /// The user on the team.
        async fn user(&self, ctx: &Context<'_>) -> Result<User> {
            let u = loaders(ctx)?
                .user(self.0.user_id)
                .await?
                .ok_or_else(|| ApiError::Internal("team member's user missing".into()))?;
            Ok(User(u))
        }
        /// The member's part on the team.
        leaf "role" role(m) -> AccountTeamRole {
            AccountTeamRole::from_db(&m.role)
        }
        /// What the member is responsible for on this account.
        leaf "responsibility" responsibility(m) -> Option<&str> {
            m.responsibility.as_deref()
        }
        /// When the member joined the team (for the owner: when the role
        /// last moved).
        leaf "createdAt" created_at(m) -> DateTime<Utc> {
            m.created_at
        }
        /// When the membership last changed.
        leaf "updatedAt" updated_at(m) -> DateTime<Utc> {
            m.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(m) -> i64 {
            m.version
        }
    }
}
