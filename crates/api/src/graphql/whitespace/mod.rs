//! White space: the tenant's product catalogue, the business units of
//! accounts, and each account's matrix of business units × products.

mod input;
mod mutation;
mod object;
mod query;

pub use mutation::WhiteSpaceMutation;
pub use object::{BusinessUnit, Product, WhiteSpace, WhiteSpaceCell};
pub(crate) use object::{business_unit_fields, product_fields, white_space_cell_fields};
pub use query::WhiteSpaceQuery;
