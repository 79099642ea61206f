//! SMART objectives and their progress history.

use super::object::Plan;
use crate::error::ApiError;
use crate::graphql::common::decimal::{Dec, E4};
use crate::graphql::common::enums::ObjectiveStatus;
use crate::graphql::common::ids::{GlobalId, Kind};
use crate::graphql::common::object::object;
use crate::graphql::loaders;
use crate::graphql::user::User;
use crate::loaders::Row;
use crate::services::plans::from_e4;
use async_graphql::{Context, Object, Result};
use chrono::NaiveDate;
use persistence::entity::{objective, objective_progress};

/// A SMART objective: specific, measurable, achievable, realistic, time-bound.
#[derive(Clone)]
pub struct Objective(pub Row<objective::Model>);

object! {
    /// A SMART objective: specific, measurable, achievable, realistic, time-bound.
    #[Object]
    impl Objective(objective::Model) fields objective_fields {
        /// The global id.
        pub(crate) leaf "id" id(x) -> GlobalId {
            GlobalId(Kind::Objective, x.id)
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
        leaf "title" title(x) -> &str {
            &x.title
        }
        /// Specifics (S).
        leaf "description" description(x) -> Option<&str> {
            x.description.as_deref()
        }
        /// What is measured (M).
        leaf "metric" metric(x) -> &str {
            &x.metric
        }
        /// Unit of the metric.
        leaf "unit" unit(x) -> Option<&str> {
            x.unit.as_deref()
        }
        /// Value at the start (M).
        leaf "baseline" baseline(x) [baseline_e4] -> E4 {
            E4(x.baseline_e4)
        }
        /// Value to reach (M).
        leaf "target" target(x) [target_e4] -> E4 {
            E4(x.target_e4)
        }
        /// Value now (M).
        leaf "currentValue" current_value(x) [current_e4] -> E4 {
            E4(x.current_e4)
        }
        /// Progress from baseline to target in percent (can exceed 100).
        leaf "progressPercent" progress_percent(x) [baseline_e4, target_e4, current_e4] -> Option<Dec> {
            domain::objective::progress_percent(
                from_e4(x.baseline_e4),
                from_e4(x.target_e4),
                from_e4(x.current_e4),
            )
            .map(Dec)
        }
        /// The owner's confidence, 0 to 100 (A, R).
        leaf "confidence" confidence(x) -> Option<i32> {
            x.confidence.map(i32::from)
        }
        /// When it is due, within the plan's period (T).
        leaf "dueDate" due_date(x) -> NaiveDate {
            x.due_date
        }
        /// How it is going.
        leaf "status" status(x) -> ObjectiveStatus {
            domain::objective::ObjectiveStatus::from_str_opt(&x.status)
                .unwrap_or(domain::objective::ObjectiveStatus::OnTrack)
                .into()
        }
        /// The customer's success criterion it serves (of the plan's account).
        async fn success_criterion(
            &self,
            ctx: &Context<'_>,
        ) -> Result<Option<crate::graphql::success::SuccessCriterion>> {
            crate::graphql::success::criterion_by_id(ctx, self.0.success_criterion_id).await
        }
        /// The id of the customer's success criterion it serves (no lookup).
        leaf "successCriterionId" success_criterion_id(o) -> Option<GlobalId> {
            o.success_criterion_id.map(|c| GlobalId(Kind::SuccessCriterion, c))
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
        leaf "version" version(x) -> i64 {
            x.version
        }
    }
}

/// A dated value of an objective.
pub struct ProgressPoint(Row<objective_progress::Model>);

object! {
    /// A dated value of an objective.
    #[Object]
    impl ProgressPoint(objective_progress::Model) fields progress_fields {
        /// The value recorded.
        leaf "value" value(p) -> Dec {
            Dec(from_e4(p.value_e4))
        }
        /// The day it was measured.
        leaf "recordedOn" recorded_on(p) -> NaiveDate {
            p.recorded_on
        }
        /// A note.
        leaf "note" note(p) -> Option<&str> {
            p.note.as_deref()
        }
    }
}
