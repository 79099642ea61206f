//! The customer's success criteria (`account.successCriteria`, an
//! objective's `successCriterion`) and the value chain
//! (`account.valueChain`), with their mutations.

use crate::graphql::common::decimal::{Dec, E4};
use crate::graphql::common::ids::{GlobalId, Kind, decode};
use crate::graphql::common::object::object;
use crate::graphql::common::values::patch;
use crate::graphql::whitespace::Product;
use crate::graphql::{in_input, loaders, principal, state};
use crate::loaders::Row;
use crate::services::success as svc;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::success::{CriterionInput, CriterionPatch, ValueLinkInput, ValueLinkPatch};
use domain::{AccountId, Patch};
use persistence::entity::{success_criterion as criterion, value_chain_link as link};
use std::sync::Arc;

/// A success criterion of the customer.
#[derive(Clone)]
pub struct SuccessCriterion(pub Row<criterion::Model>);

object! {
    /// How the customer measures success, as the customer defines it: a
    /// metric, where it stands (baseline), where it should get (target) and
    /// by when. Plan objectives may serve one.
    #[Object]
    impl SuccessCriterion(criterion::Model) fields criterion_fields {
        /// The id (for the mutations and `successCriterionId` links).
        pub(crate) leaf "id" id(c) -> GlobalId {
            GlobalId(Kind::SuccessCriterion, c.id)
        }
        /// The account's id.
        leaf "accountId" account_id(c) -> GlobalId {
            GlobalId(Kind::Account, c.account_id)
        }
        /// What is measured.
        leaf "metric" metric(c) -> &str {
            &c.metric
        }
        /// The unit of the values.
        leaf "unit" unit(c) -> Option<&str> {
            c.unit.as_deref()
        }
        /// Where the metric stands at the start.
        leaf "baseline" baseline(c) [baseline_e4] -> Option<E4> {
            c.baseline_e4.map(E4)
        }
        /// Where it should get.
        leaf "target" target(c) [target_e4] -> E4 {
            E4(c.target_e4)
        }
        /// By when.
        leaf "dueDate" due_date(c) -> Option<NaiveDate> {
            c.due_date
        }
        /// Notes.
        leaf "notes" notes(c) -> Option<&str> {
            c.notes.as_deref()
        }
        /// When it last changed.
        leaf "updatedAt" updated_at(c) -> DateTime<Utc> {
            c.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(c) -> i64 {
            c.version
        }
    }
}

/// A value-chain entry.
#[derive(Clone)]
pub struct ValueChainLink(pub Row<link::Model>);

object! {
    /// One of our products tied to the customer's business outcome (and
    /// optionally to the success criterion it moves).
    #[Object]
    impl ValueChainLink(link::Model) fields value_link_fields {
        /// The id (for the mutations).
        pub(crate) leaf "id" id(l) -> GlobalId {
            GlobalId(Kind::ValueChainLink, l.id)
        }
        /// The account's id.
        leaf "accountId" account_id(l) -> GlobalId {
            GlobalId(Kind::Account, l.account_id)
        }
        /// The product's id.
        leaf "productId" product_id(l) -> GlobalId {
            GlobalId(Kind::Product, l.product_id)
        }
        /// The product of ours.
        async fn product(&self, ctx: &Context<'_>) -> Result<Option<Product>> {
            Ok(loaders(ctx)?
                .white_space()
                .catalogue()
                .await?
                .get(self.0.product_id)
                .map(Product))
        }
        /// The customer's business outcome it serves.
        leaf "businessOutcome" business_outcome(l) -> &str {
            &l.business_outcome
        }
        /// The success criterion's id, if linked.
        leaf "successCriterionId" success_criterion_id(l) -> Option<GlobalId> {
            l.success_criterion_id.map(|c| GlobalId(Kind::SuccessCriterion, c))
        }
        /// The success criterion it moves, if linked.
        async fn success_criterion(&self, ctx: &Context<'_>) -> Result<Option<SuccessCriterion>> {
            criterion_by_id(ctx, self.0.success_criterion_id).await
        }
        /// Notes.
        leaf "notes" notes(l) -> Option<&str> {
            l.notes.as_deref()
        }
        /// Increases by one with every change.
        leaf "version" version(l) -> i64 {
            l.version
        }
    }
}

/// A criterion by id through the request's loaders (none for `None`).
pub(crate) async fn criterion_by_id(
    ctx: &Context<'_>,
    id: Option<uuid::Uuid>,
) -> Result<Option<SuccessCriterion>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(loaders(ctx)?.criterion(id).await?.map(SuccessCriterion)),
    }
}

