//! SMART objectives and their progress history.

use super::object::Plan;
use crate::error::ApiError;
use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::ObjectiveStatus;
use crate::graphql::common::ids::{Kind, encode};
use crate::graphql::loaders;
use crate::graphql::user::User;
use crate::loaders::Row;
use crate::services::plans::from_e4;
use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use persistence::entity::{objective, objective_progress};

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
