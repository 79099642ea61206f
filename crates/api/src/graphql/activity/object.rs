//! The `Activity` object, its field resolvers, and `account.activities`.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::ActivityKind;
use crate::graphql::common::filters::{ACTIVITY_ORDER, check_activity_cursors};
use crate::graphql::common::ids::{Kind, encode};
use crate::graphql::common::pagination::{encode_cursor, page_args};
use crate::graphql::common::values::ExternalRef;
use crate::graphql::contact::Contact;
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::loaders;
use crate::graphql::user::User;
use crate::loaders::Row;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use persistence::entity::activity;
use persistence::repo::activities::cursor_key;
use persistence::repo::page::Position;
use rust_decimal::Decimal;
use uuid::Uuid;

/// An interaction with an account, with the time spent and the contacts involved.
#[derive(Clone)]
pub struct Activity(pub Row<activity::Model>);

/// An interaction with an account, with the time spent and the contacts involved.
#[Object]
impl Activity {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::Activity, self.0.id)
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
    async fn kind(&self) -> ActivityKind {
        domain::activity::ActivityKind::from_str_opt(&self.0.kind)
            .unwrap_or(domain::activity::ActivityKind::Other)
            .into()
    }
    /// When it took place.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// Hours spent (two decimals).
    async fn hours_spent(&self) -> Dec {
        Dec(Decimal::new(i64::from(self.0.hours_hundredths), 2).normalize())
    }
    /// What happened.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// The contacts involved, in name order.
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        let rows = loaders(ctx)?.activity_contacts(self.0.id).await?;
        Ok(rows.into_iter().map(Contact).collect())
    }
    /// Who logged it.
    async fn logged_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        match self.0.created_by {
            Some(u) => Ok(loaders(ctx)?.user(u).await?.map(User)),
            None => Ok(None),
        }
    }
    /// The same activity in another system.
    async fn external_ref(&self) -> Option<ExternalRef> {
        match (&self.0.source, &self.0.external_id) {
            (Some(s), Some(i)) => Some(ExternalRef {
                source: s.clone(),
                external_id: i.clone(),
            }),
            _ => None,
        }
    }
    /// When it was logged.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// Activities of an account, newest first.
pub type ActivityConnection = Connection<String, Activity, TotalCount>;

pub(crate) async fn account_activities(
    ctx: &Context<'_>,
    account: Uuid,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<ActivityConnection> {
    let args = page_args(
        ACTIVITY_ORDER,
        first,
        after.as_deref(),
        last,
        before.as_deref(),
    )?;
    check_activity_cursors(&args)?;
    let page = loaders(ctx)?.account_activities(account, args).await?;
    let mut c = Connection::with_additional_fields(
        page.has_previous,
        page.has_next,
        TotalCount(CountOf::AccountActivities(account)),
    );
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
