//! The plan objects (`Plan`, `GrowthTarget`, `GrowthRollup`, `PlanReview`,
//! `Contingency`), their field resolvers, and the plan connection (`plans`,
//! `account.plans`); objectives are in `objective.rs`.

use super::objective::Objective;
use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::actions::{ActionItem, plan_action_items};
use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::{GrowthKind, PlanStatus, ReviewOutcome, plan_status_of};
use crate::graphql::common::filters::{PLAN_ORDER, check_cursor_dates};
use crate::graphql::common::ids::{GlobalId, Kind};
use crate::graphql::common::object::object;
use crate::graphql::common::pagination::{encode_cursor, page_args};
use crate::graphql::common::values::Money;
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::loaders;
use crate::graphql::user::User;
use crate::loaders::Row;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use persistence::entity::{account_plan, contingency, growth_target, plan_review};
use persistence::repo::page::Position;
use persistence::repo::plans::cursor_key;
use rust_decimal::Decimal;
use uuid::Uuid;

/// A written plan for one account and period.
#[derive(Clone)]
pub struct Plan(pub Row<account_plan::Model>);

object! {
    /// A written plan for one account and period.
    #[Object]
    impl Plan(account_plan::Model) fields plan_fields {
        /// The global id.
        pub(crate) leaf "id" id(p) -> GlobalId {
            GlobalId(Kind::Plan, p.id)
        }
        /// The account the plan is for.
        async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
            Ok(Account(
                loaders(ctx)?
                    .account(self.0.account_id)
                    .await?
                    .ok_or_else(|| ApiError::not_found("account"))?,
            ))
        }
        /// Title.
        leaf "title" title(p) -> &str {
            &p.title
        }
        /// Summary of the strategy.
        leaf "strategySummary" strategy_summary(p) -> Option<&str> {
            p.strategy_summary.as_deref()
        }
        /// First day of the period.
        leaf "periodStart" period_start(p) -> NaiveDate {
            p.period_start
        }
        /// Last day of the period.
        leaf "periodEnd" period_end(p) -> NaiveDate {
            p.period_end
        }
        /// Lifecycle status.
        leaf "status" status(p) -> PlanStatus {
            plan_status_of(&p.status)
        }
        /// The plan's owner.
        async fn owner(&self, ctx: &Context<'_>) -> Result<User> {
            Ok(User(
                loaders(ctx)?
                    .user(self.0.owner_id)
                    .await?
                    .ok_or_else(|| ApiError::not_found("user"))?,
            ))
        }
        /// SMART objectives, by due date.
        #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
        async fn objectives(&self, ctx: &Context<'_>) -> Result<Vec<Objective>> {
            Ok(loaders(ctx)?
                .plan_objectives(self.0.id)
                .await?
                .iter()
                .cloned()
                .map(Objective)
                .collect())
        }
        /// Revenue or margin targets per period and product line.
        #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
        async fn growth_targets(&self, ctx: &Context<'_>) -> Result<Vec<GrowthTarget>> {
            Ok(loaders(ctx)?
                .plan_growth(self.0.id)
                .await?
                .iter()
                .cloned()
                .map(GrowthTarget)
                .collect())
        }
        /// The growth targets rolled up per kind and currency.
        #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
        async fn growth(&self, ctx: &Context<'_>) -> Result<Vec<GrowthRollup>> {
            Ok(growth_of(loaders(ctx)?.plan_growth(self.0.id).await?.iter().map(|t| &**t)))
        }
        /// Reviews, newest first.
        #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
        async fn reviews(&self, ctx: &Context<'_>) -> Result<Vec<PlanReview>> {
            Ok(loaders(ctx)?
                .plan_reviews(self.0.id)
                .await?
                .iter()
                .cloned()
                .map(PlanReview)
                .collect())
        }
        /// Contingencies for unexpected problems.
        #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
        async fn contingencies(&self, ctx: &Context<'_>) -> Result<Vec<Contingency>> {
            Ok(loaders(ctx)?
                .plan_contingencies(self.0.id)
                .await?
                .iter()
                .cloned()
                .map(Contingency)
                .collect())
        }
        /// Action items (calls, visits, QBRs, executive meetings), by first due
        /// date. Batched: a page of plans loads all their items in one statement.
        #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
        async fn action_items(&self, ctx: &Context<'_>) -> Result<Vec<ActionItem>> {
            plan_action_items(ctx, self.0.id).await
        }
        /// When the plan was created.
        leaf "createdAt" created_at(p) -> DateTime<Utc> {
            p.created_at
        }
        /// When the plan last changed.
        leaf "updatedAt" updated_at(p) -> DateTime<Utc> {
            p.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(p) -> i64 {
            p.version
        }
    }
}