/// Input of `addSuccessCriterion`.
#[derive(InputObject)]
pub struct AddSuccessCriterionInput {
    /// The account.
    account_id: ID,
    /// What is measured (required, at most 200 characters).
    metric: String,
    /// The unit (at most 50 characters).
    unit: Option<String>,
    /// Where it stands (at most 4 decimals).
    baseline: Option<Dec>,
    /// Where it should get (at most 4 decimals).
    target: Dec,
    /// By when.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    due_date: Option<NaiveDate>,
    /// Notes (at most 5000 characters).
    notes: Option<String>,
}

/// Input of `updateSuccessCriterion`: absent fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateSuccessCriterionInput {
    /// The criterion.
    id: ID,
    /// New metric (cannot be null).
    metric: MaybeUndefined<String>,
    /// New unit.
    unit: MaybeUndefined<String>,
    /// New baseline.
    baseline: MaybeUndefined<Dec>,
    /// New target (cannot be null).
    target: MaybeUndefined<Dec>,
    /// New due date.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    due_date: MaybeUndefined<NaiveDate>,
    /// New notes.
    notes: MaybeUndefined<String>,
}

/// Input of `addValueChainLink`.
#[derive(InputObject)]
pub struct AddValueChainLinkInput {
    /// The account.
    account_id: ID,
    /// A product of the tenant's catalogue.
    product_id: ID,
    /// The customer's business outcome (required, at most 500 characters).
    business_outcome: String,
    /// A success criterion of the same account it moves.
    success_criterion_id: Option<ID>,
    /// Notes.
    notes: Option<String>,
}

/// Input of `updateValueChainLink`: absent fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateValueChainLinkInput {
    /// The entry.
    id: ID,
    /// New product (cannot be null).
    product_id: MaybeUndefined<ID>,
    /// New outcome (cannot be null).
    business_outcome: MaybeUndefined<String>,
    /// New success criterion.
    success_criterion_id: MaybeUndefined<ID>,
    /// New notes.
    notes: MaybeUndefined<String>,
}

/// Input naming a success criterion or a value-chain entry.
#[derive(InputObject)]
pub struct SuccessRecordIdInput {
    /// The record.
    id: ID,
}

/// Result of a success-criterion mutation.
#[derive(SimpleObject)]
pub struct SuccessCriterionPayload {
    /// The criterion as it is now.
    success_criterion: SuccessCriterion,
}

/// Result of a value-chain mutation.
#[derive(SimpleObject)]
pub struct ValueChainLinkPayload {
    /// The entry as it is now.
    value_chain_link: ValueChainLink,
}

fn id_patch(
    v: MaybeUndefined<ID>,
    kind: Kind,
    field: &str,
) -> Result<Patch<uuid::Uuid>, crate::error::ApiError> {
    Ok(match v {
        MaybeUndefined::Value(i) => Patch::Set(decode(kind, &i, field).map_err(in_input)?),
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Undefined => Patch::Unchanged,
    })
}

fn account_of(id: &ID) -> Result<AccountId, crate::error::ApiError> {
    Ok(AccountId(
        decode(Kind::Account, id, "accountId").map_err(in_input)?,
    ))
}

fn criterion_payload(m: criterion::Model) -> SuccessCriterionPayload {
    SuccessCriterionPayload {
        success_criterion: SuccessCriterion(Arc::new(m)),
    }
}

