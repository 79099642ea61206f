//! The `Account` object and its field resolvers.

use crate::error::ApiError;
use crate::graphql::activity::{ActivityConnection, ActivityFilterInput, activity_connection};
use crate::graphql::common::dates::SupportedDate;
use crate::graphql::common::enums::{AccountStatus, HistoryInterval, Tier, Trajectory};
use crate::graphql::common::filters::{CHILD_ACCOUNT_ORDER, CONTACT_ORDER};
use crate::graphql::common::ids::{GlobalId, Kind};
use crate::graphql::common::object::object;
use crate::graphql::common::pagination::{encode_cursor, page_args};
use crate::graphql::common::values::{ExternalRef, Money, external, money};
use crate::graphql::contact::{ContactConnection, contact_connection};
use crate::graphql::contact_map::ContactMap;
use crate::graphql::contract::Contract;
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::coverage::Coverage;
use crate::graphql::evidence::{SignalConnection, SignalFilterInput, signal_connection};
use crate::graphql::health::{
    AccountHealth, HealthPoint, RelationshipShare, health_history, revenue_share,
};
use crate::graphql::loaders;
use crate::graphql::opportunity::{Opportunity, PipelineTotal, pipeline_of};
use crate::graphql::pareto::RevenueRanking;
use crate::graphql::plan::{PlanConnection, account_plans};
use crate::graphql::profile::{
    AccountInsight, AccountProfile, goals_of, needs_of, swot_of, trends_of,
};
use crate::graphql::team::AccountTeamMember;
use crate::graphql::user::User;
use crate::graphql::whitespace::WhiteSpace;
use crate::loaders::Row;
use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use persistence::entity::account;
use persistence::repo::page::Position;
use persistence::repo::signals::SignalsOf;

/// A customer account.
#[derive(Clone)]
pub struct Account(pub Row<account::Model>);

/// Accounts, in the requested order.
pub type AccountConnection = Connection<String, Account, TotalCount>;

