//! Contacts: the `Contact` object (and the contact connection of
//! `account.contacts`), the `contact` query and the contact mutations.

mod input;
mod mutation;
mod object;
mod query;

pub use mutation::ContactMutation;
pub(crate) use object::contact_fields;
pub use object::{Contact, ContactConnection, contact_connection};
pub use query::ContactQuery;
