//! GraphQL object types. They wrap rows fetched by the repositories and
//! expose only the public fields; relations go through the request's loaders.

use super::common::enums::{AccountStatus, Attitude, BuyingRole, ContactStatus, Role, Tier};
use super::common::filters::CONTACT_ORDER;
use super::common::ids::{Kind, encode};
use super::common::pagination::{encode_cursor, page_args};
use super::common::values::{ExternalRef, Money, external, money};
use super::{loaders, principal, state};
use crate::error::ApiError;
use crate::loaders::Row;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Interface, Object, Result};
use chrono::{DateTime, Utc};
use persistence::entity::{account, contact, tenant, user};
use persistence::repo::page::Position;

/// An object with a global id, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The global id."))]
pub enum Node {
    Account(Account),
    Contact(Contact),
    User(User),
    Activity(super::activity::Activity),
    Plan(super::plan::Plan),
    Objective(super::plan::Objective),
    ActionItem(super::actions::ActionItem),
    Product(super::whitespace::Product),
    BusinessUnit(super::whitespace::BusinessUnit),
    WhiteSpaceCell(super::whitespace::WhiteSpaceCell),
    GrowthTarget(super::plan::GrowthTarget),
    PlanReview(super::plan::PlanReview),
    Contingency(super::plan::Contingency),
    Assessment(super::actions::Assessment),
    Occurrence(super::actions::Occurrence),
    Tenant(Tenant),
}

/// A supplier organisation using Steward.
pub struct Tenant(pub tenant::Model);

/// A supplier organisation using Steward.
#[Object]
impl Tenant {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::Tenant, self.0.tenant_id)
    }
    /// Short name used at login.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// IANA time zone of the tenant, e.g. `Europe/Berlin`.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }
    /// Month (1-12) in which the fiscal year starts.
    async fn fiscal_year_start_month(&self) -> i32 {
        self.0.fiscal_year_start_month
    }
    /// Default ISO 4217 currency.
    async fn default_currency(&self) -> &str {
        &self.0.default_currency
    }
}

/// A person of the supplier who uses Steward.
#[derive(Clone)]
pub struct User(pub Row<user::Model>);

