//! White space: the tenant's product catalogue, the business units of
//! accounts, and each account's matrix of business units × products.

mod input;
mod mutation;
mod object;
mod query;

pub use mutation::WhiteSpaceMutation;
pub use object::{BusinessUnit, Product, WhiteSpace, WhiteSpaceCell};
pub use query::WhiteSpaceQuery;
