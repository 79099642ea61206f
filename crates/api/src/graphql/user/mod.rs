//! Users and the signed-in caller: the `User`, `Tenant` and `Viewer`
//! objects, the `viewer`, `user` and `users` queries, and user
//! administration.

mod input;
mod mutation;
mod object;
mod query;

pub use mutation::UserMutation;
pub use object::{Tenant, User, UserConnection, Viewer};
pub use query::UserQuery;
