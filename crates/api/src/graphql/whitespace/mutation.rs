//! The mutations of the catalogue and the white space.

use super::input::{
    AddBusinessUnitInput, BusinessUnitPayload, CreateProductInput, ProductPayload,
    SetBusinessUnitParentInput, SetWhiteSpaceCellInput, SetWhiteSpaceCellPayload,
    UpdateProductInput,
};
use super::object::{BusinessUnit, Product, WhiteSpace, WhiteSpaceCell};
use crate::error::ApiError;
use crate::graphql::common::enums::BusinessUnitKind;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::values::patch;
use crate::graphql::{in_input, principal, state};
use crate::services::whitespace as svc;
use async_graphql::{Context, MaybeUndefined, Object, Result};
use domain::AccountId;
use domain::whitespace::CellInput;
use std::sync::Arc;

#[derive(Default)]
pub struct WhiteSpaceMutation;

/// Mutations of the catalogue and the white space.
#[Object]
impl WhiteSpaceMutation {
    /// Adds a product or service to the tenant's catalogue (admins and
    /// sales managers).
    async fn create_product(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreateProductInput,
    ) -> Result<ProductPayload> {
        let p = principal(ctx)?;
        let m = svc::create_product(
            &state(ctx)?.db,
            p,
            &input.name,
            input.description.as_deref(),
        )
        .await
        .map_err(in_input)?;
        Ok(ProductPayload {
            product: Product(Arc::new(m)),
        })
    }

    /// Renames, describes, retires or reactivates a product (admins and
    /// sales managers).
    async fn update_product(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateProductInput,
    ) -> Result<ProductPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Product, &input.id, "id").map_err(in_input)?;
        let name = match input.name {
            MaybeUndefined::Null => {
                return Err(in_input(ApiError::validation("name", "must not be null")).into());
            }
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Value(n) => Some(n),
        };
        let active = match input.active {
            MaybeUndefined::Null => {
                return Err(in_input(ApiError::validation("active", "must not be null")).into());
            }
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Value(a) => Some(a),
        };
        let m = svc::update_product(
            &state(ctx)?.db,
            p,
            id,
            name.as_deref(),
            patch(input.description, |d| d),
            active,
        )
        .await
        .map_err(in_input)?;
        Ok(ProductPayload {
            product: Product(Arc::new(m)),
        })
    }

    /// Adds a business unit, division or location to an account (writers of
    /// the account).
    async fn add_business_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddBusinessUnitInput,
    ) -> Result<BusinessUnitPayload> {
        let p = principal(ctx)?;
        let account =
            AccountId(decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?);
        let kind = input.kind.unwrap_or(BusinessUnitKind::BusinessUnit).into();
        let parent = input
            .parent_id
            .as_ref()
            .map(|u| decode(Kind::BusinessUnit, u, "parentId"))
            .transpose()
            .map_err(in_input)?;
        let m = svc::add_business_unit(&state(ctx)?.db, p, account, &input.name, kind, parent)
            .await
            .map_err(in_input)?;
        Ok(BusinessUnitPayload {
            business_unit: BusinessUnit(Arc::new(m)),
        })
    }

    /// Puts a business unit under another unit of the same account (the
    /// customer's structure as a tree), or at the top with `parentId: null`;
    /// a cycle or a tree deeper than ten levels is `VALIDATION`.
    async fn set_business_unit_parent(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SetBusinessUnitParentInput,
    ) -> Result<BusinessUnitPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::BusinessUnit, &input.id, "id").map_err(in_input)?;
        let parent = input
            .parent_id
            .as_ref()
            .map(|u| decode(Kind::BusinessUnit, u, "parentId"))
            .transpose()
            .map_err(in_input)?;
        let m = svc::set_unit_parent(&state(ctx)?.db, p, id, parent)
            .await
            .map_err(in_input)?;
        Ok(BusinessUnitPayload {
            business_unit: BusinessUnit(Arc::new(m)),
        })
    }

    /// Sets the cell of a business unit and a product in an account's white
    /// space (writers of the account): creates it, or replaces the cell
    /// already there. A business unit or objective of another account is
    /// VALIDATION; an id that does not resolve in your tenant is NOT_FOUND.
    async fn set_white_space_cell(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SetWhiteSpaceCellInput,
    ) -> Result<SetWhiteSpaceCellPayload> {
        let p = principal(ctx)?;
        let target = svc::CellTarget {
            account_id: AccountId(
                decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?,
            ),
            business_unit_id: decode(
                Kind::BusinessUnit,
                &input.business_unit_id,
                "businessUnitId",
            )
            .map_err(in_input)?,
            product_id: decode(Kind::Product, &input.product_id, "productId").map_err(in_input)?,
            objective_id: input
                .objective_id
                .as_ref()
                .map(|o| decode(Kind::Objective, o, "objectiveId"))
                .transpose()
                .map_err(in_input)?,
            competitor_id: input
                .competitor_id
                .as_ref()
                .map(|o| decode(Kind::Competitor, o, "competitorId"))
                .transpose()
                .map_err(in_input)?,
        };
        let raw = CellInput {
            status: input.status.into(),
            estimated_value: input.estimated_value.map(Into::into),
            competitor: input.competitor,
            notes: input.notes,
        };
        let m = svc::set_cell(&state(ctx)?.db, p, target, raw)
            .await
            .map_err(in_input)?;
        Ok(SetWhiteSpaceCellPayload {
            white_space: WhiteSpace {
                account_id: m.account_id,
            },
            cell: WhiteSpaceCell(Arc::new(m)),
        })
    }
}
