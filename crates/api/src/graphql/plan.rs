//! Account plans: plans, SMART objectives with progress, growth targets,
//! reviews and contingencies.

use super::common::decimal::Dec;
use super::common::enums::{
    GrowthKind, ObjectiveStatus, PlanStatus, ReviewOutcome, plan_status_of,
};
use super::common::filters::{PLAN_ORDER, PlanFilter, check_cursor_dates, repo_plan_filter};
use super::common::ids::{Kind, decode, encode};
use super::common::pagination::{encode_cursor, page_args};
use super::common::values::{Money, MoneyInputGql, patch};
use super::types::{Account, User};
use super::{in_input, loaders, principal, reader, state};
use crate::error::ApiError;
use crate::loaders::Row;
use crate::services::plans::{self as svc, GrowthTargetInput, from_e4};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::objective::{ObjectiveInput, ObjectivePatchInput};
use domain::plan::{PlanInput, PlanPatchInput, ReviewInput};
use domain::{AccountId, Patch, UserId};
use persistence::entity::{
    account_plan, contingency, growth_target, objective, objective_progress, plan_review,
};
use persistence::repo::page::Position;
use persistence::repo::plans::cursor_key;
use rust_decimal::Decimal;
use std::sync::Arc;
use uuid::Uuid;

/// A written plan for one account and period.
#[derive(Clone)]
pub struct Plan(pub Row<account_plan::Model>);

