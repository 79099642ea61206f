//! The mutations of plans, objectives, growth targets, reviews and
//! contingencies.

use super::input::{
    AddContingencyInput, AddGrowthTargetInput, AddObjectiveInput, AddPlanReviewInput,
    ChangePlanStatusInput, ContingencyPayload, CreatePlanInput, GrowthTargetPayload,
    ObjectivePayload, PlanPayload, PlanReviewPayload, RecordProgressInput, SetGrowthActualInput,
    UpdateObjectiveInput, UpdatePlanInput,
};
use super::object::{Contingency, GrowthTarget, Plan, PlanReview};
use super::objective::Objective;
use crate::error::ApiError;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::values::patch;
use crate::graphql::{in_input, principal, state};
use crate::services::plans::{self as svc, GrowthTargetInput};
use async_graphql::{Context, ID, MaybeUndefined, Object, Result};
use domain::objective::{ObjectiveInput, ObjectivePatchInput};
use domain::plan::{PlanInput, PlanPatchInput, ReviewInput};
use domain::{AccountId, Patch, UserId};
use std::sync::Arc;

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
        let criterion = input
            .success_criterion_id
            .as_ref()
            .map(|c| decode(Kind::SuccessCriterion, c, "successCriterionId"))
            .transpose()
            .map_err(in_input)?;
        let m = svc::add_objective(&state(ctx)?.db, p, plan, raw, criterion)
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
        let criterion = match input.success_criterion_id {
            MaybeUndefined::Undefined => Patch::Unchanged,
            MaybeUndefined::Null => Patch::Clear,
            MaybeUndefined::Value(c) => Patch::Set(
                decode(Kind::SuccessCriterion, &c, "successCriterionId").map_err(in_input)?,
            ),
        };
        let m = svc::update_objective(&state(ctx)?.db, p, id, raw, criterion)
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
