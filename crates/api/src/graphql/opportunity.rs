//! Opportunities: the `Opportunity` object (`account.opportunities`), the
//! account's pipeline totals (`account.pipeline`), and the mutations.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::OpportunityStage;
use crate::graphql::common::ids::{GlobalId, Kind, decode};
use crate::graphql::common::object::object;
use crate::graphql::common::values::{
    ExternalRef, ExternalRefInputGql, Money, MoneyInputGql, external, money_of, patch,
};
use crate::graphql::{in_input, loaders, principal, state};
use crate::loaders::Row;
use crate::services::opportunities as svc;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::AccountId;
use domain::opportunity::{OpportunityInput, OpportunityPatchInput};
use persistence::entity::opportunity;
use rust_decimal::Decimal;
use std::sync::Arc;

/// An opportunity with the customer.
#[derive(Clone)]
pub struct Opportunity(pub Row<opportunity::Model>);

object! {
    /// Business we expect to win with the customer (usually synced from a
    /// CRM through `externalRef`).
    #[Object]
    impl Opportunity(opportunity::Model) fields opportunity_fields {
        /// The global id.
        pub(crate) leaf "id" id(o) -> GlobalId {
            GlobalId(Kind::Opportunity, o.id)
        }
        /// The account's id.
        leaf "accountId" account_id(o) -> GlobalId {
            GlobalId(Kind::Account, o.account_id)
        }
        /// The account.
        async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
            let a = loaders(ctx)?
                .account(self.0.account_id)
                .await?
                .ok_or_else(|| ApiError::not_found("account"))?;
            Ok(Account(a))
        }
        /// The opportunity's name.
        leaf "name" name(o) -> &str {
            &o.name
        }
        /// What it is worth.
        value "value" value(o) [value_minor, value_currency] -> Money {
            money_of(o.value_minor, &o.value_currency)
        }
        /// Where it stands.
        leaf "stage" stage(o) -> OpportunityStage {
            OpportunityStage::from_db(&o.stage)
        }
        /// When it is expected to close.
        leaf "expectedClose" expected_close(o) -> NaiveDate {
            o.expected_close
        }
        /// The chance of winning it, 0 to 100.
        leaf "probability" probability(o) -> i32 {
            i32::from(o.probability)
        }
        /// The product of ours it is for (no lookup).
        leaf "productId" product_id(o) -> Option<GlobalId> {
            o.product_id.map(|p| GlobalId(Kind::Product, p))
        }
        /// The white-space cell it works on (no lookup).
        leaf "whiteSpaceCellId" white_space_cell_id(o) -> Option<GlobalId> {
            o.white_space_cell_id.map(|c| GlobalId(Kind::WhiteSpaceCell, c))
        }
        /// The plan objective it serves (no lookup).
        leaf "objectiveId" objective_id(o) -> Option<GlobalId> {
            o.objective_id.map(|c| GlobalId(Kind::Objective, c))
        }
        /// The same opportunity in a CRM.
        value "externalRef" external_ref(o) [source, external_id] -> Option<ExternalRef> {
            external(&o.source, &o.external_id)
        }
        /// When it was created.
        leaf "createdAt" created_at(o) -> DateTime<Utc> {
            o.created_at
        }
        /// When it last changed.
        leaf "updatedAt" updated_at(o) -> DateTime<Utc> {
            o.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(o) -> i64 {
            o.version
        }
    }
}

/// The open pipeline of an account in one currency.
pub struct PipelineTotal {
    pub currency: String,
    pub open_minor: i64,
    pub weighted_minor: i64,
    pub count: i64,
}

object! {
    /// The open pipeline of an account in one currency (opportunities not
    /// closed).
    #[Object]
    impl PipelineTotal(self) fields pipeline_total_fields {
        /// ISO 4217 code.
        leaf "currency" currency(t) -> &str {
            &t.currency
        }
        /// The value of the open opportunities.
        leaf "open" open(t) -> Dec {
            Dec(domain::text::currency_scaled(Decimal::new(t.open_minor, 4), &t.currency))
        }
        /// The same, each weighted by its probability.
        leaf "weighted" weighted(t) -> Dec {
            Dec(domain::text::currency_scaled(Decimal::new(t.weighted_minor, 4), &t.currency))
        }
        /// How many open opportunities.
        leaf "count" count(t) -> i64 {
            t.count
        }
    }
}

/// The pipeline per currency (by currency code) of one account's
/// opportunities; both read paths compute it here.
pub(crate) fn pipeline_of(rows: &[&opportunity::Model]) -> Vec<PipelineTotal> {
    let mut by: std::collections::BTreeMap<&str, (i64, i128, i64)> = Default::default();
    for o in rows.iter().filter(|o| {
        domain::opportunity::OpportunityStage::from_str_opt(&o.stage).is_some_and(|s| s.open())
    }) {
        let e = by.entry(o.value_currency.as_str()).or_default();
        e.0 = e.0.saturating_add(o.value_minor);
        e.1 += i128::from(o.value_minor) * i128::from(o.probability);
        e.2 += 1;
    }
    by.into_iter()
        .map(|(c, (open, weighted, count))| PipelineTotal {
            currency: c.to_owned(),
            open_minor: open,
            weighted_minor: i64::try_from(weighted / 100).unwrap_or(i64::MAX),
            count,
        })
        .collect()
}

