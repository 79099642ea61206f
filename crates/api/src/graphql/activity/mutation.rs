//! `logActivity`.

use super::input::{LogActivityInput, LogActivityPayload};
use super::object::Activity;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::{in_input, principal, state};
use crate::services::activities as svc;
use async_graphql::{Context, Object, Result};
use domain::activity::ActivityInput;
use domain::{AccountId, ContactId};
use std::sync::Arc;

#[derive(Default)]
pub struct ActivityMutation;

/// Logging activities.
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
        let mut contact_ids = Vec::new();
        for id in input.contact_ids.unwrap_or_default() {
            contact_ids.push(ContactId(
                decode(Kind::Contact, &id, "contactIds").map_err(in_input)?,
            ));
        }
        let raw = ActivityInput {
            kind: input.kind.into(),
            occurred_at: input.occurred_at,
            hours_spent: input.hours_spent.map(|d| d.0),
            summary: input.summary,
            contact_ids,
            external_ref: input.external_ref.map(Into::into),
        };
        let m = svc::log(&state(ctx)?.db, p, account, raw)
            .await
            .map_err(in_input)?;
        Ok(LogActivityPayload {
            activity: Activity(Arc::new(m)),
        })
    }
}