/// A person of the supplier who uses Steward.
#[Object]
impl User {
    /// The global id.
    async fn id(&self) -> ID {
        encode(Kind::User, self.0.id)
    }
    /// E-mail address (the login name, unique in the tenant).
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Name shown to others.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// What the user may do.
    async fn role(&self) -> Role {
        Role::from_db(&self.0.role)
    }
    /// False once deactivated: the user can no longer sign in.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When the user was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A customer account.
#[derive(Clone)]
pub struct Account(pub Row<account::Model>);

/// Contacts of an account, in name order (last name, first name).
pub type ContactConnection = Connection<String, Contact, super::count::TotalCount>;

/// A customer account.
#[Object]
impl Account {
    /// The global id.
    async fn id(&self) -> ID {
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
            super::count::CountOf::AccountContacts(self.0.id),
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
    ) -> Result<super::plan::PlanConnection> {
        super::plan::account_plans(ctx, self.0.id, first, after, last, before).await
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
    ) -> Result<super::activity::ActivityConnection> {
        super::activity::account_activities(ctx, self.0.id, first, after, last, before).await
    }
    /// The white space: the account's business units × the catalogue's
    /// products, the cells set so far and their totals. Batched: a page of
    /// accounts costs one statement per part asked for.
    async fn white_space(&self) -> super::whitespace::WhiteSpace {
        super::whitespace::WhiteSpace {
            account_id: self.0.id,
        }
    }
}

pub fn contact_connection(
    rows: &[Row<contact::Model>],
    has_previous: bool,
    has_next: bool,
    count: super::count::CountOf,
) -> ContactConnection {
    let mut c =
        Connection::with_additional_fields(has_previous, has_next, super::count::TotalCount(count));
    c.edges.extend(rows.iter().map(|r| {
        let cursor = encode_cursor(
            CONTACT_ORDER,
            &Position {
                key: r.name_key.clone(),
                id: r.id,
            },
        );
        Edge::new(cursor, Contact(r.clone()))
    }));
    c
}

/// A person at a customer account.
#[derive(Clone)]
pub struct Contact(pub Row<contact::Model>);

/// A person at a customer account.
#[Object]
impl Contact {
    /// The global id.
    async fn id(&self) -> ID {
        encode(Kind::Contact, self.0.id)
    }
    /// The account's id (no lookup; select `account` for the account).
    async fn account_id(&self) -> ID {
        encode(Kind::Account, self.0.account_id)
    }
    /// The account the contact works at.
    async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
        let a = loaders(ctx)?
            .account(self.0.account_id)
            .await?
            .ok_or_else(|| ApiError::not_found("account"))?;
        Ok(Account(a))
    }
    /// First name ("Erased" after erasure).
    async fn first_name(&self) -> &str {
        &self.0.first_name
    }
    /// Last name ("Erased" after erasure).
    async fn last_name(&self) -> &str {
        &self.0.last_name
    }
    /// First and last name.
    async fn full_name(&self) -> String {
        format!("{} {}", self.0.first_name, self.0.last_name)
    }
    /// Job title.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// Department or business unit.
    async fn department(&self) -> Option<&str> {
        self.0.department.as_deref()
    }
    /// E-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// Telephone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Whether the contact is still at the customer.
    async fn status(&self) -> ContactStatus {
        ContactStatus::from_db(&self.0.status)
    }
    /// Part played in buying decisions.
    async fn buying_role(&self) -> Option<BuyingRole> {
        self.0.buying_role.as_deref().map(BuyingRole::from_db)
    }
    /// Weight in decisions, 1 (little) to 5 (decisive).
    async fn influence(&self) -> Option<i32> {
        self.0.influence.map(i32::from)
    }
    /// Attitude towards us.
    async fn attitude(&self) -> Option<Attitude> {
        self.0.attitude.as_deref().map(Attitude::from_db)
    }
    /// The id of the contact this one reports to (no lookup).
    async fn reports_to_id(&self) -> Option<ID> {
        self.0.reports_to_id.map(|id| encode(Kind::Contact, id))
    }
    /// The contact this one reports to (same account).
    async fn reports_to(&self, ctx: &Context<'_>) -> Result<Option<Contact>> {
        match self.0.reports_to_id {
            None => Ok(None),
            Some(id) => Ok(loaders(ctx)?.contact(id).await?.map(Contact)),
        }
    }
    /// The contacts who report to this one, in name order.
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn direct_reports(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        let rows = loaders(ctx)?.direct_reports(self.0.id).await?;
        Ok(rows.iter().cloned().map(Contact).collect())
    }
    /// The id of the user who owns the relationship (no lookup).
    async fn relationship_owner_id(&self) -> Option<ID> {
        self.0
            .relationship_owner_id
            .map(|id| encode(Kind::User, id))
    }
    /// The user who owns the relationship with this contact.
    async fn relationship_owner(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        match self.0.relationship_owner_id {
            None => Ok(None),
            Some(id) => Ok(loaders(ctx)?.user(id).await?.map(User)),
        }
    }
    /// The same contact in another system.
    async fn external_ref(&self) -> Option<ExternalRef> {
        external(&self.0.source, &self.0.external_id)
    }
    /// Whether the personal data was erased.
    async fn erased(&self) -> bool {
        self.0.erased_at.is_some()
    }
    /// When the contact was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the contact last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// The signed-in caller.
pub struct Viewer {
    pub user: User,
}

/// The signed-in caller.
#[Object]
impl Viewer {
    /// The signed-in user.
    async fn user(&self) -> &User {
        &self.user
    }
    /// The caller's tenant.
    async fn tenant(&self, ctx: &Context<'_>) -> Result<Tenant> {
        let p = principal(ctx)?;
        let t = persistence::repo::tenants::get(state(ctx)?.db.read(), p.tenant_id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::not_found("tenant"))?;
        Ok(Tenant(t))
    }
    /// Your agenda: occurrences of the OPEN action items assigned to you,
    /// across accounts, due between `from` and `to` (both included, at most
    /// 366 days apart), by due date. An occurrence is overdue when its day
    /// is past (in the tenant's time zone) and it has no assessment.
    #[graphql(complexity = "crate::limits::window_size(from, to) * child_complexity + 1")]
    async fn agenda(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The first day of the window (include past days to see what is overdue).",
            validator(custom = "crate::graphql::common::dates::SupportedDate")
        )]
        from: chrono::NaiveDate,
        #[graphql(
            desc = "The last day of the window.",
            validator(custom = "crate::graphql::common::dates::SupportedDate")
        )]
        to: chrono::NaiveDate,
    ) -> Result<Vec<super::actions::Occurrence>> {
        super::actions::agenda(ctx, from, to).await
    }
}

