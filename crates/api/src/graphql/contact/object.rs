//! The `Contact` object, its field resolvers, and the contact connection.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::enums::{Attitude, BuyingRole, Cadence, ContactChannel, ContactStatus};
use crate::graphql::common::filters::CONTACT_ORDER;
use crate::graphql::common::ids::{GlobalId, Kind};
use crate::graphql::common::object::object;
use crate::graphql::common::pagination::encode_cursor;
use crate::graphql::common::values::{ExternalRef, external};
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::loaders;
use crate::graphql::user::User;
use crate::loaders::Row;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Object, Result};
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

object! {
    /// A person at a customer account.
    #[Object]
    impl Contact(contact::Model) fields contact_fields {
        /// The global id.
        pub(crate) leaf "id" id(c) -> GlobalId {
            GlobalId(Kind::Contact, c.id)
        }
        /// The account's id (no lookup; select `account` for the account).
        leaf "accountId" account_id(c) -> GlobalId {
            GlobalId(Kind::Account, c.account_id)
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
        leaf "firstName" first_name(c) -> &str {
            &c.first_name
        }
        /// Last name ("Erased" after erasure).
        leaf "lastName" last_name(c) -> &str {
            &c.last_name
        }
        /// First and last name.
        leaf "fullName" full_name(c) [first_name, last_name] -> String {
            format!("{} {}", c.first_name, c.last_name)
        }
        /// Job title.
        leaf "title" title(c) -> Option<&str> {
            c.title.as_deref()
        }
        /// Department or business unit.
        leaf "department" department(c) -> Option<&str> {
            c.department.as_deref()
        }
        /// E-mail address.
        leaf "email" email(c) -> Option<&str> {
            c.email.as_deref()
        }
        /// Telephone number.
        leaf "phone" phone(c) -> Option<&str> {
            c.phone.as_deref()
        }
        /// Whether the contact is still at the customer.
        leaf "status" status(c) -> ContactStatus {
            ContactStatus::from_db(&c.status)
        }
        /// Part played in buying decisions.
        leaf "buyingRole" buying_role(c) -> Option<BuyingRole> {
            c.buying_role.as_deref().map(BuyingRole::from_db)
        }
        /// Weight in decisions, 1 (little) to 5 (decisive).
        leaf "influence" influence(c) -> Option<i32> {
            c.influence.map(i32::from)
        }
        /// Attitude towards us.
        leaf "attitude" attitude(c) -> Option<Attitude> {
            c.attitude.as_deref().map(Attitude::from_db)
        }
        /// The id of the contact this one reports to (no lookup).
        leaf "reportsToId" reports_to_id(c) -> Option<GlobalId> {
            c.reports_to_id.map(|id| GlobalId(Kind::Contact, id))
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
        leaf "relationshipOwnerId" relationship_owner_id(c) -> Option<GlobalId> {
            c
                .relationship_owner_id
                .map(|id| GlobalId(Kind::User, id))
        }
        /// How the contact prefers to be reached.
        leaf "preferredChannel" preferred_channel(c) -> Option<ContactChannel> {
            c.preferred_channel.as_deref().map(ContactChannel::from_db)
        }
        /// How often the contact wants to hear from us.
        leaf "preferredFrequency" preferred_frequency(c) -> Option<Cadence> {
            c.preferred_frequency
                .as_deref()
                .and_then(domain::cadence::Cadence::from_str_opt)
                .map(Cadence::from)
        }
        /// The colleagues of ours the contact prefers to deal with, in the
        /// contact's order (`setContactPreferredColleagues`). Batched.
        async fn preferred_colleagues(&self, ctx: &Context<'_>) -> Result<Vec<User>> {
            let l = loaders(ctx)?;
            let ids = l.contact_preferred(self.0.id).await?;
            let mut out = Vec::with_capacity(ids.len());
            for u in ids.iter() {
                if let Some(u) = l.user(*u).await? {
                    out.push(User(u));
                }
            }
            Ok(out)
        }
        /// The user who owns the relationship with this contact.
        async fn relationship_owner(&self, ctx: &Context<'_>) -> Result<Option<User>> {
            match self.0.relationship_owner_id {
                None => Ok(None),
                Some(id) => Ok(loaders(ctx)?.user(id).await?.map(User)),
            }
        }
        /// Activities this contact was involved in, newest first, with a
        /// filter. Batched: a page of contacts costs two statements.
        #[graphql(
            complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
        )]
        #[allow(clippy::too_many_arguments)]
        async fn activities(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Which activities (all when absent).")] filter: Option<crate::graphql::activity::ActivityFilterInput>,
            #[graphql(desc = "Returns the first n activities (at most 100).")] first: Option<i32>,
            #[graphql(desc = "Returns activities after this cursor.")] after: Option<String>,
            #[graphql(desc = "Returns the last n activities (at most 100).")] last: Option<i32>,
            #[graphql(desc = "Returns activities before this cursor.")] before: Option<String>,
        ) -> Result<crate::graphql::activity::ActivityConnection> {
            crate::graphql::activity::activity_connection(
                ctx, true, self.0.id, filter, first, after, last, before,
            )
            .await
        }
        /// Evidence signals this contact gave, newest first, with a
        /// filter. Batched: a page of contacts costs one statement.
        #[graphql(
            complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
        )]
        #[allow(clippy::too_many_arguments)]
        async fn signals(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "Which signals (all when absent).")] filter: Option<crate::graphql::evidence::SignalFilterInput>,
            #[graphql(desc = "Returns the first n signals (at most 100).")] first: Option<i32>,
            #[graphql(desc = "Returns signals after this cursor.")] after: Option<String>,
            #[graphql(desc = "Returns the last n signals (at most 100).")] last: Option<i32>,
            #[graphql(desc = "Returns signals before this cursor.")] before: Option<String>,
        ) -> Result<crate::graphql::evidence::SignalConnection> {
            crate::graphql::evidence::signal_connection(
                ctx,
                persistence::repo::signals::SignalsOf::Contact,
                self.0.id,
                filter,
                first,
                after,
                last,
                before,
            )
            .await
        }
        /// The same contact in another system.
        value "externalRef" external_ref(c) [source, external_id] -> Option<ExternalRef> {
            external(&c.source, &c.external_id)
        }
        /// Whether the personal data was erased.
        leaf "erased" erased(c) [erased_at] -> bool {
            c.erased_at.is_some()
        }
        /// When the contact was created.
        leaf "createdAt" created_at(c) -> DateTime<Utc> {
            c.created_at
        }
        /// When the contact last changed.
        leaf "updatedAt" updated_at(c) -> DateTime<Utc> {
            c.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(c) -> i64 {
            c.version
        }
    }
}
