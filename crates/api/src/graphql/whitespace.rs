//! White space: the tenant's product catalogue, the business units of
//! accounts, and each account's matrix of business units × products.

use super::common::decimal::Dec;
use super::common::enums::{BusinessUnitKind, WhiteSpaceCellStatus};
use super::common::ids::{Kind, decode, encode};
use super::common::values::{Money, MoneyInputGql, patch};
use super::plan::Objective;
use super::types::Account;
use super::{in_input, loaders, principal, state};
use crate::error::ApiError;
use crate::loaders::Row;
use crate::services::whitespace as svc;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::AccountId;
use domain::text::Money as DomainMoney;
use domain::whitespace::{CellInput, CellStatus};
use persistence::entity::{business_unit, product, white_space_cell};
use std::collections::HashSet;
use std::sync::Arc;
use uuid::Uuid;

fn status_of(c: &white_space_cell::Model) -> CellStatus {
    CellStatus::from_str_opt(&c.status).unwrap_or(CellStatus::NotApplicable)
}

fn money_of(c: &white_space_cell::Model) -> Option<DomainMoney> {
    match (c.estimated_value_minor, &c.estimated_value_currency) {
        (Some(m), Some(cur)) => Some(DomainMoney::from_minor_units(m, cur)),
        _ => None,
    }
}

/// A product or service of the tenant's catalogue: a column of the white space.
#[derive(Clone)]
pub struct Product(pub Row<product::Model>);

/// A product or service of the tenant's catalogue: a column of the white space.
#[Object]
impl Product {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::Product, self.0.id)
    }
    /// The product's name (unique in the tenant, case-insensitively).
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What the product or service is.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// False once retired: an inactive product takes no new cells and shows
    /// in a white space only where it already has cells.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When the product was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the product last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// A business unit, division or location of a customer: a row of the
/// account's white space.
#[derive(Clone)]
pub struct BusinessUnit(pub Row<business_unit::Model>);

/// A business unit, division or location of a customer: a row of the
/// account's white space.
#[Object]
impl BusinessUnit {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::BusinessUnit, self.0.id)
    }
    /// The account's id (no lookup; select `account` for the account).
    async fn account_id(&self) -> ID {
        encode(Kind::Account, self.0.account_id)
    }
    /// The account the unit is part of.
    async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
        let a = loaders(ctx)?
            .account(self.0.account_id)
            .await?
            .ok_or_else(|| ApiError::not_found("account"))?;
        Ok(Account(a))
    }
    /// The unit's name (unique in the account, case-insensitively).
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Business unit, division or location.
    async fn kind(&self) -> BusinessUnitKind {
        domain::whitespace::BusinessUnitKind::from_str_opt(&self.0.kind)
            .unwrap_or(domain::whitespace::BusinessUnitKind::BusinessUnit)
            .into()
    }
    /// When the unit was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the unit last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// One cell of an account's white space: what one business unit does about
/// one product.
#[derive(Clone)]
pub struct WhiteSpaceCell(pub Row<white_space_cell::Model>);

