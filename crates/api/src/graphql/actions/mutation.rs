//! The mutations of action items and assessments.

use super::input::{
    ActionItemPayload, CompleteOccurrenceInput, CompleteOccurrencePayload, CreateActionItemInput,
    UpdateActionItemInput,
};
use super::object::{ActionItem, Assessment};
use crate::error::ApiError;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::values::patch;
use crate::graphql::{in_input, loaders, principal, state};
use crate::services::actions::{self as svc, ActionItemLinks, FollowUpInput};
use async_graphql::{Context, ID, MaybeUndefined, Object, Result};
use domain::cadence::{ActionItemInput, ActionItemPatchInput, AssessmentInput};
use domain::{Patch, UserId};
use persistence::entity::action_item;
use std::sync::Arc;
use uuid::Uuid;

fn ids_of(kind: Kind, ids: Vec<ID>, field: &str) -> Result<Vec<Uuid>, ApiError> {
    ids.iter()
        .map(|i| decode(kind, i, field).map_err(in_input))
        .collect()
}

fn user_of(id: Option<&ID>, field: &str) -> Result<Option<UserId>, ApiError> {
    id.map(|i| decode(Kind::User, i, field).map(UserId))
        .transpose()
        .map_err(in_input)
}

fn payload(m: action_item::Model) -> ActionItemPayload {
    ActionItemPayload {
        action_item: ActionItem(Arc::new(m)),
    }
}

#[derive(Default)]
pub struct ActionMutation;

/// Mutations of action items and assessments.
#[Object]
impl ActionMutation {
    /// Creates an action item in a plan (writers of the plan's account).
    async fn create_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new action item.")] input: CreateActionItemInput,
    ) -> Result<ActionItemPayload> {
        let p = principal(ctx)?;
        let plan = decode(Kind::Plan, &input.plan_id, "planId").map_err(in_input)?;
        let objective = input
            .objective_id
            .as_ref()
            .map(|o| decode(Kind::Objective, o, "objectiveId"))
            .transpose()
            .map_err(in_input)?;
        let contacts = ids_of(
            Kind::Contact,
            input.contact_ids.unwrap_or_default(),
            "contactIds",
        )?;
        let raw = ActionItemInput {
            title: input.title,
            notes: input.notes,
            assignee_id: user_of(input.assignee_id.as_ref(), "assigneeId")?,
            due_date: input.first_due_date,
            cadence: input.cadence.map(Into::into),
            repeat_until: input.repeat_until,
            status: None,
        };
        let m = svc::create(&state(ctx)?.db, p, plan, objective, &contacts, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Changes an action item (writers of the plan's account).
    async fn update_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item and the fields to change.")] input: UpdateActionItemInput,
    ) -> Result<ActionItemPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::ActionItem, &input.id, "id").map_err(in_input)?;
        let links = ActionItemLinks {
            objective_id: match input.objective_id {
                MaybeUndefined::Undefined => Patch::Unchanged,
                MaybeUndefined::Null => Patch::Clear,
                MaybeUndefined::Value(o) => {
                    Patch::Set(decode(Kind::Objective, &o, "objectiveId").map_err(in_input)?)
                }
            },
            contact_ids: match input.contact_ids {
                MaybeUndefined::Undefined => Patch::Unchanged,
                MaybeUndefined::Null => Patch::Clear,
                MaybeUndefined::Value(ids) => Patch::Set(ids_of(Kind::Contact, ids, "contactIds")?),
            },
        };
        let raw = ActionItemPatchInput {
            title: patch(input.title, |v| v),
            notes: patch(input.notes, |v| v),
            assignee_id: match input.assignee_id {
                MaybeUndefined::Undefined => Patch::Unchanged,
                MaybeUndefined::Null => Patch::Clear,
                MaybeUndefined::Value(u) => Patch::Set(UserId(
                    decode(Kind::User, &u, "assigneeId").map_err(in_input)?,
                )),
            },
            due_date: patch(input.first_due_date, |v| v),
            cadence: patch(input.cadence, Into::into),
            repeat_until: patch(input.repeat_until, |v| v),
            status: patch(input.status, Into::into),
        };
        let m = svc::update(&state(ctx)?.db, p, id, raw, links)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Records the assessment of one occurrence of an action item (writers
    /// of the plan's account): did it happen, when, the value delivered,
    /// what was learned and what to revise; optionally creates a follow-up
    /// item in the same plan, in the same transaction. An occurrence is
    /// assessed once (`CONFLICT` the second time); a ONCE item becomes DONE.
    async fn complete_occurrence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The occurrence and its assessment.")] input: CompleteOccurrenceInput,
    ) -> Result<CompleteOccurrencePayload> {
        let p = principal(ctx)?;
        let item =
            decode(Kind::ActionItem, &input.action_item_id, "actionItemId").map_err(in_input)?;
        let follow_up = match input.follow_up {
            None => None,
            Some(f) => Some(FollowUpInput {
                title: f.title,
                due_date: f.due_date,
                assignee_id: user_of(f.assignee_id.as_ref(), "followUp.assigneeId")?,
                cadence: f.cadence.map(Into::into),
            }),
        };
        let date = match input.date {
            Some(d) => d,
            None => input.due_date.min(loaders(ctx)?.today().await?),
        };
        let raw = AssessmentInput {
            happened: input.happened,
            date,
            value_delivered: input.value_delivered,
            learned: input.learned,
            revise: input.revise,
        };
        let done =
            svc::complete_occurrence(&state(ctx)?.db, p, item, input.due_date, raw, follow_up)
                .await
                .map_err(in_input)?;
        Ok(CompleteOccurrencePayload {
            assessment: Assessment(Arc::new(done.assessment)),
            action_item: ActionItem(Arc::new(done.item)),
            follow_up: done.follow_up.map(|f| ActionItem(Arc::new(f))),
        })
    }
}
