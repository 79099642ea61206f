//! The input and the payload of `logActivity`.

use super::object::Activity;
use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::ActivityKind;
use crate::graphql::common::values::ExternalRefInputGql;
use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, Utc};

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
}

/// Result of `logActivity`.
#[derive(SimpleObject)]
pub struct LogActivityPayload {
    /// The activity logged.
    pub(super) activity: Activity,
}