fn link_payload(m: link::Model) -> ValueChainLinkPayload {
    ValueChainLinkPayload {
        value_chain_link: ValueChainLink(Arc::new(m)),
    }
}

#[derive(Default)]
pub struct SuccessMutation;

/// Mutations of success criteria and the value chain (the account's writers).
#[Object]
impl SuccessMutation {
    /// Records a success criterion of the customer.
    async fn add_success_criterion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddSuccessCriterionInput,
    ) -> Result<SuccessCriterionPayload> {
        let p = principal(ctx)?;
        let raw = CriterionInput {
            metric: input.metric,
            unit: input.unit,
            baseline: input.baseline.map(|d| d.0),
            target: input.target.0,
            due_date: input.due_date,
            notes: input.notes,
        };
        let m = svc::add_criterion(&state(ctx)?.db, p, account_of(&input.account_id)?, raw)
            .await
            .map_err(in_input)?;
        Ok(criterion_payload(m))
    }

    /// Changes a success criterion.
    async fn update_success_criterion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateSuccessCriterionInput,
    ) -> Result<SuccessCriterionPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::SuccessCriterion, &input.id, "id").map_err(in_input)?;
        let raw = CriterionPatch {
            metric: patch(input.metric, |v| v),
            unit: patch(input.unit, |v| v),
            baseline: patch(input.baseline, |v| v.0),
            target: patch(input.target, |v| v.0),
            due_date: patch(input.due_date, |v| v),
            notes: patch(input.notes, |v| v),
        };
        let m = svc::update_criterion(&state(ctx)?.db, p, id, raw)
            .await
            .map_err(in_input)?;
        Ok(criterion_payload(m))
    }

    /// Removes a success criterion (a tombstone stays); objectives and
    /// value-chain entries that served it are unlinked.
    async fn remove_success_criterion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SuccessRecordIdInput,
    ) -> Result<SuccessCriterionPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::SuccessCriterion, &input.id, "id").map_err(in_input)?;
        let m = svc::remove_criterion(&state(ctx)?.db, p, id)
            .await
            .map_err(in_input)?;
        Ok(criterion_payload(m))
    }

    /// Ties one of our products to a business outcome of the customer.
    async fn add_value_chain_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddValueChainLinkInput,
    ) -> Result<ValueChainLinkPayload> {
        let p = principal(ctx)?;
        let raw = ValueLinkInput {
            product_id: decode(Kind::Product, &input.product_id, "productId").map_err(in_input)?,
            business_outcome: input.business_outcome,
            criterion_id: input
                .success_criterion_id
                .as_ref()
                .map(|c| decode(Kind::SuccessCriterion, c, "successCriterionId"))
                .transpose()
                .map_err(in_input)?,
            notes: input.notes,
        };
        let m = svc::add_link(&state(ctx)?.db, p, account_of(&input.account_id)?, raw)
            .await
            .map_err(in_input)?;
        Ok(link_payload(m))
    }

    /// Changes a value-chain entry.
    async fn update_value_chain_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateValueChainLinkInput,
    ) -> Result<ValueChainLinkPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::ValueChainLink, &input.id, "id").map_err(in_input)?;
        let raw = ValueLinkPatch {
            product_id: id_patch(input.product_id, Kind::Product, "productId")?,
            business_outcome: patch(input.business_outcome, |v| v),
            criterion_id: id_patch(
                input.success_criterion_id,
                Kind::SuccessCriterion,
                "successCriterionId",
            )?,
            notes: patch(input.notes, |v| v),
        };
        let m = svc::update_link(&state(ctx)?.db, p, id, raw)
            .await
            .map_err(in_input)?;
        Ok(link_payload(m))
    }

    /// Removes a value-chain entry (a tombstone stays).
    async fn remove_value_chain_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SuccessRecordIdInput,
    ) -> Result<ValueChainLinkPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::ValueChainLink, &input.id, "id").map_err(in_input)?;
        let m = svc::remove_link(&state(ctx)?.db, p, id)
            .await
            .map_err(in_input)?;
        Ok(link_payload(m))
    }
}