/// A written plan for one account and period.
#[Object]
impl Plan {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::Plan, self.0.id)
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
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Summary of the strategy.
    async fn strategy_summary(&self) -> Option<&str> {
        self.0.strategy_summary.as_deref()
    }
    /// First day of the period.
    async fn period_start(&self) -> NaiveDate {
        self.0.period_start
    }
    /// Last day of the period.
    async fn period_end(&self) -> NaiveDate {
        self.0.period_end
    }
    /// Lifecycle status.
    async fn status(&self) -> PlanStatus {
        plan_status_of(&self.0.status)
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
        let targets = loaders(ctx)?.plan_growth(self.0.id).await?;
        // (kind, currency, target, actual), in first-seen order.
        let mut sums: Vec<(GrowthKind, String, Decimal, Decimal)> = Vec::new();
        for t in targets.iter() {
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
        Ok(sums
            .into_iter()
            .map(|(kind, currency, target, actual)| GrowthRollup {
                kind,
                variance: Dec(currency_scaled(actual - target, &currency)),
                target: Dec(currency_scaled(target, &currency)),
                actual: Dec(currency_scaled(actual, &currency)),
                currency,
            })
            .collect())
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
    async fn action_items(&self, ctx: &Context<'_>) -> Result<Vec<super::actions::ActionItem>> {
        super::actions::plan_action_items(ctx, self.0.id).await
    }
    /// When the plan was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the plan last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// A SMART objective: specific, measurable, achievable, realistic, time-bound.
#[derive(Clone)]
pub struct Objective(pub Row<objective::Model>);

/// A SMART objective: specific, measurable, achievable, realistic, time-bound.
#[Object]
impl Objective {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::Objective, self.0.id)
    }
    /// The plan.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        Ok(Plan(
            loaders(ctx)?
                .plan(self.0.plan_id)
                .await?
                .ok_or_else(|| ApiError::not_found("plan"))?,
        ))
    }
    /// What is to be achieved (S).
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Specifics (S).
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// What is measured (M).
    async fn metric(&self) -> &str {
        &self.0.metric
    }
    /// Unit of the metric.
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }
    /// Value at the start (M).
    async fn baseline(&self) -> Dec {
        Dec(from_e4(self.0.baseline_e4))
    }
    /// Value to reach (M).
    async fn target(&self) -> Dec {
        Dec(from_e4(self.0.target_e4))
    }
    /// Value now (M).
    async fn current_value(&self) -> Dec {
        Dec(from_e4(self.0.current_e4))
    }
    /// Progress from baseline to target in percent (can exceed 100).
    async fn progress_percent(&self) -> Option<Dec> {
        domain::objective::progress_percent(
            from_e4(self.0.baseline_e4),
            from_e4(self.0.target_e4),
            from_e4(self.0.current_e4),
        )
        .map(Dec)
    }
    /// The owner's confidence, 0 to 100 (A, R).
    async fn confidence(&self) -> Option<i32> {
        self.0.confidence.map(i32::from)
    }
    /// When it is due, within the plan's period (T).
    async fn due_date(&self) -> NaiveDate {
        self.0.due_date
    }
    /// How it is going.
    async fn status(&self) -> ObjectiveStatus {
        domain::objective::ObjectiveStatus::from_str_opt(&self.0.status)
            .unwrap_or(domain::objective::ObjectiveStatus::OnTrack)
            .into()
    }
    /// Who owns the objective.
    async fn owner(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        match self.0.owner_id {
            Some(u) => Ok(loaders(ctx)?.user(u).await?.map(User)),
            None => Ok(None),
        }
    }
    /// Recorded values, oldest first.
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn progress(&self, ctx: &Context<'_>) -> Result<Vec<ProgressPoint>> {
        Ok(loaders(ctx)?
            .objective_progress(self.0.id)
            .await?
            .iter()
            .cloned()
            .map(ProgressPoint)
            .collect())
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// A dated value of an objective.
pub struct ProgressPoint(Row<objective_progress::Model>);

/// A dated value of an objective.
#[Object]
impl ProgressPoint {
    /// The value recorded.
    async fn value(&self) -> Dec {
        Dec(from_e4(self.0.value_e4))
    }
    /// The day it was measured.
    async fn recorded_on(&self) -> NaiveDate {
        self.0.recorded_on
    }
    /// A note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// A revenue or margin target for a period and product line.
#[derive(Clone)]
pub struct GrowthTarget(pub(crate) Row<growth_target::Model>);

/// A revenue or margin target for a period and product line.
#[Object]
impl GrowthTarget {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::GrowthTarget, self.0.id)
    }
    /// Revenue or margin.
    async fn kind(&self) -> GrowthKind {
        GrowthKind::from_db(&self.0.kind)
    }
    /// Our product line or service.
    async fn product_line(&self) -> &str {
        &self.0.product_line
    }
    /// First day of the period.
    async fn period_start(&self) -> NaiveDate {
        self.0.period_start
    }
    /// Last day of the period.
    async fn period_end(&self) -> NaiveDate {
        self.0.period_end
    }
    /// The target.
    async fn target(&self) -> Money {
        Money {
            amount: Dec(domain::text::currency_scaled(
                Decimal::new(self.0.target_minor, 4),
                &self.0.currency,
            )),
            currency: self.0.currency.clone(),
        }
    }
    /// The actual value so far.
    async fn actual(&self) -> Option<Money> {
        self.0.actual_minor.map(|a| Money {
            amount: Dec(domain::text::currency_scaled(
                Decimal::new(a, 4),
                &self.0.currency,
            )),
            currency: self.0.currency.clone(),
        })
    }
    /// Actual minus target (null without an actual).
    async fn variance(&self) -> Option<Money> {
        self.0.actual_minor.map(|a| Money {
            amount: Dec(domain::text::currency_scaled(
                Decimal::new(a - self.0.target_minor, 4),
                &self.0.currency,
            )),
            currency: self.0.currency.clone(),
        })
    }
}

/// Growth targets of a plan summed per kind and currency.
#[derive(SimpleObject)]
pub struct GrowthRollup {
    /// Revenue or margin.
    kind: GrowthKind,
    /// ISO 4217 currency.
    currency: String,
    /// Sum of the targets.
    target: Dec,
    /// Sum of the actuals.
    actual: Dec,
    /// Actual minus target.
    variance: Dec,
}

/// A dated review of a plan.
#[derive(Clone)]
pub struct PlanReview(pub(crate) Row<plan_review::Model>);

/// A dated review of a plan.
#[Object]
impl PlanReview {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::PlanReview, self.0.id)
    }
    /// When the review took place.
    async fn review_date(&self) -> NaiveDate {
        self.0.review_date
    }
    /// The outcome.
    async fn outcome(&self) -> ReviewOutcome {
        domain::whitespace::ReviewOutcome::from_str_opt(&self.0.outcome)
            .unwrap_or(domain::whitespace::ReviewOutcome::OnTrack)
            .into()
    }
    /// Notes.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// Revisions made to the plan, one per entry.
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn revisions(&self) -> Vec<String> {
        serde_json::from_str(&self.0.revisions).unwrap_or_default()
    }
    /// Whether this is the final review (which allows closing the plan).
    async fn is_final(&self) -> bool {
        self.0.is_final
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

/// A risk with its trigger and the planned response.
#[derive(Clone)]
pub struct Contingency(pub(crate) Row<contingency::Model>);

/// A risk with its trigger and the planned response.
#[Object]
impl Contingency {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::Contingency, self.0.id)
    }
    /// The risk.
    async fn risk(&self) -> &str {
        &self.0.risk
    }
    /// What would set it off.
    async fn trigger(&self) -> Option<&str> {
        self.0.trigger_event.as_deref()
    }
    /// The planned response.
    async fn response(&self) -> &str {
        &self.0.response
    }
    /// Who acts on it.
    async fn owner(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        match self.0.owner_id {
            Some(u) => Ok(loaders(ctx)?.user(u).await?.map(User)),
            None => Ok(None),
        }
    }
}

