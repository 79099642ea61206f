//! The contract mutations (the account's writers).

use super::input::{ContractIdInput, ContractPayload, CreateContractInput, UpdateContractInput};
use super::object::Contract;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::values::patch;
use crate::graphql::{in_input, principal, state};
use crate::services::contracts as svc;
use async_graphql::{Context, Object, Result};
use domain::AccountId;
use domain::contract::{ContractInput, ContractPatchInput};
use std::sync::Arc;

fn payload(m: persistence::entity::contract::Model) -> ContractPayload {
    ContractPayload {
        contract: Contract(Arc::new(m)),
    }
}

#[derive(Default)]
pub struct ContractMutation;

/// Mutations of contracts.
#[Object]
impl ContractMutation {
    /// Adds a contract to an account.
    async fn create_contract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreateContractInput,
    ) -> Result<ContractPayload> {
        let p = principal(ctx)?;
        let account =
            AccountId(decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?);
        let raw = ContractInput {
            name: input.name,
            value: input.value.into(),
            start_date: input.start_date,
            end_date: input.end_date,
            renewal_date: input.renewal_date,
            stage: input.stage.map(Into::into),
            risk: input.risk.map(Into::into),
            risk_reason: input.risk_reason,
            external_ref: input.external_ref.map(Into::into),
        };
        let m = svc::create(&state(ctx)?.db, p, account, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Changes a contract (checked again as a whole: term, renewal date,
    /// risk reason).
    async fn update_contract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateContractInput,
    ) -> Result<ContractPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Contract, &input.id, "id").map_err(in_input)?;
        let raw = ContractPatchInput {
            name: patch(input.name, |v| v),
            value: patch(input.value, Into::into),
            start_date: patch(input.start_date, |v| v),
            end_date: patch(input.end_date, |v| v),
            renewal_date: patch(input.renewal_date, |v| v),
            stage: patch(input.stage, Into::into),
            risk: patch(input.risk, Into::into),
            risk_reason: patch(input.risk_reason, |v| v),
            external_ref: patch(input.external_ref, Into::into),
        };
        let m = svc::update(&state(ctx)?.db, p, id, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Deletes a contract (a tombstone stays for integrations).
    async fn delete_contract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: ContractIdInput,
    ) -> Result<ContractPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Contract, &input.id, "id").map_err(in_input)?;
        let m = svc::delete(&state(ctx)?.db, p, id)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }
}