/// A revenue or margin target for a period and product line.
#[derive(Clone)]
pub struct GrowthTarget(pub(crate) Row<growth_target::Model>);

object! {
    /// A revenue or margin target for a period and product line.
    #[Object]
    impl GrowthTarget(growth_target::Model) fields growth_target_fields {
        /// The global id.
        pub(crate) leaf "id" id(g) -> GlobalId {
            GlobalId(Kind::GrowthTarget, g.id)
        }
        /// Revenue or margin.
        leaf "kind" kind(g) -> GrowthKind {
            GrowthKind::from_db(&g.kind)
        }
        /// Our product line or service.
        leaf "productLine" product_line(g) -> &str {
            &g.product_line
        }
        /// First day of the period.
        leaf "periodStart" period_start(g) -> NaiveDate {
            g.period_start
        }
        /// Last day of the period.
        leaf "periodEnd" period_end(g) -> NaiveDate {
            g.period_end
        }
        /// The target.
        value "target" target(g) -> Money {
            Money {
                amount: Dec(domain::text::currency_scaled(
                    Decimal::new(g.target_minor, 4),
                    &g.currency,
                )),
                currency: g.currency.clone(),
            }
        }
        /// The actual value so far.
        value "actual" actual(g) -> Option<Money> {
            g.actual_minor.map(|a| Money {
                amount: Dec(domain::text::currency_scaled(
                    Decimal::new(a, 4),
                    &g.currency,
                )),
                currency: g.currency.clone(),
            })
        }
        /// Actual minus target (null without an actual).
        value "variance" variance(g) -> Option<Money> {
            g.actual_minor.map(|a| Money {
                amount: Dec(domain::text::currency_scaled(
                    Decimal::new(a - g.target_minor, 4),
                    &g.currency,
                )),
                currency: g.currency.clone(),
            })
        }
    }
}

/// Growth targets of a plan summed per kind and currency.
pub struct GrowthRollup {
    kind: GrowthKind,
    currency: String,
    target: Dec,
    actual: Dec,
    variance: Dec,
}

object! {
    /// Growth targets of a plan summed per kind and currency.
    #[Object]
    impl GrowthRollup(self) fields growth_rollup_fields {
        /// Revenue or margin.
        leaf "kind" kind(r) -> GrowthKind {
            r.kind
        }
        /// ISO 4217 currency.
        leaf "currency" currency(r) -> &str {
            &r.currency
        }
        /// Sum of the targets.
        leaf "target" target(r) -> Dec {
            r.target
        }
        /// Sum of the actuals.
        leaf "actual" actual(r) -> Dec {
            r.actual
        }
        /// Actual minus target.
        leaf "variance" variance(r) -> Dec {
            r.variance
        }
    }
}

/// A plan's growth targets rolled up per kind and currency, in first-seen
/// order (`Plan.growth`, on both read paths).
pub(crate) fn growth_of<'a>(
    targets: impl IntoIterator<Item = &'a growth_target::Model>,
) -> Vec<GrowthRollup> {
    // (kind, currency, target, actual), in first-seen order.
    let mut sums: Vec<(GrowthKind, String, Decimal, Decimal)> = Vec::new();
    for t in targets {
        let kind = GrowthKind::from_db(&t.kind);
        let i = match sums.iter().position(|r| r.0 == kind && r.1 == t.currency) {
            Some(i) => i,
            None => {
                sums.push((kind, t.currency.clone(), Decimal::ZERO, Decimal::ZERO));
                sums.len() - 1
            }
        };
        sums[i].2 += Decimal::new(t.target_minor, 4);
        sums[i].3 += Decimal::new(t.actual_minor.unwrap_or(0), 4);
    }
    use domain::text::currency_scaled;
    sums.into_iter()
        .map(|(kind, currency, target, actual)| GrowthRollup {
            kind,
            variance: Dec(currency_scaled(actual - target, &currency)),
            target: Dec(currency_scaled(target, &currency)),
            actual: Dec(currency_scaled(actual, &currency)),
            currency,
        })
        .collect()
}

