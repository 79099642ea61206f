//! The `Product`, `BusinessUnit`, `WhiteSpaceCell` and `WhiteSpace`
//! objects and their field resolvers.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::{BusinessUnitKind, WhiteSpaceCellStatus};
use crate::graphql::common::ids::{GlobalId, Kind};
use crate::graphql::common::object::object;
use crate::graphql::common::values::Money;
use crate::graphql::loaders;
use crate::graphql::plan::Objective;
use crate::loaders::Row;
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};
use domain::text::Money as DomainMoney;
use domain::whitespace::CellStatus;
use persistence::entity::{business_unit, product, white_space_cell};
use std::collections::HashSet;
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

object! {
    /// A product or service of the tenant's catalogue: a column of the white space.
    #[Object]
    impl Product(product::Model) fields product_fields {
        /// The global id.
        pub(crate) leaf "id" id(p) -> GlobalId {
            GlobalId(Kind::Product, p.id)
        }
        /// The product's name (unique in the tenant, case-insensitively).
        leaf "name" name(p) -> &str {
            &p.name
        }
        /// What the product or service is.
        leaf "description" description(p) -> Option<&str> {
            p.description.as_deref()
        }
        /// False once retired: an inactive product takes no new cells and shows
        /// in a white space only where it already has cells.
        leaf "active" active(p) -> bool {
            p.active
        }
        /// When the product was created.
        leaf "createdAt" created_at(p) -> DateTime<Utc> {
            p.created_at
        }
        /// When the product last changed.
        leaf "updatedAt" updated_at(p) -> DateTime<Utc> {
            p.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(p) -> i64 {
            p.version
        }
    }
}

/// A business unit, division or location of a customer: a row of the
/// account's white space.
#[derive(Clone)]
pub struct BusinessUnit(pub Row<business_unit::Model>);

object! {
    /// A business unit, division or location of a customer: a row of the
    /// account's white space.
    #[Object]
    impl BusinessUnit(business_unit::Model) fields business_unit_fields {
        /// The global id.
        pub(crate) leaf "id" id(u) -> GlobalId {
            GlobalId(Kind::BusinessUnit, u.id)
        }
        /// The account's id (no lookup; select `account` for the account).
        leaf "accountId" account_id(u) -> GlobalId {
            GlobalId(Kind::Account, u.account_id)
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
        leaf "name" name(u) -> &str {
            &u.name
        }
        /// Business unit, division or location.
        leaf "kind" kind(u) -> BusinessUnitKind {
            domain::whitespace::BusinessUnitKind::from_str_opt(&u.kind)
                .unwrap_or(domain::whitespace::BusinessUnitKind::BusinessUnit)
                .into()
        }
        /// The id of the unit above it (no lookup); null at the top.
        leaf "parentId" parent_id(u) -> Option<GlobalId> {
            u.parent_id.map(|p| GlobalId(Kind::BusinessUnit, p))
        }
        /// The unit above it in the customer's structure; null at the top.
        async fn parent(&self, ctx: &Context<'_>) -> Result<Option<BusinessUnit>> {
            match self.0.parent_id {
                None => Ok(None),
                Some(id) => Ok(loaders(ctx)?.white_space().unit(id).await?.map(BusinessUnit)),
            }
        }
        /// When the unit was created.
        leaf "createdAt" created_at(u) -> DateTime<Utc> {
            u.created_at
        }
        /// When the unit last changed.
        leaf "updatedAt" updated_at(u) -> DateTime<Utc> {
            u.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(u) -> i64 {
            u.version
        }
    }
}

/// One cell of an account's white space: what one business unit does about
/// one product.
#[derive(Clone)]
pub struct WhiteSpaceCell(pub Row<white_space_cell::Model>);

object! {
    /// One cell of an account's white space: what one business unit does about
    /// one product.
    #[Object]
    impl WhiteSpaceCell(white_space_cell::Model) fields white_space_cell_fields {
        /// The global id.
        pub(crate) leaf "id" id(c) -> GlobalId {
            GlobalId(Kind::WhiteSpaceCell, c.id)
        }
        /// The business unit's id (no lookup).
        leaf "businessUnitId" business_unit_id(c) -> GlobalId {
            GlobalId(Kind::BusinessUnit, c.business_unit_id)
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
        leaf "productId" product_id(c) -> GlobalId {
            GlobalId(Kind::Product, c.product_id)
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
        leaf "status" status(c) -> WhiteSpaceCellStatus {
            status_of(c).into()
        }
        /// What the business is worth (a year).
        value "estimatedValue" estimated_value(c) -> Option<Money> {
            money_of(c).map(|m| Money {
                amount: Dec(m.amount),
                currency: m.currency.as_str().to_owned(),
            })
        }
        /// The competitor holding the business (COMPETITOR_HELD cells only).
        leaf "competitor" competitor(c) -> Option<&str> {
            c.competitor.as_deref()
        }
        /// The id of the competitor record holding the business (no lookup).
        leaf "competitorId" competitor_id(c) -> Option<GlobalId> {
            c.competitor_id.map(|id| GlobalId(Kind::Competitor, id))
        }
        /// The competitor record holding the business (see
        /// `account.competitors`), when the cell points to one.
        async fn competitor_details(
            &self,
            ctx: &Context<'_>,
        ) -> Result<Option<crate::graphql::financials::Competitor>> {
            match self.0.competitor_id {
                None => Ok(None),
                Some(id) => Ok(loaders(ctx)?
                    .cell_competitor(self.0.account_id, id)
                    .await?
                    .map(crate::graphql::financials::Competitor)),
            }
        }
        /// Free notes.
        leaf "notes" notes(c) -> Option<&str> {
            c.notes.as_deref()
        }
        /// The id of the objective pursuing the opportunity (no lookup).
        leaf "objectiveId" objective_id(c) -> Option<GlobalId> {
            c.objective_id.map(|id| GlobalId(Kind::Objective, id))
        }
        /// The plan objective pursuing the opportunity (OPPORTUNITY cells only).
        async fn objective(&self, ctx: &Context<'_>) -> Result<Option<Objective>> {
            match self.0.objective_id {
                None => Ok(None),
                Some(id) => Ok(loaders(ctx)?.objective(id).await?.map(Objective)),
            }
        }
        /// When the cell was first set.
        leaf "createdAt" created_at(c) -> DateTime<Utc> {
            c.created_at
        }
        /// When the cell last changed.
        leaf "updatedAt" updated_at(c) -> DateTime<Utc> {
            c.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(c) -> i64 {
            c.version
        }
    }
}

/// The estimated values of a white space in one currency, by status.
#[derive(Clone)]
pub struct WhiteSpaceTotals {
    currency: String,
    serviced: Dec,
    open_opportunity: Dec,
    competitor_held: Dec,
}

object! {
    /// The estimated values of a white space in one currency, by status.
    /// NOT_APPLICABLE cells and cells without a value count nowhere.
    #[Object]
    impl WhiteSpaceTotals(self) fields white_space_totals_fields {
        /// ISO 4217 currency code of the amounts.
        leaf "currency" currency(t) -> &str {
            &t.currency
        }
        /// Sum over SERVICED cells: the business we have.
        leaf "serviced" serviced(t) -> Dec {
            t.serviced
        }
        /// Sum over OPPORTUNITY cells: the business we could win.
        leaf "openOpportunity" open_opportunity(t) -> Dec {
            t.open_opportunity
        }
        /// Sum over COMPETITOR_HELD cells: the business competitors hold.
        leaf "competitorHeld" competitor_held(t) -> Dec {
            t.competitor_held
        }
    }
}

/// An account's white-space totals from its cells, one entry per currency
/// (`WhiteSpace.totals`, on both read paths).
pub(crate) fn totals_of<'a>(
    cells: impl IntoIterator<Item = &'a white_space_cell::Model>,
) -> Vec<WhiteSpaceTotals> {
    let values: Vec<(CellStatus, Option<DomainMoney>)> = cells
        .into_iter()
        .map(|c| (status_of(c), money_of(c)))
        .collect();
    domain::whitespace::totals(&values)
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
        .collect()
}

/// The white space's columns: the catalogue's active products, and
/// inactive ones that have cells here (`used`), in catalogue order
/// (`WhiteSpace.columns`, on both read paths). `used` is asked only when
/// some product is inactive.
pub(crate) fn visible_products<P: std::borrow::Borrow<product::Model>>(
    catalogue: &[P],
    used: impl Fn(Uuid) -> bool,
) -> impl Iterator<Item = &P> {
    catalogue.iter().filter(move |p| {
        let p = p.borrow();
        p.active || used(p.id)
    })
}

/// Whether the catalogue has an inactive product (then the columns depend
/// on the account's cells).
pub(crate) fn needs_cells_for_columns<P: std::borrow::Borrow<product::Model>>(
    catalogue: &[P],
) -> bool {
    !catalogue.iter().all(|p| p.borrow().active)
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
        let used: HashSet<Uuid> = if needs_cells_for_columns(&catalogue.products) {
            let cells = l.account_cells(self.account_id).await?;
            cells.iter().map(|c| c.product_id).collect()
        } else {
            HashSet::new()
        };
        Ok(
            visible_products(&catalogue.products, |id| used.contains(&id))
                .cloned()
                .map(Product)
                .collect(),
        )
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
        Ok(totals_of(cells.iter().map(|c| &**c)))
    }
}
