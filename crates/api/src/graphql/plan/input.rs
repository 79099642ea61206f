//! The inputs and the payloads of the plan mutations.

use super::object::{Contingency, GrowthTarget, Plan, PlanReview};
use super::objective::Objective;
use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::{GrowthKind, ObjectiveStatus, PlanStatus, ReviewOutcome};
use crate::graphql::common::values::MoneyInputGql;
use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::NaiveDate;

/// Input of `createPlan`.
#[derive(InputObject)]
pub struct CreatePlanInput {
    /// The account.
    pub(super) account_id: ID,
    /// Title (required).
    pub(super) title: String,
    /// Summary of the strategy.
    pub(super) strategy_summary: Option<String>,
    /// First day of the period.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) period_start: NaiveDate,
    /// Last day of the period (after the start; at most 3 years).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) period_end: NaiveDate,
    /// Owner (default: you).
    pub(super) owner_id: Option<ID>,
}

/// Input of `updatePlan`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdatePlanInput {
    /// The plan.
    pub(super) id: ID,
    /// New title.
    pub(super) title: MaybeUndefined<String>,
    /// New strategy summary.
    pub(super) strategy_summary: MaybeUndefined<String>,
    /// New first day (the period must still cover the objectives' due dates).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) period_start: MaybeUndefined<NaiveDate>,
    /// New last day.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) period_end: MaybeUndefined<NaiveDate>,
    /// New owner.
    pub(super) owner_id: MaybeUndefined<ID>,
}

/// Input of `changePlanStatus`.
#[derive(InputObject)]
pub struct ChangePlanStatusInput {
    /// The plan.
    pub(super) id: ID,
    /// The new status (see `PlanStatus` for the allowed moves).
    pub(super) status: PlanStatus,
}

/// Result of a plan mutation.
#[derive(SimpleObject)]
pub struct PlanPayload {
    /// The plan as it is now.
    pub(super) plan: Plan,
}

/// Input of `addObjective`.
#[derive(InputObject)]
pub struct AddObjectiveInput {
    /// The plan.
    pub(super) plan_id: ID,
    /// The customer's success criterion it serves (`account.successCriteria`
    /// of the plan's account).
    pub(super) success_criterion_id: Option<ID>,
    /// What is to be achieved (S, required).
    pub(super) title: String,
    /// Specifics (S).
    pub(super) description: Option<String>,
    /// What is measured (M, required).
    pub(super) metric: Option<String>,
    /// Unit of the metric.
    pub(super) unit: Option<String>,
    /// Value at the start (M, default 0).
    pub(super) baseline: Option<Dec>,
    /// Value to reach (M, required, different from the baseline).
    pub(super) target: Option<Dec>,
    /// Value now (default: the baseline).
    pub(super) current_value: Option<Dec>,
    /// Owner's confidence 0..100 (A).
    pub(super) confidence: Option<i32>,
    /// Due date within the plan's period (T, required).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) due_date: Option<NaiveDate>,
    /// Owner.
    pub(super) owner_id: Option<ID>,
    /// Status (default ON_TRACK).
    pub(super) status: Option<ObjectiveStatus>,
}

/// Input of `updateObjective`: absent fields stay unchanged, `null` clears;
/// the result must still be SMART.
#[derive(InputObject)]
pub struct UpdateObjectiveInput {
    /// The objective.
    pub(super) id: ID,
    /// New success criterion served (of the plan's account; null: none).
    pub(super) success_criterion_id: MaybeUndefined<ID>,
    /// New title.
    pub(super) title: MaybeUndefined<String>,
    /// New description.
    pub(super) description: MaybeUndefined<String>,
    /// New metric.
    pub(super) metric: MaybeUndefined<String>,
    /// New unit.
    pub(super) unit: MaybeUndefined<String>,
    /// New baseline.
    pub(super) baseline: MaybeUndefined<Dec>,
    /// New target.
    pub(super) target: MaybeUndefined<Dec>,
    /// New current value (also recorded in the progress history).
    pub(super) current_value: MaybeUndefined<Dec>,
    /// New confidence.
    pub(super) confidence: MaybeUndefined<i32>,
    /// New due date.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) due_date: MaybeUndefined<NaiveDate>,
    /// New owner.
    pub(super) owner_id: MaybeUndefined<ID>,
    /// New status.
    pub(super) status: MaybeUndefined<ObjectiveStatus>,
}

/// Input of `recordObjectiveProgress`.
#[derive(InputObject)]
pub struct RecordProgressInput {
    /// The objective.
    pub(super) objective_id: ID,
    /// The value measured.
    pub(super) value: Dec,
    /// The day it was measured (default today; not in the future).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) recorded_on: Option<NaiveDate>,
    /// A note.
    pub(super) note: Option<String>,
}

/// Result of an objective mutation.
#[derive(SimpleObject)]
pub struct ObjectivePayload {
    /// The objective as it is now.
    pub(super) objective: Objective,
}

/// Input of `addGrowthTarget`.
#[derive(InputObject)]
pub struct AddGrowthTargetInput {
    /// The plan.
    pub(super) plan_id: ID,
    /// Revenue or margin.
    pub(super) kind: GrowthKind,
    /// Our product line or service.
    pub(super) product_line: String,
    /// First day of the period.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) period_start: NaiveDate,
    /// Last day of the period.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) period_end: NaiveDate,
    /// The target.
    pub(super) target: MoneyInputGql,
    /// The actual value so far (same currency).
    pub(super) actual: Option<Dec>,
}

/// Input of `setGrowthTargetActual`.
#[derive(InputObject)]
pub struct SetGrowthActualInput {
    /// The growth target.
    pub(super) id: ID,
    /// The actual value (null clears it).
    pub(super) actual: Option<Dec>,
}

/// Result of a growth target mutation.
#[derive(SimpleObject)]
pub struct GrowthTargetPayload {
    /// The growth target as it is now.
    pub(super) growth_target: GrowthTarget,
}

/// Input of `addPlanReview`.
#[derive(InputObject)]
pub struct AddPlanReviewInput {
    /// The plan.
    pub(super) plan_id: ID,
    /// When the review took place.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) review_date: NaiveDate,
    /// The outcome.
    pub(super) outcome: ReviewOutcome,
    /// Notes.
    pub(super) notes: Option<String>,
    /// Revisions made to the plan.
    pub(super) revisions: Option<Vec<String>>,
    /// Users who took part.
    pub(super) reviewer_ids: Option<Vec<ID>>,
    /// A contingency noted in the review (creates one).
    pub(super) contingency: Option<String>,
    /// The final review (allows closing the plan).
    pub(super) is_final: Option<bool>,
    /// Move the plan in the same step (e.g. UNDER_REVIEW, back to ACTIVE, or CLOSED after a final review).
    pub(super) move_to: Option<PlanStatus>,
}

/// Result of `addPlanReview`.
#[derive(SimpleObject)]
pub struct PlanReviewPayload {
    /// The review.
    pub(super) review: PlanReview,
    /// The plan as it is now.
    pub(super) plan: Plan,
}

/// Input of `addContingency`.
#[derive(InputObject)]
pub struct AddContingencyInput {
    /// The plan.
    pub(super) plan_id: ID,
    /// The risk.
    pub(super) risk: String,
    /// What would set it off.
    pub(super) trigger: Option<String>,
    /// The planned response.
    pub(super) response: String,
    /// Who acts on it.
    pub(super) owner_id: Option<ID>,
}

/// Result of `addContingency`.
#[derive(SimpleObject)]
pub struct ContingencyPayload {
    /// The contingency.
    pub(super) contingency: Contingency,
}
