//! The list arguments the resolvers and the compiled read path share: the
//! filters of `accounts` and `plans` with their reading into the
//! repositories' filters, and the orderings named in cursors.

use super::enums::{AccountStatus, CoverageGapKind, PlanStatus, Tier};
use super::ids::{Kind, decode};
use crate::error::ApiError;
use async_graphql::{ID, InputObject};
use chrono::NaiveDate;
use persistence::repo::accounts::AccountFilter as RepoFilter;
use persistence::repo::plans::PlanFilter as RepoPlanFilter;

/// The only ordering of `upcomingRenewals`: renewal date, then id.
pub const RENEWAL_ORDER: &str = "RENEWAL_DATE";

/// The only ordering of an account's subsidiaries (`children`).
pub const CHILD_ACCOUNT_ORDER: &str = "CHILD_ACCOUNT_NAME";

/// The only ordering of contacts in a connection.
pub const CONTACT_ORDER: &str = "CONTACT_NAME";

/// The users list's order, in its cursors.
pub(crate) const USER_ORDER: &str = "USER_EMAIL";

/// The plans list's order, in its cursors.
pub(crate) const PLAN_ORDER: &str = "PLAN_PERIOD_DESC";

/// Which accounts to list. Conditions combine with AND.
#[derive(InputObject, Default)]
pub struct AccountFilter {
    /// Any of these tiers.
    tiers: Option<Vec<Tier>>,
    /// Any of these statuses.
    statuses: Option<Vec<AccountStatus>>,
    /// Owned by this user.
    owner_id: Option<ID>,
    /// With this user on the account's team, in any team role.
    team_member_id: Option<ID>,
    /// With this coverage gap now (see `account.coverage`; judged by the
    /// database, for every account of the tenant).
    has_coverage_gap: Option<CoverageGapKind>,
    /// In the top 20% of the tenant's accounts by annual revenue today
    /// (`true`), or not (`false`: unranked accounts included); see
    /// `account.revenueRank`. Ranked by the database, not loaded.
    top_twenty_percent: Option<bool>,
    /// Name contains this text (case-insensitive).
    name_contains: Option<String>,
    /// Also list archived accounts (default false).
    include_archived: Option<bool>,
}

/// Whether reading `filter` needs today's date (in the tenant's time
/// zone): [`repo_filter`]'s `today`.
pub(crate) fn wants_today(filter: &Option<AccountFilter>) -> bool {
    filter
        .as_ref()
        .is_some_and(|f| f.top_twenty_percent.is_some())
}

/// The repository's filter for the `accounts` argument; `today` must be
/// given when [`wants_today`].
pub(crate) fn repo_filter(
    filter: Option<AccountFilter>,
    today: Option<NaiveDate>,
) -> Result<RepoFilter, ApiError> {
    let f = filter.unwrap_or_default();
    let top_twenty_percent = match (f.top_twenty_percent, today) {
        (None, _) => None,
        (Some(top), Some(today)) => Some((top, today)),
        (Some(_), None) => return Err(ApiError::Internal("today not read".into())),
    };
    Ok(RepoFilter {
        top_twenty_percent,
        tiers: f.tiers.map(|v| {
            v.into_iter()
                .map(|t| domain::account::Tier::from(t).as_str().to_owned())
                .collect()
        }),
        statuses: f.statuses.map(|v| {
            v.into_iter()
                .map(|s| domain::account::AccountStatus::from(s).as_str().to_owned())
                .collect()
        }),
        owner_id: f
            .owner_id
            .as_ref()
            .map(|o| decode(Kind::User, o, "filter.ownerId"))
            .transpose()?,
        team_member_id: f
            .team_member_id
            .as_ref()
            .map(|o| decode(Kind::User, o, "filter.teamMemberId"))
            .transpose()?,
        coverage_gap: f.has_coverage_gap.map(Into::into),
        name_like: f
            .name_contains
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| domain::text::like_contains_pattern("filter.nameContains", s))
            .transpose()?,
        include_archived: f.include_archived.unwrap_or(false),
    })
}

