//! Users and the signed-in caller: the `User`, `Tenant` and `Viewer`
//! objects, the `viewer`, `user` and `users` queries, and user
//! administration.

mod input;
mod mutation;
mod object;
mod query;

pub use mutation::UserMutation;
pub use object::{Tenant, User, UserConnection, Viewer};
pub(crate) use object::{tenant_fields, user_fields};
pub use query::UserQuery;