object! {
    /// A customer account.
    #[Object]
    impl Account(account::Model) fields account_fields {
        /// The global id.
        pub(crate) leaf "id" id(a) -> GlobalId {
            GlobalId(Kind::Account, a.id)
        }
        /// The customer's name.
        leaf "name" name(a) -> &str {
            &a.name
        }
        /// Industry.
        leaf "industry" industry(a) -> Option<&str> {
            a.industry.as_deref()
        }
        /// Web site (http or https URL).
        leaf "website" website(a) -> Option<&str> {
            a.website.as_deref()
        }
        /// Region or territory.
        leaf "region" region(a) -> Option<&str> {
            a.region.as_deref()
        }
        /// Lifecycle status.
        leaf "status" status(a) -> AccountStatus {
            AccountStatus::from_db(&a.status)
        }
        /// Segmentation tier.
        leaf "tier" tier(a) -> Tier {
            Tier::from_db(&a.tier)
        }
        /// The owner's id (no lookup; select `owner` for the user).
        leaf "ownerId" owner_id(a) -> GlobalId {
            GlobalId(Kind::User, a.owner_id)
        }
        /// The user who owns the account.
        async fn owner(&self, ctx: &Context<'_>) -> Result<User> {
            let u = loaders(ctx)?
                .user(self.0.owner_id)
                .await?
                .ok_or_else(|| ApiError::Internal("account owner missing".into()))?;
            Ok(User(u))
        }
        /// The parent account's id (no lookup; `null` for a root).
        leaf "parentId" parent_id(a) -> Option<GlobalId> {
            a.parent_id.map(|p| GlobalId(Kind::Account, p))
        }
        /// The parent account (the global account over this subsidiary), or
        /// `null` for a root.
        async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Account>> {
            let Some(p) = self.0.parent_id else {
                return Ok(None);
            };
            Ok(loaders(ctx)?.account(p).await?.map(Account))
        }
        /// The live subsidiaries directly below this account (archived ones
        /// too), by name. Batched: a page of accounts loads every list in one
        /// statement.
        #[graphql(
            complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
        )]
        async fn children(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Returns the first n subsidiaries (at most 100).")] first: Option<i32>,
            #[graphql(desc = "Returns subsidiaries after this cursor.")] after: Option<String>,
            #[graphql(desc = "Returns the last n subsidiaries (at most 100).")] last: Option<i32>,
            #[graphql(desc = "Returns subsidiaries before this cursor.")] before: Option<String>,
        ) -> Result<AccountConnection> {
            let args = page_args(
                CHILD_ACCOUNT_ORDER,
                first,
                after.as_deref(),
                last,
                before.as_deref(),
            )?;
            let page = loaders(ctx)?.account_children(self.0.id, args).await?;
            Ok(children_connection(&page.rows, page.has_previous, page.has_next, self.0.id))
        }
        /// The chain of parents above this account: its parent first, the
        /// root (the global account) last; empty for a root.
        async fn ancestors(&self, ctx: &Context<'_>) -> Result<Vec<Account>> {
            let l = loaders(ctx)?;
            let ids = l.account_ancestors(self.0.id).await?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids.iter() {
                if let Some(a) = l.account(*id).await? {
                    out.push(Account(a));
                }
            }
            Ok(out)
        }
        /// The customer's strategic profile (mission, vision, values,
        /// positioning, buying process); null until first written with
        /// `updateAccountProfile`. Batched.
        async fn profile(&self, ctx: &Context<'_>) -> Result<Option<AccountProfile>> {
            Ok(loaders(ctx)?
                .account_profile(self.0.id)
                .await?
                .map(AccountProfile))
        }
        /// The customer's figures per fiscal year, newest first, each with
        /// its growth against the year before. Batched.
        async fn financials(
            &self,
            ctx: &Context<'_>,
        ) -> Result<Vec<crate::graphql::financials::FinancialYear>> {
            let rows = loaders(ctx)?.account_financials(self.0.id).await?;
            let rows: Vec<_> = rows.iter().map(|r| &**r).collect();
            Ok(crate::services::financials::years_of(&rows))
        }
        /// Where the customer's revenue is heading, from the latest fiscal
        /// year and up to two consecutive years before it in the same
        /// currency (compound growth of +3% a year or more: GROWING, -3% or
        /// less: DECLINING, else STATIC); null with fewer than two such years.
        async fn trajectory(&self, ctx: &Context<'_>) -> Result<Option<Trajectory>> {
            let rows = loaders(ctx)?.account_financials(self.0.id).await?;
            let rows: Vec<_> = rows.iter().map(|r| &**r).collect();
            Ok(crate::services::financials::trajectory_of(&rows).map(Into::into))
        }
        /// The customer's own success criteria, by due date (those without
        /// one last). Batched.
        async fn success_criteria(
            &self,
            ctx: &Context<'_>,
        ) -> Result<Vec<crate::graphql::success::SuccessCriterion>> {
            let rows = loaders(ctx)?.account_criteria(self.0.id).await?;
            Ok(rows
                .iter()
                .cloned()
                .map(crate::graphql::success::SuccessCriterion)
                .collect())
        }
        /// The value chain: our products tied to the customer's business
        /// outcomes, as recorded. Batched.
        async fn value_chain(
            &self,
            ctx: &Context<'_>,
        ) -> Result<Vec<crate::graphql::success::ValueChainLink>> {
            let rows = loaders(ctx)?.account_value_chain(self.0.id).await?;
            Ok(rows
                .iter()
                .cloned()
                .map(crate::graphql::success::ValueChainLink)
                .collect())
        }
        /// The competitors present in the account, by name. Batched.
        async fn competitors(
            &self,
            ctx: &Context<'_>,
        ) -> Result<Vec<crate::graphql::financials::Competitor>> {
            let rows = loaders(ctx)?.account_competitors(self.0.id).await?;
            Ok(rows
                .iter()
                .cloned()
                .map(crate::graphql::financials::Competitor)
                .collect())
        }
        /// The customer's goals and initiatives: goals first, then as
        /// recorded. Batched: the four insight lists of a page of accounts
        /// cost one statement.
        async fn goals(&self, ctx: &Context<'_>) -> Result<Vec<AccountInsight>> {
            insights(ctx, self.0.id, goals_of).await
        }
        /// Trends in the customer's industry, as recorded.
        async fn industry_trends(&self, ctx: &Context<'_>) -> Result<Vec<AccountInsight>> {
            insights(ctx, self.0.id, trends_of).await
        }
        /// The customer's needs and pains, most pressing first.
        async fn needs(&self, ctx: &Context<'_>) -> Result<Vec<AccountInsight>> {
            insights(ctx, self.0.id, needs_of).await
        }
        /// The customer's SWOT: strengths, weaknesses, opportunities, threats.
        async fn swot(&self, ctx: &Context<'_>) -> Result<Vec<AccountInsight>> {
            insights(ctx, self.0.id, swot_of).await
        }
        /// The account's rank among the tenant's accounts by annual revenue
        /// converted to the default currency (1 = largest; ties share a
        /// rank). Null when the account is not ranked: archived, no revenue,
        /// or no exchange rate for its currency (`revenueRanking` says
        /// which). Batched: a page of accounts is ranked in one statement.
        async fn revenue_rank(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
            Ok(ranking(ctx, self.0.id).await?.rank)
        }
        /// Whether the account is in the top 20% by converted annual revenue
        /// (rank at most ceil(ranked accounts / 5); ties at that rank all
        /// in). False when not ranked.
        async fn is_top_twenty_percent(&self, ctx: &Context<'_>) -> Result<bool> {
            Ok(ranking(ctx, self.0.id).await?.top)
        }
        /// The account's place in the revenue ranking, with the converted
        /// revenue and, when unranked, the reason.
        async fn revenue_ranking(&self, ctx: &Context<'_>) -> Result<RevenueRanking> {
            Ok(RevenueRanking(ranking(ctx, self.0.id).await?))
        }
        /// Annual revenue summed over this account and every live subsidiary
        /// below it, per currency (by currency code; empty when none has
        /// revenue). Currencies are not converted.
        async fn subtree_revenue(&self, ctx: &Context<'_>) -> Result<Vec<Money>> {
            let rows = loaders(ctx)?.account_subtree_revenue(self.0.id).await?;
            Ok(subtree_revenue(&rows.iter().collect::<Vec<_>>()))
        }
        /// The account's opportunities (closed ones too), by expected close.
        /// Batched: a page of accounts loads every list in one statement.
        async fn opportunities(&self, ctx: &Context<'_>) -> Result<Vec<Opportunity>> {
            let rows = loaders(ctx)?.account_opportunities(self.0.id).await?;
            Ok(rows.iter().cloned().map(Opportunity).collect())
        }
        /// The open pipeline per currency (by currency code): the value of
        /// the opportunities not closed, also weighted by probability.
        /// Currencies are not converted.
        async fn pipeline(&self, ctx: &Context<'_>) -> Result<Vec<PipelineTotal>> {
            let rows = loaders(ctx)?.account_opportunities(self.0.id).await?;
            Ok(pipeline_of(&rows.iter().map(|r| &**r).collect::<Vec<_>>()))
        }
        /// The key contact map: every contact (departed ones too) and the
        /// lines between them (reporting lines, influence links), with
        /// Mermaid and DOT renderings. A graph, not a connection. Batched: a
        /// page of accounts loads every map in two statements.
        async fn contact_map(&self, ctx: &Context<'_>) -> Result<ContactMap> {
            let m = loaders(ctx)?
                .account_contact_map(self.0.id)
                .await?
                .ok_or_else(|| ApiError::Internal("contact map not read".into()))?;
            Ok(ContactMap(m))
        }
        /// How well the account's buying centre is covered: gaps (each with
        /// the contacts concerned and an explanation) and a score. Batched:
        /// a page of accounts is assessed in three statements.
        async fn coverage(&self, ctx: &Context<'_>) -> Result<Coverage> {
            let c = loaders(ctx)?
                .account_coverage(self.0.id)
                .await?
                .ok_or_else(|| ApiError::Internal("coverage not assessed".into()))?;
            Ok(Coverage(c))
        }
        /// The account's contracts: by renewal date (those without one
        /// last), then start date. Batched: a page of accounts loads every
        /// list in one statement.
        async fn contracts(&self, ctx: &Context<'_>) -> Result<Vec<Contract>> {
            let rows = loaders(ctx)?.account_contracts(self.0.id).await?;
            Ok(rows.iter().cloned().map(Contract).collect())
        }
        /// The account's team: the owner first, then by team role, then by
        /// when each member joined. Batched: a page of accounts loads every
        /// team in one statement.
        async fn team(&self, ctx: &Context<'_>) -> Result<Vec<AccountTeamMember>> {
            let rows = loaders(ctx)?.account_team(self.0.id).await?;
            Ok(rows.iter().cloned().map(AccountTeamMember).collect())
        }
        /// Annual revenue with us.
        value "annualRevenue" annual_revenue(a) [annual_revenue_minor, annual_revenue_currency] -> Option<Money> {
            money(a.annual_revenue_minor, &a.annual_revenue_currency)
        }
        /// Estimate of the customer's total spend in our category (the wallet).
        value "walletEstimate" wallet_estimate(a) [wallet_estimate_minor, wallet_estimate_currency] -> Option<Money> {
            money(a.wallet_estimate_minor, &a.wallet_estimate_currency)
        }
        /// The same account in another system.
        value "externalRef" external_ref(a) [source, external_id] -> Option<ExternalRef> {
            external(&a.source, &a.external_id)
        }
        /// Whether the account is archived (hidden from lists unless asked for).
        leaf "archived" archived(a) [archived_at] -> bool {
            a.archived_at.is_some()
        }
        /// When it was archived.
        leaf "archivedAt" archived_at(a) -> Option<DateTime<Utc>> {
            a.archived_at
        }
        /// When the account was created.
        leaf "createdAt" created_at(a) -> DateTime<Utc> {
            a.created_at
        }
        /// When the account last changed.
        leaf "updatedAt" updated_at(a) -> DateTime<Utc> {
            a.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(a) -> i64 {
            a.version
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
        /// Activities logged on the account, newest first, with a filter
        /// (kinds, period, a contact involved). Batched like contacts.
        #[graphql(
            complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
        )]
        #[allow(clippy::too_many_arguments)]
        async fn activities(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Which activities (all when absent).")] filter: Option<ActivityFilterInput>,
            #[graphql(desc = "Returns the first n activities (at most 100).")] first: Option<i32>,
            #[graphql(desc = "Returns activities after this cursor.")] after: Option<String>,
            #[graphql(desc = "Returns the last n activities (at most 100).")] last: Option<i32>,
            #[graphql(desc = "Returns activities before this cursor.")] before: Option<String>,
        ) -> Result<ActivityConnection> {
            activity_connection(ctx, false, self.0.id, filter, first, after, last, before).await
        }
        /// Evidence signals recorded for the account, newest first, with a
        /// filter. Batched like contacts.
        #[graphql(
            complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
        )]
        #[allow(clippy::too_many_arguments)]
        async fn signals(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Which signals (all when absent).")] filter: Option<SignalFilterInput>,
            #[graphql(desc = "Returns the first n signals (at most 100).")] first: Option<i32>,
            #[graphql(desc = "Returns signals after this cursor.")] after: Option<String>,
            #[graphql(desc = "Returns the last n signals (at most 100).")] last: Option<i32>,
            #[graphql(desc = "Returns signals before this cursor.")] before: Option<String>,
        ) -> Result<SignalConnection> {
            signal_connection(ctx, SignalsOf::Account, self.0.id, filter, first, after, last, before)
                .await
        }
        /// Return on time invested in the account over a period (default:
        /// the current fiscal year). Batched.
        async fn roti(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The period (default: the current fiscal year).")] period: Option<crate::graphql::roti::RotiPeriodInput>,
        ) -> Result<crate::graphql::roti::Roti> {
            let p = crate::graphql::roti::period(ctx, period).await?;
            Ok(crate::graphql::roti::Roti(loaders(ctx)?.roti(false, self.0.id, p).await?))
        }
        /// The account's jeopardy alerts, newest first (all statuses when
        /// none are given). Batched.
        async fn alerts(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Only these statuses.")] statuses: Option<Vec<crate::graphql::common::enums::AlertStatus>>,
        ) -> Result<Vec<crate::graphql::alerts::JeopardyAlert>> {
            crate::graphql::alerts::account_alerts(ctx, self.0.id, statuses).await
        }
        /// The account's health now, from its evidence signals: score,
        /// band, trend and drivers. Batched: a page of accounts costs three
        /// statements.
        async fn health(&self, ctx: &Context<'_>) -> Result<AccountHealth> {
            Ok(AccountHealth(loaders(ctx)?.account_health(self.0.id).await?))
        }
        /// Heart, mind and wallet share. Batched with `health`.
        async fn share(&self, ctx: &Context<'_>) -> Result<RelationshipShare> {
            Ok(RelationshipShare {
                health: loaders(ctx)?.account_health(self.0.id).await?,
                revenue_share: revenue_share(&self.0),
            })
        }
        /// The health score over time, for charts: one point per interval
        /// from `from` to `to` (at most 366 points), each the score at the
        /// end of that day from the evidence known then.
        async fn health_history(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The first day.", validator(custom = "SupportedDate"))] from: NaiveDate,
            #[graphql(desc = "The last day (inclusive).", validator(custom = "SupportedDate"))] to: NaiveDate,
            #[graphql(desc = "The step between points (default WEEK).")] interval: Option<
                HistoryInterval,
            >,
        ) -> Result<Vec<HealthPoint>> {
            let interval = interval.unwrap_or(HistoryInterval::Week);
            health_history(ctx, self.0.id, from, to, interval).await
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
}