/// Input of `createOpportunity`.
#[derive(InputObject)]
pub struct CreateOpportunityInput {
    /// The account.
    account_id: ID,
    /// The opportunity's name (required, at most 200 characters).
    name: String,
    /// What it is worth.
    value: MoneyInputGql,
    /// Where it stands (default PROSPECTING).
    stage: Option<OpportunityStage>,
    /// When it is expected to close.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    expected_close: NaiveDate,
    /// 0 to 100 (default: the stage's, 10 to 75; CLOSED_WON 100, CLOSED_LOST 0).
    probability: Option<i32>,
    /// A product of the tenant's catalogue.
    product_id: Option<ID>,
    /// A white-space cell of the same account.
    white_space_cell_id: Option<ID>,
    /// An objective of a plan of the same account.
    objective_id: Option<ID>,
    /// The same opportunity in a CRM (unique per tenant).
    external_ref: Option<ExternalRefInputGql>,
}

/// Input of `updateOpportunity`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdateOpportunityInput {
    /// The opportunity.
    id: ID,
    /// New name (cannot be null).
    name: MaybeUndefined<String>,
    /// New value (cannot be null).
    value: MaybeUndefined<MoneyInputGql>,
    /// New stage (cannot be null; without a probability it takes the stage's).
    stage: MaybeUndefined<OpportunityStage>,
    /// New expected close (cannot be null).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    expected_close: MaybeUndefined<NaiveDate>,
    /// New probability (cannot be null).
    probability: MaybeUndefined<i32>,
    /// New product.
    product_id: MaybeUndefined<ID>,
    /// New white-space cell.
    white_space_cell_id: MaybeUndefined<ID>,
    /// New objective.
    objective_id: MaybeUndefined<ID>,
    /// New external reference.
    external_ref: MaybeUndefined<ExternalRefInputGql>,
}

/// Input naming one opportunity.
#[derive(InputObject)]
pub struct OpportunityIdInput {
    /// The opportunity.
    id: ID,
}

/// Result of an opportunity mutation.
#[derive(SimpleObject)]
pub struct OpportunityPayload {
    /// The opportunity as it is now.
    opportunity: Opportunity,
}

fn opt(id: Option<&ID>, kind: Kind, field: &str) -> Result<Option<uuid::Uuid>, ApiError> {
    id.map(|i| decode(kind, i, field))
        .transpose()
        .map_err(in_input)
}

fn id_patch(
    v: MaybeUndefined<ID>,
    kind: Kind,
    field: &str,
) -> Result<domain::Patch<uuid::Uuid>, ApiError> {
    Ok(match v {
        MaybeUndefined::Value(i) => domain::Patch::Set(decode(kind, &i, field).map_err(in_input)?),
        MaybeUndefined::Null => domain::Patch::Clear,
        MaybeUndefined::Undefined => domain::Patch::Unchanged,
    })
}

fn payload(m: opportunity::Model) -> OpportunityPayload {
    OpportunityPayload {
        opportunity: Opportunity(Arc::new(m)),
    }
}

#[derive(Default)]
pub struct OpportunityMutation;

/// Mutations of opportunities (the account's writers).
#[Object]
impl OpportunityMutation {
    /// Adds an opportunity to an account.
    async fn create_opportunity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreateOpportunityInput,
    ) -> Result<OpportunityPayload> {
        let p = principal(ctx)?;
        let account =
            AccountId(decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?);
        let raw = OpportunityInput {
            name: input.name,
            value: input.value.into(),
            stage: input.stage.map(Into::into),
            expected_close: input.expected_close,
            probability: input.probability,
            product_id: opt(input.product_id.as_ref(), Kind::Product, "productId")?,
            white_space_cell_id: opt(
                input.white_space_cell_id.as_ref(),
                Kind::WhiteSpaceCell,
                "whiteSpaceCellId",
            )?,
            objective_id: opt(input.objective_id.as_ref(), Kind::Objective, "objectiveId")?,
            external_ref: input.external_ref.map(Into::into),
        };
        let m = svc::create(&state(ctx)?.db, p, account, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Changes an opportunity.
    async fn update_opportunity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateOpportunityInput,
    ) -> Result<OpportunityPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Opportunity, &input.id, "id").map_err(in_input)?;
        let raw = OpportunityPatchInput {
            name: patch(input.name, |v| v),
            value: patch(input.value, Into::into),
            stage: patch(input.stage, Into::into),
            expected_close: patch(input.expected_close, |v| v),
            probability: patch(input.probability, |v| v),
            product_id: id_patch(input.product_id, Kind::Product, "productId")?,
            white_space_cell_id: id_patch(
                input.white_space_cell_id,
                Kind::WhiteSpaceCell,
                "whiteSpaceCellId",
            )?,
            objective_id: id_patch(input.objective_id, Kind::Objective, "objectiveId")?,
            external_ref: patch(input.external_ref, Into::into),
        };
        let m = svc::update(&state(ctx)?.db, p, id, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Deletes an opportunity (a tombstone stays for integrations).
    async fn delete_opportunity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: OpportunityIdInput,
    ) -> Result<OpportunityPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Opportunity, &input.id, "id").map_err(in_input)?;
        let m = svc::delete(&state(ctx)?.db, p, id)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }
}
