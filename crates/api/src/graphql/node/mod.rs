//! Global object identification (Relay): the `Node` interface and
//! `node(id:)`.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::ids::Kind;
use crate::graphql::contact::Contact;
use crate::graphql::user::{Tenant, User};
use crate::graphql::{loaders, principal, state};
use async_graphql::{Context, ID, Interface, Object, Result};

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
    Contract(super::contract::Contract),
    GrowthTarget(super::plan::GrowthTarget),
    PlanReview(super::plan::PlanReview),
    Contingency(super::plan::Contingency),
    Assessment(super::actions::Assessment),
    Occurrence(super::actions::Occurrence),
    Tenant(Tenant),
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
            // Influence links are not nodes: they live on the contact map.
            (Kind::ContactInfluence, _) => None,
            // Opportunities are read through their account.
            (Kind::Opportunity, _) => None,
            // Insights are read through their account.
            (Kind::Insight, _) => None,
            // Competitors are read through their account.
            (Kind::Competitor, _) => None,
            // Success criteria and the value chain are read through their account.
            (Kind::SuccessCriterion | Kind::ValueChainLink, _) => None,
            // Signals are read through their account or contact.
            (Kind::Signal, _) => None,
            // Alerts are read through `alerts` and their account.
            (Kind::Alert, _) => None,
            (Kind::Contract, uuid) => l
                .contract(uuid)
                .await?
                .map(|c| Node::Contract(super::contract::Contract(c))),
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