/// Plans, newest period first.
pub type PlanConnection = Connection<String, Plan, super::count::TotalCount>;

fn plan_connection(
    rows: &[Row<account_plan::Model>],
    has_previous: bool,
    has_next: bool,
    count: super::count::CountOf,
) -> PlanConnection {
    let mut c =
        Connection::with_additional_fields(has_previous, has_next, super::count::TotalCount(count));
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
        super::count::CountOf::AccountPlans(account),
    ))
}

#[derive(Default)]
pub struct PlanQuery;

/// Queries about account plans.
#[Object]
impl PlanQuery {
    /// A plan by id; `NOT_FOUND` when it does not exist in your tenant.
    async fn plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan's id.")] id: ID,
    ) -> Result<Plan> {
        let uuid = decode(Kind::Plan, &id, "id")?;
        Ok(Plan(
            loaders(ctx)?
                .plan(uuid)
                .await?
                .ok_or_else(|| ApiError::not_found_in("plan", "id"))?,
        ))
    }

    /// Plans of your tenant, newest period first.
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    async fn plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n plans (at most 100; default 20).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns plans after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n plans (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns plans before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which plans to list.")] filter: Option<PlanFilter>,
    ) -> Result<PlanConnection> {
        let p = reader(ctx)?;
        let args = page_args(PLAN_ORDER, first, after.as_deref(), last, before.as_deref())?;
        check_cursor_dates(&args)?;
        let rf = repo_plan_filter(filter)?;
        let page = persistence::repo::plans::list(state(ctx)?.db.read(), p.tenant_id, &rf, &args)
            .await
            .map_err(ApiError::from)?;
        let rows: Vec<Row<account_plan::Model>> = page.rows.into_iter().map(Arc::new).collect();
        loaders(ctx)?.seed_plans(rows.iter().map(AsRef::as_ref));
        Ok(plan_connection(
            &rows,
            page.has_previous,
            page.has_next,
            super::count::CountOf::Plans(rf),
        ))
    }
}

/// Input of `createPlan`.
#[derive(InputObject)]
pub struct CreatePlanInput {
    /// The account.
    account_id: ID,
    /// Title (required).
    title: String,
    /// Summary of the strategy.
    strategy_summary: Option<String>,
    /// First day of the period.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    period_start: NaiveDate,
    /// Last day of the period (after the start; at most 3 years).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    period_end: NaiveDate,
    /// Owner (default: you).
    owner_id: Option<ID>,
}

/// Input of `updatePlan`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdatePlanInput {
    /// The plan.
    id: ID,
    /// New title.
    title: MaybeUndefined<String>,
    /// New strategy summary.
    strategy_summary: MaybeUndefined<String>,
    /// New first day (the period must still cover the objectives' due dates).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    period_start: MaybeUndefined<NaiveDate>,
    /// New last day.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    period_end: MaybeUndefined<NaiveDate>,
    /// New owner.
    owner_id: MaybeUndefined<ID>,
}

/// Input of `changePlanStatus`.
#[derive(InputObject)]
pub struct ChangePlanStatusInput {
    /// The plan.
    id: ID,
    /// The new status (see `PlanStatus` for the allowed moves).
    status: PlanStatus,
}

/// Result of a plan mutation.
#[derive(SimpleObject)]
pub struct PlanPayload {
    /// The plan as it is now.
    plan: Plan,
}