/// One cell of an account's white space: what one business unit does about
/// one product.
#[Object]
impl WhiteSpaceCell {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::WhiteSpaceCell, self.0.id)
    }
    /// The business unit's id (no lookup).
    async fn business_unit_id(&self) -> ID {
        encode(Kind::BusinessUnit, self.0.business_unit_id)
    }
    /// The business unit (the row).
    async fn business_unit(&self, ctx: &Context<'_>) -> Result<BusinessUnit> {
        let u = loaders(ctx)?
            .white_space()
            .unit_of(&self.0)
            .await?
            .ok_or_else(|| ApiError::Internal("business unit of a cell missing".into()))?;
        Ok(BusinessUnit(u))
    }
    /// The product's id (no lookup).
    async fn product_id(&self) -> ID {
        encode(Kind::Product, self.0.product_id)
    }
    /// The product (the column).
    async fn product(&self, ctx: &Context<'_>) -> Result<Product> {
        let p = loaders(ctx)?
            .white_space()
            .catalogue()
            .await?
            .get(self.0.product_id)
            .ok_or_else(|| ApiError::Internal("product of a cell missing".into()))?;
        Ok(Product(p))
    }
    /// What the cell holds.
    async fn status(&self) -> WhiteSpaceCellStatus {
        status_of(&self.0).into()
    }
    /// What the business is worth (a year).
    async fn estimated_value(&self) -> Option<Money> {
        money_of(&self.0).map(|m| Money {
            amount: Dec(m.amount),
            currency: m.currency.as_str().to_owned(),
        })
    }
    /// The competitor holding the business (COMPETITOR_HELD cells only).
    async fn competitor(&self) -> Option<&str> {
        self.0.competitor.as_deref()
    }
    /// Free notes.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// The id of the objective pursuing the opportunity (no lookup).
    async fn objective_id(&self) -> Option<ID> {
        self.0.objective_id.map(|id| encode(Kind::Objective, id))
    }
    /// The plan objective pursuing the opportunity (OPPORTUNITY cells only).
    async fn objective(&self, ctx: &Context<'_>) -> Result<Option<Objective>> {
        match self.0.objective_id {
            None => Ok(None),
            Some(id) => Ok(loaders(ctx)?.objective(id).await?.map(Objective)),
        }
    }
    /// When the cell was first set.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the cell last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// The estimated values of a white space in one currency, by status.
/// NOT_APPLICABLE cells and cells without a value count nowhere.
#[derive(SimpleObject, Clone)]
pub struct WhiteSpaceTotals {
    /// ISO 4217 currency code of the amounts.
    currency: String,
    /// Sum over SERVICED cells: the business we have.
    serviced: Dec,
    /// Sum over OPPORTUNITY cells: the business we could win.
    open_opportunity: Dec,
    /// Sum over COMPETITOR_HELD cells: the business competitors hold.
    competitor_held: Dec,
}

/// An account's white space: its business units (rows) × the catalogue's
/// products (columns), with the cells set so far. Each part loads on its
/// own, batched across a page of accounts.
pub struct WhiteSpace {
    /// The account.
    pub account_id: Uuid,
}

/// An account's white space: its business units (rows) × the catalogue's
/// products (columns), with the cells set so far and their totals.
#[Object]
impl WhiteSpace {
    /// The account's business units, divisions and locations, by name.
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn rows(&self, ctx: &Context<'_>) -> Result<Vec<BusinessUnit>> {
        let units = loaders(ctx)?
            .white_space()
            .account_units(self.account_id)
            .await?;
        Ok(units.iter().cloned().map(BusinessUnit).collect())
    }
    /// The catalogue's active products, and inactive ones that have cells
    /// here, by name.
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn columns(&self, ctx: &Context<'_>) -> Result<Vec<Product>> {
        let l = loaders(ctx)?.white_space();
        let catalogue = l.catalogue().await?;
        let used: HashSet<Uuid> = if catalogue.products.iter().all(|p| p.active) {
            HashSet::new()
        } else {
            let cells = l.account_cells(self.account_id).await?;
            cells.iter().map(|c| c.product_id).collect()
        };
        Ok(catalogue
            .products
            .iter()
            .filter(|p| p.active || used.contains(&p.id))
            .cloned()
            .map(Product)
            .collect())
    }
    /// The cells set so far, by business unit name, then product name. A
    /// pair without a cell has not been assessed.
    #[graphql(complexity = "crate::limits::CELLS_SIZE * child_complexity + 1")]
    async fn cells(&self, ctx: &Context<'_>) -> Result<Vec<WhiteSpaceCell>> {
        let cells = loaders(ctx)?
            .white_space()
            .account_cells(self.account_id)
            .await?;
        Ok(cells.iter().cloned().map(WhiteSpaceCell).collect())
    }
    /// Serviced, open-opportunity and competitor-held value, one entry per
    /// currency (by currency code); empty when no cell has a value.
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn totals(&self, ctx: &Context<'_>) -> Result<Vec<WhiteSpaceTotals>> {
        let cells = loaders(ctx)?
            .white_space()
            .account_cells(self.account_id)
            .await?;
        let values: Vec<(CellStatus, Option<DomainMoney>)> =
            cells.iter().map(|c| (status_of(c), money_of(c))).collect();
        Ok(domain::whitespace::totals(&values)
            .into_iter()
            .map(|t| {
                let c = t.currency.as_str();
                WhiteSpaceTotals {
                    currency: c.to_owned(),
                    serviced: Dec(domain::text::currency_scaled(t.serviced, c)),
                    open_opportunity: Dec(domain::text::currency_scaled(t.open_opportunity, c)),
                    competitor_held: Dec(domain::text::currency_scaled(t.competitor_held, c)),
                }
            })
            .collect())
    }
}

