//! The inputs and the payload of the contact mutations.

use super::object::Contact;
use crate::graphql::common::enums::{Attitude, BuyingRole, Cadence, ContactChannel, ContactStatus};
use crate::graphql::common::values::ExternalRefInputGql;
use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};

/// Input of `createContact`.
#[derive(InputObject)]
pub struct CreateContactInput {
    /// The account the contact works at.
    pub(super) account_id: ID,
    /// First name (required).
    pub(super) first_name: String,
    /// Last name (required).
    pub(super) last_name: String,
    /// Job title.
    pub(super) title: Option<String>,
    /// Department or business unit.
    pub(super) department: Option<String>,
    /// E-mail address.
    pub(super) email: Option<String>,
    /// Telephone number.
    pub(super) phone: Option<String>,
    /// Status (default ACTIVE).
    pub(super) status: Option<ContactStatus>,
    /// Part played in buying decisions.
    pub(super) buying_role: Option<BuyingRole>,
    /// Weight in decisions, 1 to 5.
    pub(super) influence: Option<i32>,
    /// Attitude towards us.
    pub(super) attitude: Option<Attitude>,
    /// The contact this one reports to (same account).
    pub(super) reports_to_id: Option<ID>,
    /// The user who owns the relationship.
    pub(super) relationship_owner_id: Option<ID>,
    /// How the contact prefers to be reached.
    pub(super) preferred_channel: Option<ContactChannel>,
    /// How often the contact wants to hear from us (a repeating cadence,
    /// not ONCE); the coverage rules flag a key contact not met within it.
    pub(super) preferred_frequency: Option<Cadence>,
    /// The same contact in another system (unique per tenant).
    pub(super) external_ref: Option<ExternalRefInputGql>,
}

/// Input of `updateContact`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdateContactInput {
    /// The contact to change.
    pub(super) id: ID,
    /// New first name (cannot be null).
    pub(super) first_name: MaybeUndefined<String>,
    /// New last name (cannot be null).
    pub(super) last_name: MaybeUndefined<String>,
    /// New title.
    pub(super) title: MaybeUndefined<String>,
    /// New department.
    pub(super) department: MaybeUndefined<String>,
    /// New e-mail.
    pub(super) email: MaybeUndefined<String>,
    /// New phone.
    pub(super) phone: MaybeUndefined<String>,
    /// New status (cannot be null).
    pub(super) status: MaybeUndefined<ContactStatus>,
    /// New buying role.
    pub(super) buying_role: MaybeUndefined<BuyingRole>,
    /// New influence, 1 to 5.
    pub(super) influence: MaybeUndefined<i32>,
    /// New attitude.
    pub(super) attitude: MaybeUndefined<Attitude>,
    /// New manager (same account; cycles are refused).
    pub(super) reports_to_id: MaybeUndefined<ID>,
    /// New relationship owner.
    pub(super) relationship_owner_id: MaybeUndefined<ID>,
    /// New preferred channel.
    pub(super) preferred_channel: MaybeUndefined<ContactChannel>,
    /// New preferred frequency (not ONCE).
    pub(super) preferred_frequency: MaybeUndefined<Cadence>,
    /// New external reference.
    pub(super) external_ref: MaybeUndefined<ExternalRefInputGql>,
}

/// Input of `setContactPreferredColleagues`.
#[derive(InputObject)]
pub struct SetPreferredColleaguesInput {
    /// The contact.
    pub(super) contact_id: ID,
    /// The users of ours the contact prefers to deal with, in order (at
    /// most 10, active, each once); an empty list clears them.
    pub(super) user_ids: Vec<ID>,
}

/// Input naming one contact.
#[derive(InputObject)]
pub struct ContactIdInput {
    /// The contact.
    pub(super) id: ID,
}

/// Result of a contact mutation.
#[derive(SimpleObject)]
pub struct ContactPayload {
    /// The contact as it is now.
    pub(super) contact: Contact,
}