/// The children connection of `parent`.
pub(crate) fn children_connection(
    rows: &[Row<account::Model>],
    has_previous: bool,
    has_next: bool,
    parent: uuid::Uuid,
) -> AccountConnection {
    let mut c = Connection::with_additional_fields(
        has_previous,
        has_next,
        TotalCount(CountOf::AccountChildren(parent)),
    );
    c.edges.extend(rows.iter().map(|r| {
        let cursor = encode_cursor(
            CHILD_ACCOUNT_ORDER,
            &Position {
                key: r.name_key.clone(),
                id: r.id,
            },
        );
        async_graphql::connection::Edge::new(cursor, Account(r.clone()))
    }));
    c
}

/// One of an account's insight lists, through the request's loaders.
async fn insights(
    ctx: &Context<'_>,
    account: uuid::Uuid,
    group: fn(
        &[&persistence::entity::account_insight::Model],
    ) -> Vec<persistence::entity::account_insight::Model>,
) -> Result<Vec<AccountInsight>> {
    let rows = loaders(ctx)?.account_insights(account).await?;
    let rows: Vec<_> = rows.iter().map(|r| &**r).collect();
    Ok(group(&rows)
        .into_iter()
        .map(|m| AccountInsight(std::sync::Arc::new(m)))
        .collect())
}

/// An account's ranking, through the request's loaders.
async fn ranking(
    ctx: &Context<'_>,
    account: uuid::Uuid,
) -> Result<std::sync::Arc<crate::services::pareto::Ranking>> {
    Ok(loaders(ctx)?
        .account_ranking(account)
        .await?
        .ok_or_else(|| ApiError::Internal("account not ranked".into()))?)
}

/// `subtreeRevenue` from one account's rows of `hierarchy::revenue_rollup`
/// (both paths compute it here).
pub(crate) fn subtree_revenue(rows: &[&crate::loaders::intel::Rollup]) -> Vec<Money> {
    rows.iter()
        .filter_map(|(_, currency, total, _)| money(Some(*total), &Some(currency.clone())))
        .collect()
}
