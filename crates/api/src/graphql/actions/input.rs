//! The inputs and the payloads of the action-item mutations.

use super::object::{ActionItem, Assessment};
use crate::graphql::common::enums::{ActionStatus, Cadence};
use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::NaiveDate;

/// Input of `createActionItem`.
#[derive(InputObject)]
pub struct CreateActionItemInput {
    /// The plan.
    pub(super) plan_id: ID,
    /// An objective of the same plan that the item serves.
    pub(super) objective_id: Option<ID>,
    /// What is to be done (required, at most 200 characters).
    pub(super) title: String,
    /// Details (at most 5000 characters).
    pub(super) notes: Option<String>,
    /// Who does it (default: you); a user of your tenant.
    pub(super) assignee_id: Option<ID>,
    /// Contacts of the plan's account involved.
    pub(super) contact_ids: Option<Vec<ID>>,
    /// How often it recurs (default ONCE).
    pub(super) cadence: Option<Cadence>,
    /// The first (for ONCE: the only) due date.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) first_due_date: NaiveDate,
    /// The last day a recurring item may fall on (not before the first due
    /// date; not for ONCE); absent: open-ended.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) repeat_until: Option<NaiveDate>,
}

/// Input of `updateActionItem`: absent fields stay unchanged, `null` clears
/// (refused for required fields). A changed schedule must keep every
/// occurrence already assessed.
#[derive(InputObject)]
pub struct UpdateActionItemInput {
    /// The action item.
    pub(super) id: ID,
    /// New objective (of the same plan); null detaches it.
    pub(super) objective_id: MaybeUndefined<ID>,
    /// New title (cannot be null).
    pub(super) title: MaybeUndefined<String>,
    /// New notes.
    pub(super) notes: MaybeUndefined<String>,
    /// New assignee (cannot be null).
    pub(super) assignee_id: MaybeUndefined<ID>,
    /// New contacts (replace the old ones); null or [] removes them.
    pub(super) contact_ids: MaybeUndefined<Vec<ID>>,
    /// New cadence (cannot be null).
    pub(super) cadence: MaybeUndefined<Cadence>,
    /// New first due date (cannot be null).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) first_due_date: MaybeUndefined<NaiveDate>,
    /// New end of the series; null: open-ended.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) repeat_until: MaybeUndefined<NaiveDate>,
    /// New status (cannot be null).
    pub(super) status: MaybeUndefined<ActionStatus>,
}

/// A follow-up action item, created in the same plan (and for the same
/// objective) as the item assessed.
#[derive(InputObject)]
pub struct FollowUpActionInput {
    /// What is to be done.
    pub(super) title: String,
    /// Its first (or only) due date.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) due_date: NaiveDate,
    /// Who does it (default: the assessed item's assignee).
    pub(super) assignee_id: Option<ID>,
    /// How often it recurs (default ONCE).
    pub(super) cadence: Option<Cadence>,
}

/// Input of `completeOccurrence`.
#[derive(InputObject)]
pub struct CompleteOccurrenceInput {
    /// The action item.
    pub(super) action_item_id: ID,
    /// The occurrence (its due date); must be an occurrence of the item.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) due_date: NaiveDate,
    /// Whether it happened.
    pub(super) happened: bool,
    /// When it happened, not in the future (default: the due date, or today
    /// if that is later than today).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) date: Option<NaiveDate>,
    /// Value delivered, 1 to 5: required when it happened, refused otherwise.
    pub(super) value_delivered: Option<i32>,
    /// What was learned (at most 5000 characters).
    pub(super) learned: Option<String>,
    /// What to revise in the plan (at most 5000 characters).
    pub(super) revise: Option<String>,
    /// A follow-up action item to create in the same step.
    pub(super) follow_up: Option<FollowUpActionInput>,
}

/// Result of `createActionItem` and `updateActionItem`.
#[derive(SimpleObject)]
pub struct ActionItemPayload {
    /// The action item as it is now.
    pub(super) action_item: ActionItem,
}

/// Result of `completeOccurrence`.
#[derive(SimpleObject)]
pub struct CompleteOccurrencePayload {
    /// The assessment recorded.
    pub(super) assessment: Assessment,
    /// The action item as it is now (a ONCE item is DONE).
    pub(super) action_item: ActionItem,
    /// The follow-up action item, if one was asked for.
    pub(super) follow_up: Option<ActionItem>,
}