/// Input of `addObjective`.
#[derive(InputObject)]
pub struct AddObjectiveInput {
    /// The plan.
    plan_id: ID,
    /// What is to be achieved (S, required).
    title: String,
    /// Specifics (S).
    description: Option<String>,
    /// What is measured (M, required).
    metric: Option<String>,
    /// Unit of the metric.
    unit: Option<String>,
    /// Value at the start (M, default 0).
    baseline: Option<Dec>,
    /// Value to reach (M, required, different from the baseline).
    target: Option<Dec>,
    /// Value now (default: the baseline).
    current_value: Option<Dec>,
    /// Owner's confidence 0..100 (A).
    confidence: Option<i32>,
    /// Due date within the plan's period (T, required).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    due_date: Option<NaiveDate>,
    /// Owner.
    owner_id: Option<ID>,
    /// Status (default ON_TRACK).
    status: Option<ObjectiveStatus>,
}

/// Input of `updateObjective`: absent fields stay unchanged, `null` clears;
/// the result must still be SMART.
#[derive(InputObject)]
pub struct UpdateObjectiveInput {
    /// The objective.
    id: ID,
    /// New title.
    title: MaybeUndefined<String>,
    /// New description.
    description: MaybeUndefined<String>,
    /// New metric.
    metric: MaybeUndefined<String>,
    /// New unit.
    unit: MaybeUndefined<String>,
    /// New baseline.
    baseline: MaybeUndefined<Dec>,
    /// New target.
    target: MaybeUndefined<Dec>,
    /// New current value (also recorded in the progress history).
    current_value: MaybeUndefined<Dec>,
    /// New confidence.
    confidence: MaybeUndefined<i32>,
    /// New due date.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    due_date: MaybeUndefined<NaiveDate>,
    /// New owner.
    owner_id: MaybeUndefined<ID>,
    /// New status.
    status: MaybeUndefined<ObjectiveStatus>,
}

/// Input of `recordObjectiveProgress`.
#[derive(InputObject)]
pub struct RecordProgressInput {
    /// The objective.
    objective_id: ID,
    /// The value measured.
    value: Dec,
    /// The day it was measured (default today; not in the future).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    recorded_on: Option<NaiveDate>,
    /// A note.
    note: Option<String>,
}

/// Result of an objective mutation.
#[derive(SimpleObject)]
pub struct ObjectivePayload {
    /// The objective as it is now.
    objective: Objective,
}

/// Input of `addGrowthTarget`.
#[derive(InputObject)]
pub struct AddGrowthTargetInput {
    /// The plan.
    plan_id: ID,
    /// Revenue or margin.
    kind: GrowthKind,
    /// Our product line or service.
    product_line: String,
    /// First day of the period.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    period_start: NaiveDate,
    /// Last day of the period.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    period_end: NaiveDate,
    /// The target.
    target: MoneyInputGql,
    /// The actual value so far (same currency).
    actual: Option<Dec>,
}

/// Input of `setGrowthTargetActual`.
#[derive(InputObject)]
pub struct SetGrowthActualInput {
    /// The growth target.
    id: ID,
    /// The actual value (null clears it).
    actual: Option<Dec>,
}

/// Result of a growth target mutation.
#[derive(SimpleObject)]
pub struct GrowthTargetPayload {
    /// The growth target as it is now.
    growth_target: GrowthTarget,
}

/// Input of `addPlanReview`.
#[derive(InputObject)]
pub struct AddPlanReviewInput {
    /// The plan.
    plan_id: ID,
    /// When the review took place.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    review_date: NaiveDate,
    /// The outcome.
    outcome: ReviewOutcome,
    /// Notes.
    notes: Option<String>,
    /// Revisions made to the plan.
    revisions: Option<Vec<String>>,
    /// Users who took part.
    reviewer_ids: Option<Vec<ID>>,
    /// A contingency noted in the review (creates one).
    contingency: Option<String>,
    /// The final review (allows closing the plan).
    is_final: Option<bool>,
    /// Move the plan in the same step (e.g. UNDER_REVIEW, back to ACTIVE, or CLOSED after a final review).
    move_to: Option<PlanStatus>,
}

/// Result of `addPlanReview`.
#[derive(SimpleObject)]
pub struct PlanReviewPayload {
    /// The review.
    review: PlanReview,
    /// The plan as it is now.
    plan: Plan,
}

/// Input of `addContingency`.
#[derive(InputObject)]
pub struct AddContingencyInput {
    /// The plan.
    plan_id: ID,
    /// The risk.
    risk: String,
    /// What would set it off.
    trigger: Option<String>,
    /// The planned response.
    response: String,
    /// Who acts on it.
    owner_id: Option<ID>,
}

