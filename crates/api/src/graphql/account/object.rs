//! The `Account` object and its field resolvers.

use crate::error::ApiError;
use crate::graphql::activity::{ActivityConnection, account_activities};
use crate::graphql::common::enums::{AccountStatus, Tier};
use crate::graphql::common::filters::CONTACT_ORDER;
use crate::graphql::common::ids::{Kind, encode};
use crate::graphql::common::pagination::page_args;
use crate::graphql::common::values::{ExternalRef, Money, external, money};
use crate::graphql::contact::{ContactConnection, contact_connection};
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::loaders;
use crate::graphql::plan::{PlanConnection, account_plans};
use crate::graphql::user::User;
use crate::graphql::whitespace::WhiteSpace;
use crate::loaders::Row;
use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use persistence::entity::account;

/// A customer account.
#[derive(Clone)]
pub struct Account(pub Row<account::Model>);

/// Accounts, in the requested order.
pub type AccountConnection = Connection<String, Account, TotalCount>;

/// A customer account.
#[Object]
impl Account {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::Account, self.0.id)
    }
    /// The customer's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Industry.
    async fn industry(&self) -> Option<&str> {
        self.0.industry.as_deref()
    }
    /// Web site (http or https URL).
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// Region or territory.
    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    /// Lifecycle status.
    async fn status(&self) -> AccountStatus {
        AccountStatus::from_db(&self.0.status)
    }
    /// Segmentation tier.
    async fn tier(&self) -> Tier {
        Tier::from_db(&self.0.tier)
    }
    /// The owner's id (no lookup; select `owner` for the user).
    async fn owner_id(&self) -> ID {
        encode(Kind::User, self.0.owner_id)
    }
    /// The user who owns the account.
    async fn owner(&self, ctx: &Context<'_>) -> Result<User> {
        let u = loaders(ctx)?
            .user(self.0.owner_id)
            .await?
            .ok_or_else(|| ApiError::Internal("account owner missing".into()))?;
        Ok(User(u))
    }
    /// Annual revenue with us.
    async fn annual_revenue(&self) -> Option<Money> {
        money(self.0.annual_revenue_minor, &self.0.annual_revenue_currency)
    }
    /// Estimate of the customer's total spend in our category (the wallet).
    async fn wallet_estimate(&self) -> Option<Money> {
        money(
            self.0.wallet_estimate_minor,
            &self.0.wallet_estimate_currency,
        )
    }
    /// The same account in another system.
    async fn external_ref(&self) -> Option<ExternalRef> {
        external(&self.0.source, &self.0.external_id)
    }
    /// Whether the account is archived (hidden from lists unless asked for).
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    /// When it was archived.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the account last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
    /// The account's contacts, in name order. Batched: a page of accounts
    /// loads all their contacts in one statement.
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n contacts (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns contacts after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n contacts (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns contacts before this cursor.")] before: Option<String>,
    ) -> Result<ContactConnection> {
        let args = page_args(
            CONTACT_ORDER,
            first,
            after.as_deref(),
            last,
            before.as_deref(),
        )?;
        let page = loaders(ctx)?.account_contacts(self.0.id, args).await?;
        Ok(contact_connection(
            &page.rows,
            page.has_previous,
            page.has_next,
            CountOf::AccountContacts(self.0.id),
        ))
    }
    /// The account's plans, newest period first. Batched like contacts.
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    async fn plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n plans (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns plans after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n plans (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns plans before this cursor.")] before: Option<String>,
    ) -> Result<PlanConnection> {
        account_plans(ctx, self.0.id, first, after, last, before).await
    }
    /// Activities logged on the account, newest first. Batched like contacts.
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n activities (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns activities after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n activities (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns activities before this cursor.")] before: Option<String>,
    ) -> Result<ActivityConnection> {
        account_activities(ctx, self.0.id, first, after, last, before).await
    }
    /// The white space: the account's business units × the catalogue's
    /// products, the cells set so far and their totals. Batched: a page of
    /// accounts costs one statement per part asked for.
    async fn white_space(&self) -> WhiteSpace {
        WhiteSpace {
            account_id: self.0.id,
        }
    }
}
