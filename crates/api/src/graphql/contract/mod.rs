//! Contracts: the `Contract` object (`account.contracts`, `contract(id:)`,
//! `node(id:)`), `upcomingRenewals`, and the mutations.

mod input;
mod mutation;
mod object;
mod query;

pub use mutation::ContractMutation;
pub(crate) use object::contract_fields;
pub use object::{Contract, ContractConnection};
pub use query::ContractQuery;