/// Result of `addContingency`.
#[derive(SimpleObject)]
pub struct ContingencyPayload {
    /// The contingency.
    contingency: Contingency,
}

fn user_id(id: Option<&ID>, field: &str) -> Result<Option<UserId>, ApiError> {
    id.map(|i| decode(Kind::User, i, field).map(UserId))
        .transpose()
        .map_err(in_input)
}

fn user_patch(v: MaybeUndefined<ID>, field: &str) -> Result<Patch<UserId>, ApiError> {
    Ok(match v {
        MaybeUndefined::Undefined => Patch::Unchanged,
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Value(id) => {
            Patch::Set(UserId(decode(Kind::User, &id, field).map_err(in_input)?))
        }
    })
}

#[derive(Default)]
pub struct PlanMutation;

/// Mutations of account plans.
#[Object]
impl PlanMutation {
    /// Creates a plan (DRAFT) for an account (writers of the account).
    async fn create_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreatePlanInput,
    ) -> Result<PlanPayload> {
        let p = principal(ctx)?;
        let account =
            AccountId(decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?);
        let raw = PlanInput {
            title: input.title,
            strategy_summary: input.strategy_summary,
            period_start: input.period_start,
            period_end: input.period_end,
            owner_id: user_id(input.owner_id.as_ref(), "ownerId")?,
        };
        let m = svc::create_plan(&state(ctx)?.db, p, account, raw)
            .await
            .map_err(in_input)?;
        Ok(PlanPayload {
            plan: Plan(Arc::new(m)),
        })
    }

    /// Changes a plan's title, summary, period or owner.
    async fn update_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdatePlanInput,
    ) -> Result<PlanPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Plan, &input.id, "id").map_err(in_input)?;
        let raw = PlanPatchInput {
            title: patch(input.title, |v| v),
            strategy_summary: patch(input.strategy_summary, |v| v),
            period_start: patch(input.period_start, |v| v),
            period_end: patch(input.period_end, |v| v),
            owner_id: user_patch(input.owner_id, "ownerId")?,
        };
        let m = svc::update_plan(&state(ctx)?.db, p, id, raw)
            .await
            .map_err(in_input)?;
        Ok(PlanPayload {
            plan: Plan(Arc::new(m)),
        })
    }

    /// Moves a plan through its lifecycle; an illegal move is `VALIDATION`
    /// naming the current status.
    async fn change_plan_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: ChangePlanStatusInput,
    ) -> Result<PlanPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Plan, &input.id, "id").map_err(in_input)?;
        let m = svc::change_status(&state(ctx)?.db, p, id, input.status.into())
            .await
            .map_err(in_input)?;
        Ok(PlanPayload {
            plan: Plan(Arc::new(m)),
        })
    }

    /// Adds a SMART objective; anything not SMART is `VALIDATION` naming the
    /// field and the letter it violates.
    async fn add_objective(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddObjectiveInput,
    ) -> Result<ObjectivePayload> {
        let p = principal(ctx)?;
        let plan = decode(Kind::Plan, &input.plan_id, "planId").map_err(in_input)?;
        let raw = ObjectiveInput {
            title: input.title,
            description: input.description,
            metric: input.metric,
            unit: input.unit,
            baseline: input.baseline.map(|d| d.0),
            target: input.target.map(|d| d.0),
            current: input.current_value.map(|d| d.0),
            confidence: input.confidence,
            due_date: input.due_date,
            owner_id: user_id(input.owner_id.as_ref(), "ownerId")?,
            status: input.status.map(Into::into),
        };
        let m = svc::add_objective(&state(ctx)?.db, p, plan, raw)
            .await
            .map_err(|e| in_input(current_field(e)))?;
        Ok(ObjectivePayload {
            objective: Objective(Arc::new(m)),
        })
    }

    /// Changes an objective; the result must still be SMART.
    async fn update_objective(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateObjectiveInput,
    ) -> Result<ObjectivePayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Objective, &input.id, "id").map_err(in_input)?;
        let raw = ObjectivePatchInput {
            title: patch(input.title, |v| v),
            description: patch(input.description, |v| v),
            metric: patch(input.metric, |v| v),
            unit: patch(input.unit, |v| v),
            baseline: patch(input.baseline, |v| v.0),
            target: patch(input.target, |v| v.0),
            current: patch(input.current_value, |v| v.0),
            confidence: patch(input.confidence, |v| v),
            due_date: patch(input.due_date, |v| v),
            owner_id: user_patch(input.owner_id, "ownerId")?,
            status: patch(input.status, Into::into),
        };
        let m = svc::update_objective(&state(ctx)?.db, p, id, raw)
            .await
            .map_err(|e| in_input(current_field(e)))?;
        Ok(ObjectivePayload {
            objective: Objective(Arc::new(m)),
        })
    }

    /// Records a new current value of an objective; the history keeps it.
    async fn record_objective_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RecordProgressInput,
    ) -> Result<ObjectivePayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Objective, &input.objective_id, "objectiveId").map_err(in_input)?;
        let m = svc::record_progress(
            &state(ctx)?.db,
            p,
            id,
            input.value.0,
            input.recorded_on,
            input.note,
        )
        .await
        .map_err(in_input)?;
        Ok(ObjectivePayload {
            objective: Objective(Arc::new(m)),
        })
    }

    /// Adds a revenue or margin target to a plan.
    async fn add_growth_target(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddGrowthTargetInput,
    ) -> Result<GrowthTargetPayload> {
        let p = principal(ctx)?;
        let plan = decode(Kind::Plan, &input.plan_id, "planId").map_err(in_input)?;
        let raw = GrowthTargetInput {
            kind: input.kind.as_str().to_owned(),
            product_line: input.product_line,
            period_start: input.period_start,
            period_end: input.period_end,
            target: input.target.into(),
            actual: input.actual.map(|d| d.0),
        };
        let m = svc::add_growth_target(&state(ctx)?.db, p, plan, raw)
            .await
            .map_err(in_input)?;
        Ok(GrowthTargetPayload {
            growth_target: GrowthTarget(Arc::new(m)),
        })
    }

    /// Sets the actual value of a growth target.
    async fn set_growth_target_actual(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SetGrowthActualInput,
    ) -> Result<GrowthTargetPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::GrowthTarget, &input.id, "id").map_err(in_input)?;
        let m = svc::set_growth_actual(&state(ctx)?.db, p, id, input.actual.map(|d| d.0))
            .await
            .map_err(in_input)?;
        Ok(GrowthTargetPayload {
            growth_target: GrowthTarget(Arc::new(m)),
        })
    }

    /// Records a plan review; it can move the plan in the same step.
    async fn add_plan_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddPlanReviewInput,
    ) -> Result<PlanReviewPayload> {
        let p = principal(ctx)?;
        let plan = decode(Kind::Plan, &input.plan_id, "planId").map_err(in_input)?;
        let mut reviewers = Vec::new();
        for r in input.reviewer_ids.unwrap_or_default() {
            reviewers.push(UserId(
                decode(Kind::User, &r, "reviewerIds").map_err(in_input)?,
            ));
        }
        let raw = ReviewInput {
            review_date: input.review_date,
            outcome: input.outcome.into(),
            notes: input.notes,
            revisions: input.revisions.map(|r| r.join("\n")),
            contingency: input.contingency,
            is_final: input.is_final.unwrap_or(false),
        };
        let (review, plan) = svc::add_review(
            &state(ctx)?.db,
            p,
            plan,
            raw,
            reviewers,
            input.move_to.map(Into::into),
        )
        .await
        .map_err(in_input)?;
        Ok(PlanReviewPayload {
            review: PlanReview(Arc::new(review)),
            plan: Plan(Arc::new(plan)),
        })
    }

    /// Adds a contingency to a plan.
    async fn add_contingency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddContingencyInput,
    ) -> Result<ContingencyPayload> {
        let p = principal(ctx)?;
        let plan = decode(Kind::Plan, &input.plan_id, "planId").map_err(in_input)?;
        let owner = user_id(input.owner_id.as_ref(), "ownerId")?;
        let m = svc::add_contingency(
            &state(ctx)?.db,
            p,
            plan,
            &input.risk,
            input.trigger.as_deref(),
            &input.response,
            owner,
        )
        .await
        .map_err(in_input)?;
        Ok(ContingencyPayload {
            contingency: Contingency(Arc::new(m)),
        })
    }
}

/// The domain calls the current value `current`; the API calls it `currentValue`.
fn current_field(e: ApiError) -> ApiError {
    match e {
        ApiError::Validation(v) if v.field == "current" => {
            ApiError::Validation(domain::ValidationError::new("currentValue", v.message))
        }
        other => other,
    }
}