#[derive(Default)]
pub struct WhiteSpaceQuery;

/// Queries about the product catalogue.
#[Object]
impl WhiteSpaceQuery {
    /// The tenant's catalogue of products and services, by name
    /// (case-insensitive, bytewise on the lowercase name).
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn products(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Also list inactive products (default false).")] include_inactive: Option<
            bool,
        >,
    ) -> Result<Vec<Product>> {
        let all = include_inactive.unwrap_or(false);
        let catalogue = loaders(ctx)?.white_space().catalogue().await?;
        Ok(catalogue
            .products
            .iter()
            .filter(|p| all || p.active)
            .cloned()
            .map(Product)
            .collect())
    }
}

/// Input of `createProduct`.
#[derive(InputObject)]
pub struct CreateProductInput {
    /// The product's name (required, at most 200 characters, unique in the
    /// tenant case-insensitively).
    name: String,
    /// What the product or service is (at most 5000 characters).
    description: Option<String>,
}

/// Input of `updateProduct`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdateProductInput {
    /// The product to change.
    id: ID,
    /// New name (cannot be null).
    name: MaybeUndefined<String>,
    /// New description.
    description: MaybeUndefined<String>,
    /// Retire (false) or reactivate (true) the product (cannot be null).
    active: MaybeUndefined<bool>,
}

/// Result of a product mutation.
#[derive(SimpleObject)]
pub struct ProductPayload {
    /// The product as it is now.
    product: Product,
}

/// Input of `addBusinessUnit`.
#[derive(InputObject)]
pub struct AddBusinessUnitInput {
    /// The account.
    account_id: ID,
    /// The unit's name (required, at most 200 characters, unique in the
    /// account case-insensitively).
    name: String,
    /// Business unit, division or location (default BUSINESS_UNIT).
    kind: Option<BusinessUnitKind>,
}

/// Result of `addBusinessUnit`.
#[derive(SimpleObject)]
pub struct BusinessUnitPayload {
    /// The business unit added.
    business_unit: BusinessUnit,
}

/// Input of `setWhiteSpaceCell`: the whole content of the cell (a field left
/// out is cleared in a cell already set).
#[derive(InputObject)]
pub struct SetWhiteSpaceCellInput {
    /// The account.
    account_id: ID,
    /// A business unit of the account (the row).
    business_unit_id: ID,
    /// A product of the catalogue (the column); an inactive product takes
    /// no new cells.
    product_id: ID,
    /// What the cell holds.
    status: WhiteSpaceCellStatus,
    /// What the business is worth (a year), non-negative.
    estimated_value: Option<MoneyInputGql>,
    /// The competitor: required for COMPETITOR_HELD, refused otherwise.
    competitor: Option<String>,
    /// Free notes (at most 5000 characters).
    notes: Option<String>,
    /// An objective of a plan of the same account that pursues the
    /// opportunity (OPPORTUNITY cells only).
    objective_id: Option<ID>,
}

/// Result of `setWhiteSpaceCell`.
#[derive(SimpleObject)]
pub struct SetWhiteSpaceCellPayload {
    /// The cell as it is now.
    cell: WhiteSpaceCell,
    /// The account's white space with the cell set (totals included).
    white_space: WhiteSpace,
}

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
        let m = svc::add_business_unit(&state(ctx)?.db, p, account, &input.name, kind)
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
