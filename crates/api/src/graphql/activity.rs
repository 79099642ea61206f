//! Activities: the account team's logged interactions.

use super::common::decimal::Dec;
use super::common::enums::ActivityKind;
use super::common::ids::{Kind, decode, encode};
use super::common::pagination::{encode_cursor, page_args};
use super::common::values::{ExternalRef, ExternalRefInputGql};
use super::types::{Account, Contact, User};
use super::{in_input, loaders, principal, state};
use crate::error::ApiError;
use crate::loaders::Row;
use crate::services::activities as svc;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::activity::ActivityInput;
use domain::{AccountId, ContactId};
use persistence::entity::activity;
use persistence::repo::activities::cursor_key;
use persistence::repo::page::Position;
use rust_decimal::Decimal;
use std::sync::Arc;
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
pub type ActivityConnection = Connection<String, Activity, super::count::TotalCount>;

const ACTIVITY_ORDER: &str = "ACTIVITY_TIME_DESC";

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
    for (pos, field) in [(&args.after, "after"), (&args.before, "before")] {
        if pos
            .as_ref()
            .is_some_and(|p| DateTime::parse_from_rfc3339(&p.key).is_err())
        {
            return Err(
                ApiError::validation(field, "is not a cursor of this list and ordering").into(),
            );
        }
    }
    let page = loaders(ctx)?.account_activities(account, args).await?;
    let mut c = Connection::with_additional_fields(
        page.has_previous,
        page.has_next,
        super::count::TotalCount(super::count::CountOf::AccountActivities(account)),
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

/// Input of `logActivity`.
#[derive(InputObject)]
pub struct LogActivityInput {
    /// The account.
    account_id: ID,
    /// What kind of interaction.
    kind: ActivityKind,
    /// When it took place (not in the future).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    occurred_at: DateTime<Utc>,
    /// Hours spent, 0 to 24, two decimals.
    hours_spent: Option<Dec>,
    /// What happened (required).
    summary: String,
    /// Contacts of the account involved.
    contact_ids: Option<Vec<ID>>,
    /// The same activity in another system (unique per tenant).
    external_ref: Option<ExternalRefInputGql>,
}

/// Result of `logActivity`.
#[derive(SimpleObject)]
pub struct LogActivityPayload {
    /// The activity logged.
    activity: Activity,
}

#[derive(Default)]
pub struct ActivityMutation;

/// Logging activities.
#[Object]
impl ActivityMutation {
    /// Logs an activity on an account (writers of the account).
    async fn log_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: LogActivityInput,
    ) -> Result<LogActivityPayload> {
        let p = principal(ctx)?;
        let account =
            AccountId(decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?);
        let mut contact_ids = Vec::new();
        for id in input.contact_ids.unwrap_or_default() {
            contact_ids.push(ContactId(
                decode(Kind::Contact, &id, "contactIds").map_err(in_input)?,
            ));
        }
        let raw = ActivityInput {
            kind: input.kind.into(),
            occurred_at: input.occurred_at,
            hours_spent: input.hours_spent.map(|d| d.0),
            summary: input.summary,
            contact_ids,
            external_ref: input.external_ref.map(Into::into),
        };
        let m = svc::log(&state(ctx)?.db, p, account, raw)
            .await
            .map_err(in_input)?;
        Ok(LogActivityPayload {
            activity: Activity(Arc::new(m)),
        })
    }
}
