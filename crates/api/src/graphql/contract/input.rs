//! The inputs and the payload of the contract mutations.

use super::object::Contract;
use crate::graphql::common::enums::{ContractRisk, ContractStage};
use crate::graphql::common::values::{ExternalRefInputGql, MoneyInputGql};
use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};
use chrono::NaiveDate;

/// Input of `createContract`.
#[derive(InputObject)]
pub struct CreateContractInput {
    /// The account the contract is with.
    pub(super) account_id: ID,
    /// The contract's name (required, at most 200 characters).
    pub(super) name: String,
    /// What it is worth over its term.
    pub(super) value: MoneyInputGql,
    /// The first day of the term.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) start_date: NaiveDate,
    /// The last day of the term (not before the start; absent: open-ended).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) end_date: Option<NaiveDate>,
    /// When the renewal is due (within the term).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) renewal_date: Option<NaiveDate>,
    /// Where the renewal stands (default OPEN).
    pub(super) stage: Option<ContractStage>,
    /// The renewal's risk (default LOW).
    pub(super) risk: Option<ContractRisk>,
    /// Why (required for MEDIUM and HIGH; at most 1,000 characters).
    pub(super) risk_reason: Option<String>,
    /// The same contract in a CRM (unique per tenant).
    pub(super) external_ref: Option<ExternalRefInputGql>,
}

/// Input of `updateContract`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdateContractInput {
    /// The contract.
    pub(super) id: ID,
    /// New name (cannot be null).
    pub(super) name: MaybeUndefined<String>,
    /// New value (cannot be null).
    pub(super) value: MaybeUndefined<MoneyInputGql>,
    /// New start (cannot be null).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) start_date: MaybeUndefined<NaiveDate>,
    /// New end (`null`: open-ended).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) end_date: MaybeUndefined<NaiveDate>,
    /// New renewal date.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    pub(super) renewal_date: MaybeUndefined<NaiveDate>,
    /// New stage (cannot be null).
    pub(super) stage: MaybeUndefined<ContractStage>,
    /// New risk (cannot be null).
    pub(super) risk: MaybeUndefined<ContractRisk>,
    /// New risk reason.
    pub(super) risk_reason: MaybeUndefined<String>,
    /// New external reference.
    pub(super) external_ref: MaybeUndefined<ExternalRefInputGql>,
}

/// Input naming one contract.
#[derive(InputObject)]
pub struct ContractIdInput {
    /// The contract.
    pub(super) id: ID,
}

/// Result of a contract mutation.
#[derive(SimpleObject)]
pub struct ContractPayload {
    /// The contract as it is now.
    pub(super) contract: Contract,
}
