//! The inputs and the payload of `logActivity`, `updateActivity` and
//! `deleteActivity`, and the filter of activity lists.

use super::object::Activity;
use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::ActivityKind;
use crate::graphql::common::values::ExternalRefInputGql;
use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

/// Input of `logActivity`.
#[derive(InputObject)]
pub struct LogActivityInput {
    /// The account.
    pub(super) account_id: ID,
    /// What kind of interaction.
    pub(super) kind: ActivityKind,
    /// When it took place (not in the future).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) occurred_at: DateTime<Utc>,
    /// Hours spent, 0 to 24, two decimals.
    pub(super) hours_spent: Option<Dec>,
    /// What happened (required).
    pub(super) summary: String,
    /// Contacts of the account involved.
    pub(super) contact_ids: Option<Vec<ID>>,
    /// The same activity in another system (unique per tenant).
    pub(super) external_ref: Option<ExternalRefInputGql>,
    /// Users of ours who took part, besides who logs it (at most 20).
    pub(super) participant_ids: Option<Vec<ID>>,
    /// The action item whose occurrence this activity fulfils (an item of
    /// the same account; with `dueDate`). The occurrence then counts as
    /// done: it is assessed as having happened.
    pub(super) action_item_id: Option<ID>,
    /// The due date of the occurrence fulfilled (with `actionItemId`).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) due_date: Option<NaiveDate>,
}

/// Input of `updateActivity`: absent fields stay unchanged; lists replace.
#[derive(InputObject)]
pub struct UpdateActivityInput {
    /// The activity.
    pub(super) id: ID,
    /// New kind (cannot be null).
    pub(super) kind: MaybeUndefined<ActivityKind>,
    /// New time (not in the future; cannot be null).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) occurred_at: MaybeUndefined<DateTime<Utc>>,
    /// New hours spent (`null`: 0).
    pub(super) hours_spent: MaybeUndefined<Dec>,
    /// New summary (cannot be null).
    pub(super) summary: MaybeUndefined<String>,
    /// The contacts involved, replacing the list.
    pub(super) contact_ids: Option<Vec<ID>>,
    /// The users of ours who took part, replacing the list.
    pub(super) participant_ids: Option<Vec<ID>>,
}

/// Input naming one activity.
#[derive(InputObject)]
pub struct ActivityIdInput {
    /// The activity.
    pub(super) id: ID,
}

/// Which activities a list holds: every criterion given must hold.
#[derive(InputObject, Default)]
pub struct ActivityFilterInput {
    /// Only these kinds.
    pub(crate) kinds: Option<Vec<ActivityKind>>,
    /// Took place at or after this moment.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(crate) occurred_from: Option<DateTime<Utc>>,
    /// Took place before this moment.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(crate) occurred_before: Option<DateTime<Utc>>,
    /// Only activities that involved this contact.
    pub(crate) contact_id: Option<ID>,
}

/// Result of `logActivity`, `updateActivity` and `deleteActivity`.
#[derive(SimpleObject)]
pub struct LogActivityPayload {
    /// The activity as it is now (or as deleted).
    pub(super) activity: Activity,
}
