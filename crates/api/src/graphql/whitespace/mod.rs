//! White space: the tenant's product catalogue, the business units of
//! accounts, and each account's matrix of business units × products.

mod input;
mod mutation;
mod object;
mod query;

pub use mutation::WhiteSpaceMutation;
pub use object::{BusinessUnit, Product, WhiteSpace, WhiteSpaceCell, WhiteSpaceTotals};
pub(crate) use object::{
    business_unit_fields, needs_cells_for_columns, product_fields, totals_of, visible_products,
    white_space_cell_fields, white_space_totals_fields,
};
pub use query::WhiteSpaceQuery;
