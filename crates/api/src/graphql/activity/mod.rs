//! Activities: the account team's logged interactions (the `Activity`
//! object, `account.activities`, and `logActivity`).

mod input;
mod mutation;
mod object;

pub(crate) use input::ActivityFilterInput;
pub use mutation::ActivityMutation;
pub(crate) use object::activity_fields;
pub use object::{Activity, ActivityConnection};
pub(crate) use object::{activity_connection, list_args};