#[derive(Default)]
pub struct NodeQuery;

/// Global object identification (Relay).
#[Object]
impl NodeQuery {
    /// Any object by its global id. An id that does not resolve in your
    /// tenant (missing, deleted, or another tenant's) is `NOT_FOUND`; a
    /// malformed one is `VALIDATION` on `id`, as on `account(id:)` and the
    /// other lookups.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> Result<Option<Node>> {
        let l = loaders(ctx)?;
        if let Some((item, due)) = super::common::ids::decode_occurrence(id.as_str()) {
            let found = super::actions::occurrence(ctx, item, due).await?;
            return Ok(Some(Node::Occurrence(
                found.ok_or_else(|| ApiError::not_found("node"))?,
            )));
        }
        let Some(decoded) = super::common::ids::decode_any(id.as_str()) else {
            return Err(ApiError::validation("id", "is not a valid id").into());
        };
        let found = match decoded {
            (Kind::Account, uuid) => l.account(uuid).await?.map(|a| Node::Account(Account(a))),
            (Kind::Contact, uuid) => l.contact(uuid).await?.map(|c| Node::Contact(Contact(c))),
            (Kind::User, uuid) => l.user(uuid).await?.map(|u| Node::User(User(u))),
            (Kind::Plan, uuid) => l
                .plan(uuid)
                .await?
                .map(|p| Node::Plan(super::plan::Plan(p))),
            (Kind::Objective, uuid) => l
                .objective(uuid)
                .await?
                .map(|o| Node::Objective(super::plan::Objective(o))),
            (Kind::ActionItem, uuid) => l
                .action_item(uuid)
                .await?
                .map(|i| Node::ActionItem(super::actions::ActionItem(i))),
            (Kind::Activity, uuid) => l
                .activity(uuid)
                .await?
                .map(|a| Node::Activity(super::activity::Activity(a))),
            (Kind::Product, uuid) => l
                .white_space()
                .catalogue()
                .await?
                .get(uuid)
                .map(|p| Node::Product(super::whitespace::Product(p))),
            (Kind::BusinessUnit, uuid) => l
                .white_space()
                .unit(uuid)
                .await?
                .map(|u| Node::BusinessUnit(super::whitespace::BusinessUnit(u))),
            (Kind::WhiteSpaceCell, uuid) => l
                .white_space()
                .cell(uuid)
                .await?
                .map(|c| Node::WhiteSpaceCell(super::whitespace::WhiteSpaceCell(c))),
            (Kind::GrowthTarget, uuid) => l
                .growth_target(uuid)
                .await?
                .map(|g| Node::GrowthTarget(super::plan::GrowthTarget(g))),
            (Kind::PlanReview, uuid) => l
                .review(uuid)
                .await?
                .map(|r| Node::PlanReview(super::plan::PlanReview(r))),
            (Kind::Contingency, uuid) => l
                .contingency(uuid)
                .await?
                .map(|c| Node::Contingency(super::plan::Contingency(c))),
            (Kind::Assessment, uuid) => l
                .assessment(uuid)
                .await?
                .map(|a| Node::Assessment(super::actions::Assessment(a))),
            // Only the caller's own tenant.
            (Kind::Tenant, uuid) if uuid == principal(ctx)?.tenant_id.0 => {
                persistence::repo::tenants::get(state(ctx)?.db.read(), domain::TenantId(uuid))
                    .await
                    .map_err(ApiError::from)?
                    .map(|t| Node::Tenant(Tenant(t)))
            }
            (Kind::Tenant, _) => None,
        };
        Ok(Some(found.ok_or_else(|| ApiError::not_found("node"))?))
    }
}