/// A dated review of a plan.
#[derive(Clone)]
pub struct PlanReview(pub(crate) Row<plan_review::Model>);

object! {
    /// A dated review of a plan.
    #[Object]
    impl PlanReview(plan_review::Model) fields plan_review_fields {
        /// The global id.
        pub(crate) leaf "id" id(r) -> GlobalId {
            GlobalId(Kind::PlanReview, r.id)
        }
        /// When the review took place.
        leaf "reviewDate" review_date(r) -> NaiveDate {
            r.review_date
        }
        /// The outcome.
        leaf "outcome" outcome(r) -> ReviewOutcome {
            domain::whitespace::ReviewOutcome::from_str_opt(&r.outcome)
                .unwrap_or(domain::whitespace::ReviewOutcome::OnTrack)
                .into()
        }
        /// Notes.
        leaf "notes" notes(r) -> Option<&str> {
            r.notes.as_deref()
        }
        /// Revisions made to the plan, one per entry.
        #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
        leaf "revisions" revisions(r) -> Vec<String> {
            serde_json::from_str(&r.revisions).unwrap_or_default()
        }
        /// Whether this is the final review (which allows closing the plan).
        leaf "isFinal" is_final(r) -> bool {
            r.is_final
        }
        /// Who reviewed.
        #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
        async fn reviewers(&self, ctx: &Context<'_>) -> Result<Vec<User>> {
            let l = loaders(ctx)?;
            let ids = l.review_reviewers(self.0.id).await?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids.iter() {
                if let Some(u) = l.user(*id).await? {
                    out.push(User(u));
                }
            }
            Ok(out)
        }
    }
}

/// A risk with its trigger and the planned response.
#[derive(Clone)]
pub struct Contingency(pub(crate) Row<contingency::Model>);

object! {
    /// A risk with its trigger and the planned response.
    #[Object]
    impl Contingency(contingency::Model) fields contingency_fields {
        /// The global id.
        pub(crate) leaf "id" id(c) -> GlobalId {
            GlobalId(Kind::Contingency, c.id)
        }
        /// The risk.
        leaf "risk" risk(c) -> &str {
            &c.risk
        }
        /// What would set it off.
        leaf "trigger" trigger(c) -> Option<&str> {
            c.trigger_event.as_deref()
        }
        /// The planned response.
        leaf "response" response(c) -> &str {
            &c.response
        }
        /// Who acts on it.
        async fn owner(&self, ctx: &Context<'_>) -> Result<Option<User>> {
            match self.0.owner_id {
                Some(u) => Ok(loaders(ctx)?.user(u).await?.map(User)),
                None => Ok(None),
            }
        }
    }
}

/// Plans, newest period first.
pub type PlanConnection = Connection<String, Plan, TotalCount>;

pub(super) fn plan_connection(
    rows: &[Row<account_plan::Model>],
    has_previous: bool,
    has_next: bool,
    count: CountOf,
) -> PlanConnection {
    let mut c = Connection::with_additional_fields(has_previous, has_next, TotalCount(count));
    c.edges.extend(rows.iter().map(|r| {
        Edge::new(
            encode_cursor(
                PLAN_ORDER,
                &Position {
                    key: cursor_key(r),
                    id: r.id,
                },
            ),
            Plan(r.clone()),
        )
    }));
    c
}

/// `account.plans`: batched across a page of accounts.
pub(crate) async fn account_plans(
    ctx: &Context<'_>,
    account: Uuid,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<PlanConnection> {
    let args = page_args(PLAN_ORDER, first, after.as_deref(), last, before.as_deref())?;
    check_cursor_dates(&args)?;
    let page = loaders(ctx)?.account_plans(account, args).await?;
    Ok(plan_connection(
        &page.rows,
        page.has_previous,
        page.has_next,
        CountOf::AccountPlans(account),
    ))
}
