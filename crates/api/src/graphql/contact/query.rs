//! `contact(id:)`.

use super::object::Contact;
use crate::error::ApiError;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::loaders;
use async_graphql::{Context, ID, Object, Result};

#[derive(Default)]
pub struct ContactQuery;

/// Queries about contacts.
#[Object]
impl ContactQuery {
    /// A contact by id. `NOT_FOUND` when it does not exist in your tenant.
    async fn contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact's id.")] id: ID,
    ) -> Result<Contact> {
        let uuid = decode(Kind::Contact, &id, "id")?;
        let row = loaders(ctx)?
            .contact(uuid)
            .await?
            .ok_or_else(|| ApiError::not_found_in("contact", "id"))?;
        Ok(Contact(row))
    }
}
