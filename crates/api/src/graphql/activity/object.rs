//! The `Activity` object, its field resolvers, and `account.activities`.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::ActivityKind;
use crate::graphql::common::filters::ACTIVITY_ORDER;
use crate::graphql::common::ids::{GlobalId, Kind};
use crate::graphql::common::object::object;
use crate::graphql::common::pagination::encode_cursor;
use crate::graphql::common::values::{ExternalRef, external};
use crate::graphql::contact::Contact;
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::loaders;
use crate::graphql::user::User;
use crate::loaders::Row;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use persistence::entity::activity;
use persistence::repo::activities::cursor_key;
use persistence::repo::page::Position;
use rust_decimal::Decimal;
use uuid::Uuid;

/// An interaction with an account, with the time spent and the contacts involved.
#[derive(Clone)]
pub struct Activity(pub Row<activity::Model>);

object! {
    /// An interaction with an account, with the time spent and the contacts involved.
    #[Object]
    impl Activity(activity::Model) fields activity_fields {
        /// The global id.
        pub(crate) leaf "id" id(x) -> GlobalId {
            GlobalId(Kind::Activity, x.id)
        }
        /// The account.
        async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
            let a = loaders(ctx)?
                .account(self.0.account_id)
                .await?
                .ok_or_else(|| ApiError::not_found("account"))?;
            Ok(Account(a))
        }
        /// What kind of interaction.
        leaf "kind" kind(x) -> ActivityKind {
            domain::activity::ActivityKind::from_str_opt(&x.kind)
                .unwrap_or(domain::activity::ActivityKind::Other)
                .into()
        }
        /// When it took place.
        leaf "occurredAt" occurred_at(x) -> DateTime<Utc> {
            x.occurred_at
        }
        /// Hours spent (two decimals).
        leaf "hoursSpent" hours_spent(x) [hours_hundredths] -> Dec {
            Dec(Decimal::new(i64::from(x.hours_hundredths), 2).normalize())
        }
        /// What happened.
        leaf "summary" summary(x) -> &str {
            &x.summary
        }
        /// The contacts involved, in name order.
        #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
        async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
            let rows = loaders(ctx)?.activity_contacts(self.0.id).await?;
            Ok(rows.into_iter().map(Contact).collect())
        }
        /// The users of ours who took part (besides who logged it), by id.
        #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
        async fn participants(&self, ctx: &Context<'_>) -> Result<Vec<User>> {
            let l = loaders(ctx)?;
            let ids = l.activity_participants(self.0.id).await?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids.iter() {
                if let Some(u) = l.user(*id).await? {
                    out.push(User(u));
                }
            }
            Ok(out)
        }
        /// The action item whose occurrence this activity fulfilled (no
        /// lookup).
        leaf "actionItemId" action_item_id(x) -> Option<GlobalId> {
            x.action_item_id.map(|i| GlobalId(Kind::ActionItem, i))
        }
        /// The due date of the occurrence fulfilled.
        leaf "dueDate" due_date(x) [action_due_date] -> Option<NaiveDate> {
            x.action_due_date
        }
        /// The action item whose occurrence this activity fulfilled (`null`
        /// when none, or when the item was deleted).
        async fn action_item(&self, ctx: &Context<'_>) -> Result<Option<crate::graphql::actions::ActionItem>> {
            let Some(i) = self.0.action_item_id else {
                return Ok(None);
            };
            Ok(loaders(ctx)?
                .action_item(i)
                .await?
                .map(crate::graphql::actions::ActionItem))
        }
        /// Who logged it.
        async fn logged_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
            match self.0.created_by {
                Some(u) => Ok(loaders(ctx)?.user(u).await?.map(User)),
                None => Ok(None),
            }
        }
        /// The same activity in another system.
        value "externalRef" external_ref(x) [source, external_id] -> Option<ExternalRef> {
            external(&x.source, &x.external_id)
        }
        /// When it was logged.
        leaf "createdAt" created_at(x) -> DateTime<Utc> {
            x.created_at
        }
        /// Increases by one with every change.
        leaf "version" version(x) -> i64 {
            x.version
        }
    }
}

/// Activities of an account, newest first.
pub type ActivityConnection = Connection<String, Activity, TotalCount>;

/// A page of an account's (`by_contact` false) or a contact's activities
/// under a filter.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn activity_connection(
    ctx: &Context<'_>,
    by_contact: bool,
    parent: Uuid,
    filter: Option<super::input::ActivityFilterInput>,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<ActivityConnection> {
    let (filter, args) = list_args(filter, (first, after, last, before))?;
    let page = loaders(ctx)?
        .activity_page(by_contact, parent, filter.clone(), args)
        .await?;
    let count = if !by_contact && filter.is_empty() {
        CountOf::AccountActivities(parent)
    } else {
        CountOf::Activities(by_contact, parent, filter)
    };
    let mut c =
        Connection::with_additional_fields(page.has_previous, page.has_next, TotalCount(count));
    c.edges.extend(page.rows.iter().map(|r| {
        let cursor = encode_cursor(
            ACTIVITY_ORDER,
            &Position {
                key: cursor_key(r),
                id: r.id,
            },
        );
        Edge::new(cursor, Activity(r.clone()))
    }));
    Ok(c)
}

/// The repository's filter and page of an activity list's arguments, or
/// the error the resolver reports (both read paths use this).
pub(crate) fn list_args(
    filter: Option<super::input::ActivityFilterInput>,
    relay: crate::graphql::common::filters::RelayArgs,
) -> Result<
    (
        persistence::repo::activities::ActivityFilter,
        persistence::repo::page::PageArgs,
    ),
    ApiError,
> {
    let filter = resolve(filter.unwrap_or_default())?;
    Ok((
        filter,
        crate::graphql::common::filters::time_page_args(ACTIVITY_ORDER, relay)?,
    ))
}

/// The repository's filter of an activity list.
fn resolve(
    f: super::input::ActivityFilterInput,
) -> Result<persistence::repo::activities::ActivityFilter, ApiError> {
    if let (Some(a), Some(b)) = (f.occurred_from, f.occurred_before)
        && b <= a
    {
        return Err(ApiError::validation(
            "filter.occurredBefore",
            "must be after occurredFrom",
        ));
    }
    Ok(persistence::repo::activities::ActivityFilter {
        kinds: f.kinds.map(|k| {
            k.into_iter()
                .map(|k| domain::activity::ActivityKind::from(k).as_str().to_owned())
                .collect()
        }),
        from: f.occurred_from,
        to: f.occurred_before,
        contact: f
            .contact_id
            .as_ref()
            .map(|c| crate::graphql::common::ids::decode(Kind::Contact, c, "filter.contactId"))
            .transpose()?,
    })
}
