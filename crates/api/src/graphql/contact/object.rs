//! The `Contact` object, its field resolvers, and the contact connection.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::enums::{Attitude, BuyingRole, ContactStatus};
use crate::graphql::common::filters::CONTACT_ORDER;
use crate::graphql::common::ids::{Kind, encode};
use crate::graphql::common::pagination::encode_cursor;
use crate::graphql::common::values::{ExternalRef, external};
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::loaders;
use crate::graphql::user::User;
use crate::loaders::Row;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use persistence::entity::contact;
use persistence::repo::page::Position;

/// Contacts of an account, in name order (last name, first name).
pub type ContactConnection = Connection<String, Contact, TotalCount>;

pub fn contact_connection(
    rows: &[Row<contact::Model>],
    has_previous: bool,
    has_next: bool,
    count: CountOf,
) -> ContactConnection {
    let mut c = Connection::with_additional_fields(has_previous, has_next, TotalCount(count));
    c.edges.extend(rows.iter().map(|r| {
        let cursor = encode_cursor(
            CONTACT_ORDER,
            &Position {
                key: r.name_key.clone(),
                id: r.id,
            },
        );
        Edge::new(cursor, Contact(r.clone()))
    }));
    c
}

/// A person at a customer account.
#[derive(Clone)]
pub struct Contact(pub Row<contact::Model>);

/// A person at a customer account.
#[Object]
impl Contact {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::Contact, self.0.id)
    }
    /// The account's id (no lookup; select `account` for the account).
    async fn account_id(&self) -> ID {
        encode(Kind::Account, self.0.account_id)
    }
    /// The account the contact works at.
    async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
        let a = loaders(ctx)?
            .account(self.0.account_id)
            .await?
            .ok_or_else(|| ApiError::not_found("account"))?;
        Ok(Account(a))
    }
    /// First name ("Erased" after erasure).
    async fn first_name(&self) -> &str {
        &self.0.first_name
    }
    /// Last name ("Erased" after erasure).
    async fn last_name(&self) -> &str {
        &self.0.last_name
    }
    /// First and last name.
    async fn full_name(&self) -> String {
        format!("{} {}", self.0.first_name, self.0.last_name)
    }
    /// Job title.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// Department or business unit.
    async fn department(&self) -> Option<&str> {
        self.0.department.as_deref()
    }
    /// E-mail address.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// Telephone number.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// Whether the contact is still at the customer.
    async fn status(&self) -> ContactStatus {
        ContactStatus::from_db(&self.0.status)
    }
    /// Part played in buying decisions.
    async fn buying_role(&self) -> Option<BuyingRole> {
        self.0.buying_role.as_deref().map(BuyingRole::from_db)
    }
    /// Weight in decisions, 1 (little) to 5 (decisive).
    async fn influence(&self) -> Option<i32> {
        self.0.influence.map(i32::from)
    }
    /// Attitude towards us.
    async fn attitude(&self) -> Option<Attitude> {
        self.0.attitude.as_deref().map(Attitude::from_db)
    }
    /// The id of the contact this one reports to (no lookup).
    async fn reports_to_id(&self) -> Option<ID> {
        self.0.reports_to_id.map(|id| encode(Kind::Contact, id))
    }
    /// The contact this one reports to (same account).
    async fn reports_to(&self, ctx: &Context<'_>) -> Result<Option<Contact>> {
        match self.0.reports_to_id {
            None => Ok(None),
            Some(id) => Ok(loaders(ctx)?.contact(id).await?.map(Contact)),
        }
    }
    /// The contacts who report to this one, in name order.
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn direct_reports(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        let rows = loaders(ctx)?.direct_reports(self.0.id).await?;
        Ok(rows.iter().cloned().map(Contact).collect())
    }
    /// The id of the user who owns the relationship (no lookup).
    async fn relationship_owner_id(&self) -> Option<ID> {
        self.0
            .relationship_owner_id
            .map(|id| encode(Kind::User, id))
    }
    /// The user who owns the relationship with this contact.
    async fn relationship_owner(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        match self.0.relationship_owner_id {
            None => Ok(None),
            Some(id) => Ok(loaders(ctx)?.user(id).await?.map(User)),
        }
    }
    /// The same contact in another system.
    async fn external_ref(&self) -> Option<ExternalRef> {
        external(&self.0.source, &self.0.external_id)
    }
    /// Whether the personal data was erased.
    async fn erased(&self) -> bool {
        self.0.erased_at.is_some()
    }
    /// When the contact was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the contact last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
}
