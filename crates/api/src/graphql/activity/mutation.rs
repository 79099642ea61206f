//! `logActivity`, `updateActivity`, `deleteActivity`.

use super::input::{ActivityIdInput, LogActivityInput, LogActivityPayload, UpdateActivityInput};
use super::object::Activity;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::values::patch;
use crate::graphql::{in_input, principal, state};
use crate::services::activities as svc;
use async_graphql::{Context, ID, Object, Result};
use domain::activity::{ActivityInput, ActivityPatch};
use domain::{AccountId, ContactId, UserId};
use std::sync::Arc;

#[derive(Default)]
pub struct ActivityMutation;

fn contacts(ids: Vec<ID>) -> Result<Vec<ContactId>, crate::error::ApiError> {
    ids.iter()
        .map(|id| {
            Ok(ContactId(
                decode(Kind::Contact, id, "contactIds").map_err(in_input)?,
            ))
        })
        .collect()
}

fn users(ids: Vec<ID>) -> Result<Vec<UserId>, crate::error::ApiError> {
    ids.iter()
        .map(|id| {
            Ok(UserId(
                decode(Kind::User, id, "participantIds").map_err(in_input)?,
            ))
        })
        .collect()
}

fn payload(m: persistence::entity::activity::Model) -> LogActivityPayload {
    LogActivityPayload {
        activity: Activity(Arc::new(m)),
    }
}

/// Logging and changing activities.
#[Object]
impl ActivityMutation {
    /// Logs an activity on an account (writers of the account).
    async fn log_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: LogActivityInput,
    ) -> Result<LogActivityPayload> {
        let p = principal(ctx)?;
        let account =
            AccountId(decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?);
        let raw = ActivityInput {
            kind: input.kind.into(),
            occurred_at: input.occurred_at,
            hours_spent: input.hours_spent.map(|d| d.0),
            summary: input.summary,
            contact_ids: contacts(input.contact_ids.unwrap_or_default())?,
            external_ref: input.external_ref.map(Into::into),
            participant_ids: users(input.participant_ids.unwrap_or_default())?,
            action_item_id: input
                .action_item_id
                .as_ref()
                .map(|i| decode(Kind::ActionItem, i, "actionItemId"))
                .transpose()
                .map_err(in_input)?,
            due_date: input.due_date,
        };
        let m = svc::log(&state(ctx)?.db, p, account, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Changes an activity (writers of its account).
    async fn update_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateActivityInput,
    ) -> Result<LogActivityPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Activity, &input.id, "id").map_err(in_input)?;
        let raw = ActivityPatch {
            kind: patch(input.kind, Into::into),
            occurred_at: patch(input.occurred_at, |t| t),
            hours_spent: patch(input.hours_spent, |d| d.0),
            summary: patch(input.summary, |s| s),
            contact_ids: input.contact_ids.map(contacts).transpose()?,
            participant_ids: input.participant_ids.map(users).transpose()?,
        };
        let m = svc::update(&state(ctx)?.db, p, id, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Deletes an activity (writers of its account; a tombstone stays).
    async fn delete_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: ActivityIdInput,
    ) -> Result<LogActivityPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Activity, &input.id, "id").map_err(in_input)?;
        let m = svc::delete(&state(ctx)?.db, p, id)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }
}
