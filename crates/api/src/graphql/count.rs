//! `totalCount` on connections: how many items the whole list holds (all
//! pages, the same filter), counted only when a client selects it. Counts of
//! a child list (an account's contacts or plans) are batched: one statement
//! per level, whatever the page size.

use super::{ApiError, loaders, reader, state};
use async_graphql::{Context, Object, Result};
use persistence::repo::{accounts, plans, users};
use uuid::Uuid;

/// What a connection's `totalCount` counts.
pub enum CountOf {
    Accounts(accounts::AccountFilter),
    Users,
    Plans(plans::PlanFilter),
    AccountPlans(Uuid),
    AccountContacts(Uuid),
    AccountActivities(Uuid),
    /// An account's live subsidiaries.
    AccountChildren(Uuid),
    /// The tenant's undecided renewals in a window of days.
    UpcomingRenewals((chrono::NaiveDate, chrono::NaiveDate)),
    /// The tenant's overdue action-item occurrences.
    Overdue,
    /// The tenant's jeopardy alerts under a filter.
    Alerts(persistence::repo::alerts::AlertFilter),
    /// An account's (`false`) or a contact's (`true`) live activities
    /// under a filter.
    Activities(bool, Uuid, persistence::repo::activities::ActivityFilter),
    /// An account's or a contact's live signals under a filter.
    Signals(
        persistence::repo::signals::SignalsOf,
        Uuid,
        persistence::repo::signals::SignalFilter,
    ),
}

/// The extra fields of a connection.
pub struct TotalCount(pub CountOf);

#[Object]
impl TotalCount {
    /// How many items the list holds in all (every page, the same
    /// filter). Costs a count when selected; leave it out when not needed.
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64> {
        let tenant = reader(ctx)?.tenant_id;
        let whole = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let db = || state(ctx).map(|s| s.db.read());
        Ok(match &self.0 {
            CountOf::Accounts(f) => whole(
                accounts::count(db()?, tenant, f)
                    .await
                    .map_err(ApiError::from)?,
            ),
            CountOf::Users => whole(users::count(db()?, tenant).await.map_err(ApiError::from)?),
            CountOf::Plans(f) => whole(
                plans::count(db()?, tenant, f)
                    .await
                    .map_err(ApiError::from)?,
            ),
            CountOf::AccountPlans(a) => loaders(ctx)?.account_plan_count(*a).await?,
            CountOf::AccountContacts(a) => loaders(ctx)?.account_contact_count(*a).await?,
            CountOf::AccountActivities(a) => loaders(ctx)?.account_activity_count(*a).await?,
            CountOf::AccountChildren(a) => loaders(ctx)?.account_children_count(*a).await?,
            CountOf::UpcomingRenewals(w) => whole(
                persistence::repo::contracts::upcoming_count(db()?, tenant, *w)
                    .await
                    .map_err(ApiError::from)?,
            ),
            CountOf::Alerts(f) => whole(
                persistence::repo::alerts::count(db()?, tenant, f)
                    .await
                    .map_err(ApiError::from)?,
            ),
            CountOf::Activities(by_contact, parent, filter) => {
                loaders(ctx)?
                    .activity_count(*by_contact, *parent, filter.clone())
                    .await?
            }
            CountOf::Signals(of, parent, filter) => {
                loaders(ctx)?
                    .signal_count(*of, *parent, filter.clone())
                    .await?
            }
            CountOf::Overdue => {
                let today = loaders(ctx)?.today().await?;
                let p = super::principal(ctx)?;
                let n = crate::services::actions::overdue_count(&state(ctx)?.db, p, today).await?;
                i64::try_from(n).unwrap_or(i64::MAX)
            }
        })
    }
}
