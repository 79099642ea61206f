//! The inputs and the payloads of the catalogue and white-space mutations.

use super::object::{BusinessUnit, Product, WhiteSpace, WhiteSpaceCell};
use crate::graphql::common::enums::{BusinessUnitKind, WhiteSpaceCellStatus};
use crate::graphql::common::values::MoneyInputGql;
use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};

/// Input of `createProduct`.
#[derive(InputObject)]
pub struct CreateProductInput {
    /// The product's name (required, at most 200 characters, unique in the
    /// tenant case-insensitively).
    pub(super) name: String,
    /// What the product or service is (at most 5000 characters).
    pub(super) description: Option<String>,
}

/// Input of `updateProduct`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdateProductInput {
    /// The product to change.
    pub(super) id: ID,
    /// New name (cannot be null).
    pub(super) name: MaybeUndefined<String>,
    /// New description.
    pub(super) description: MaybeUndefined<String>,
    /// Retire (false) or reactivate (true) the product (cannot be null).
    pub(super) active: MaybeUndefined<bool>,
}

/// Result of a product mutation.
#[derive(SimpleObject)]
pub struct ProductPayload {
    /// The product as it is now.
    pub(super) product: Product,
}

/// Input of `addBusinessUnit`.
#[derive(InputObject)]
pub struct AddBusinessUnitInput {
    /// The account.
    pub(super) account_id: ID,
    /// The unit's name (required, at most 200 characters, unique in the
    /// account case-insensitively).
    pub(super) name: String,
    /// Business unit, division or location (default BUSINESS_UNIT).
    pub(super) kind: Option<BusinessUnitKind>,
    /// The unit above it in the customer's structure (a unit of the same account).
    pub(super) parent_id: Option<ID>,
}

/// Input of `setBusinessUnitParent`.
#[derive(InputObject)]
pub struct SetBusinessUnitParentInput {
    /// The unit.
    pub(super) id: ID,
    /// The unit above it (same account); null puts it at the top.
    pub(super) parent_id: Option<ID>,
}

/// Result of `addBusinessUnit`.
#[derive(SimpleObject)]
pub struct BusinessUnitPayload {
    /// The business unit added.
    pub(super) business_unit: BusinessUnit,
}

/// Input of `setWhiteSpaceCell`: the whole content of the cell (a field left
/// out is cleared in a cell already set).
#[derive(InputObject)]
pub struct SetWhiteSpaceCellInput {
    /// The account.
    pub(super) account_id: ID,
    /// A business unit of the account (the row).
    pub(super) business_unit_id: ID,
    /// A product of the catalogue (the column); an inactive product takes
    /// no new cells.
    pub(super) product_id: ID,
    /// What the cell holds.
    pub(super) status: WhiteSpaceCellStatus,
    /// What the business is worth (a year), non-negative.
    pub(super) estimated_value: Option<MoneyInputGql>,
    /// The competitor: required for COMPETITOR_HELD (unless `competitorId`
    /// names one: then its name), refused otherwise.
    pub(super) competitor: Option<String>,
    /// A competitor of the same account (`account.competitors`) holding the
    /// business (COMPETITOR_HELD cells only).
    pub(super) competitor_id: Option<ID>,
    /// Free notes (at most 5000 characters).
    pub(super) notes: Option<String>,
    /// An objective of a plan of the same account that pursues the
    /// opportunity (OPPORTUNITY cells only).
    pub(super) objective_id: Option<ID>,
}

/// Result of `setWhiteSpaceCell`.
#[derive(SimpleObject)]
pub struct SetWhiteSpaceCellPayload {
    /// The cell as it is now.
    pub(super) cell: WhiteSpaceCell,
    /// The account's white space with the cell set (totals included).
    pub(super) white_space: WhiteSpace,
}
