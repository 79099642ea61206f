//! Accounts: the `Account` object, the `account` and `accounts` queries,
//! and the mutations (create, update, archive, restore, delete).

mod input;
mod mutation;
mod object;
mod query;

pub use mutation::AccountMutation;
pub use object::{Account, AccountConnection};
pub(crate) use object::{account_fields, subtree_revenue};
pub use query::AccountQuery;
pub(crate) use query::accounts_connection;