/// The repository's filter for `viewer.accounts`: the accounts on whose
/// team `me` is, and what `filter` asks besides (a `teamMemberId` there
/// can only be `me`).
pub(crate) fn my_accounts_filter(
    filter: Option<AccountFilter>,
    today: Option<NaiveDate>,
    me: uuid::Uuid,
) -> Result<RepoFilter, ApiError> {
    let mut f = repo_filter(filter, today)?;
    if f.team_member_id.is_some_and(|u| u != me) {
        return Err(ApiError::validation(
            "filter.teamMemberId",
            "viewer.accounts lists your own accounts: use accounts(filter: {teamMemberId}) for another user's",
        ));
    }
    f.team_member_id = Some(me);
    Ok(f)
}

/// Which plans to list. Conditions combine with AND.
#[derive(InputObject, Default)]
pub struct PlanFilter {
    /// Any of these statuses.
    status: Option<Vec<PlanStatus>>,
    /// Owned by this user.
    owner_id: Option<ID>,
    /// Of this account.
    account_id: Option<ID>,
    /// Whose period contains this day.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    period_contains: Option<NaiveDate>,
}

/// The repository's filter for `plans(filter:)` (the resolver and the
/// compiled read path share it).
pub(crate) fn repo_plan_filter(filter: Option<PlanFilter>) -> Result<RepoPlanFilter, ApiError> {
    let f = filter.unwrap_or_default();
    Ok(RepoPlanFilter {
        statuses: f.status.map(|v| {
            v.into_iter()
                .map(|s| domain::plan::PlanStatus::from(s).as_str().to_owned())
                .collect()
        }),
        owner_id: f
            .owner_id
            .as_ref()
            .map(|o| decode(Kind::User, o, "filter.ownerId"))
            .transpose()?,
        account_id: f
            .account_id
            .as_ref()
            .map(|a| decode(Kind::Account, a, "filter.accountId"))
            .transpose()?,
        period_contains: f.period_contains,
    })
}

/// Refuses a cursor of the plans list whose key is not a day (a forged one).
pub(crate) fn check_cursor_dates(args: &persistence::repo::page::PageArgs) -> Result<(), ApiError> {
    for (pos, field) in [(&args.after, "after"), (&args.before, "before")] {
        if let Some(p) = pos
            && NaiveDate::parse_from_str(&p.key, "%Y-%m-%d").is_err()
        {
            return Err(ApiError::validation(
                field,
                "is not a cursor of this list and ordering",
            ));
        }
    }
    Ok(())
}

/// The order of an account's activities (newest first), as cursors name it.
pub(crate) const ACTIVITY_ORDER: &str = "ACTIVITY_TIME_DESC";

/// Relay arguments as written in a schema field (`first`, `after`, `last`,
/// `before`).
pub(crate) type RelayArgs = (Option<i32>, Option<String>, Option<i32>, Option<String>);

/// The page of a list ordered by a time (activities, signals, alerts):
/// the arguments checked, and a cursor whose key is not a time refused.
pub(crate) fn time_page_args(
    order: &str,
    (first, after, last, before): RelayArgs,
) -> Result<persistence::repo::page::PageArgs, ApiError> {
    let args =
        super::pagination::page_args(order, first, after.as_deref(), last, before.as_deref())?;
    check_activity_cursors(&args)?;
    Ok(args)
}

/// Refuses a cursor of the activities list whose key is not a time (a
/// forged one).
pub(crate) fn check_activity_cursors(
    args: &persistence::repo::page::PageArgs,
) -> Result<(), ApiError> {
    for (pos, field) in [(&args.after, "after"), (&args.before, "before")] {
        if pos
            .as_ref()
            .is_some_and(|p| chrono::DateTime::parse_from_rfc3339(&p.key).is_err())
        {
            return Err(ApiError::validation(
                field,
                "is not a cursor of this list and ordering",
            ));
        }
    }
    Ok(())
}

/// The ordering code of `overdueActions`' cursors (by due date, then item).
pub const OVERDUE_ORDER: &str = "OVERDUE_DUE_ASC";

/// An overdue occurrence's cursor.
pub fn overdue_cursor(o: &crate::services::actions::Occurrence) -> String {
    super::pagination::encode_cursor(
        OVERDUE_ORDER,
        &persistence::repo::page::Position {
            key: o.due.format("%Y-%m-%d").to_string(),
            id: o.item.id,
        },
    )
}
