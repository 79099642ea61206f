//! The inputs and the payload of the account mutations.

use super::object::Account;
use crate::graphql::common::enums::{AccountStatus, Tier};
use crate::graphql::common::values::{ExternalRefInputGql, MoneyInputGql};
use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};

/// Input of `createAccount`.
#[derive(InputObject)]
pub struct CreateAccountInput {
    /// The customer's name (required, at most 200 characters).
    pub(super) name: String,
    /// Industry.
    pub(super) industry: Option<String>,
    /// Web site, an http(s) URL.
    pub(super) website: Option<String>,
    /// Region or territory.
    pub(super) region: Option<String>,
    /// Lifecycle status (default PROSPECT).
    pub(super) status: Option<AccountStatus>,
    /// Tier (default GROWTH).
    pub(super) tier: Option<Tier>,
    /// Owner (default: you). Account managers can only create accounts they own.
    pub(super) owner_id: Option<ID>,
    /// The parent account (a global account over its subsidiaries), of your
    /// tenant; a hierarchy is at most 10 levels deep.
    pub(super) parent_id: Option<ID>,
    /// Annual revenue with us.
    pub(super) annual_revenue: Option<MoneyInputGql>,
    /// Estimate of the customer's total spend in our category.
    pub(super) wallet_estimate: Option<MoneyInputGql>,
    /// The same account in another system (unique per tenant).
    pub(super) external_ref: Option<ExternalRefInputGql>,
}

/// Input of `updateAccount`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdateAccountInput {
    /// The account to change.
    pub(super) id: ID,
    /// New name (cannot be null).
    pub(super) name: MaybeUndefined<String>,
    /// New industry.
    pub(super) industry: MaybeUndefined<String>,
    /// New web site.
    pub(super) website: MaybeUndefined<String>,
    /// New region.
    pub(super) region: MaybeUndefined<String>,
    /// New status (cannot be null).
    pub(super) status: MaybeUndefined<AccountStatus>,
    /// New tier (cannot be null).
    pub(super) tier: MaybeUndefined<Tier>,
    /// New owner (cannot be null); the owner's team membership moves with it.
    pub(super) owner_id: MaybeUndefined<ID>,
    /// New parent account (`null`: the account becomes a root). Neither the
    /// account itself nor one of its subsidiaries (`VALIDATION`: a cycle).
    pub(super) parent_id: MaybeUndefined<ID>,
    /// New annual revenue.
    pub(super) annual_revenue: MaybeUndefined<MoneyInputGql>,
    /// New wallet estimate.
    pub(super) wallet_estimate: MaybeUndefined<MoneyInputGql>,
    /// New external reference.
    pub(super) external_ref: MaybeUndefined<ExternalRefInputGql>,
}

/// Input naming one account.
#[derive(InputObject)]
pub struct AccountIdInput {
    /// The account.
    pub(super) id: ID,
}

/// Result of an account mutation.
#[derive(SimpleObject)]
pub struct AccountPayload {
    /// The account as it is now.
    pub(super) account: Account,
}
