//! The customer's strategic profile: insights (`account.goals`,
//! `industryTrends`, `needs`, `swot`), the profile itself
//! (`account.profile`: mission, vision, values, positioning, the buying
//! process), and their mutations.

use crate::graphql::common::enums::{Horizon, InsightKind, Priority};
use crate::graphql::common::ids::{GlobalId, Kind, decode};
use crate::graphql::common::object::object;
use crate::graphql::common::values::{Money, MoneyInputGql, money_of, patch};
use crate::graphql::{in_input, principal, state};
use crate::loaders::Row;
use crate::services::profiles::{self as svc, StoredThreshold, list_of};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::AccountId;
use domain::profile::{InsightGroup, InsightInput, InsightPatch, ProfilePatch, ThresholdInput};
use persistence::entity::{account_insight as insight, account_profile as profile};
use std::sync::Arc;

/// An insight about the customer.
#[derive(Clone)]
pub struct AccountInsight(pub Row<insight::Model>);

object! {
    /// An insight about the customer of an account: a goal or initiative
    /// (with a horizon), an industry trend, a need or pain (with a
    /// priority), or a SWOT item (with the evidence in `detail`).
    #[Object]
    impl AccountInsight(insight::Model) fields insight_fields {
        /// The id (for `updateAccountInsight` and `removeAccountInsight`).
        pub(crate) leaf "id" id(i) -> GlobalId {
            GlobalId(Kind::Insight, i.id)
        }
        /// The account's id.
        leaf "accountId" account_id(i) -> GlobalId {
            GlobalId(Kind::Account, i.account_id)
        }
        /// What the insight is.
        leaf "kind" kind(i) -> InsightKind {
            InsightKind::from_db(&i.kind)
        }
        /// The insight in a line.
        leaf "title" title(i) -> &str {
            &i.title
        }
        /// The description, or for a SWOT item the evidence.
        leaf "detail" detail(i) -> Option<&str> {
            i.detail.as_deref()
        }
        /// When a goal or initiative is meant to pay off.
        leaf "horizon" horizon(i) -> Option<Horizon> {
            i.horizon.as_deref().map(Horizon::from_db)
        }
        /// How pressing a need or pain is.
        leaf "priority" priority(i) -> Option<Priority> {
            i.priority.as_deref().map(Priority::from_db)
        }
        /// When it was recorded.
        leaf "createdAt" created_at(i) -> DateTime<Utc> {
            i.created_at
        }
        /// When it last changed.
        leaf "updatedAt" updated_at(i) -> DateTime<Utc> {
            i.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(i) -> i64 {
            i.version
        }
    }
}

fn kind_of(m: &insight::Model) -> Option<domain::profile::InsightKind> {
    domain::profile::InsightKind::from_str_opt(&m.kind)
}

/// The insights of one account in `group`, in the group's order (both read
/// paths): goals before initiatives; needs and pains by priority, highest
/// first; SWOT in S, W, O, T order; then as recorded.
pub(crate) fn insights_in(group: InsightGroup, rows: &[&insight::Model]) -> Vec<insight::Model> {
    let mut out: Vec<&insight::Model> = rows
        .iter()
        .copied()
        .filter(|m| kind_of(m).is_some_and(|k| k.group() == group))
        .collect();
    let weight = |m: &insight::Model| {
        m.priority
            .as_deref()
            .and_then(domain::profile::Priority::from_str_opt)
            .map_or(0, |p| -p.weight())
    };
    out.sort_by_key(|m| {
        let kind = kind_of(m).map_or(usize::MAX, |k| {
            domain::profile::InsightKind::ALL
                .iter()
                .position(|x| *x == k)
                .unwrap_or(usize::MAX)
        });
        match group {
            InsightGroup::Needs => (weight(m), 0, m.created_at, m.id),
            _ => (0, kind, m.created_at, m.id),
        }
    });
    out.into_iter().cloned().collect()
}

/// `account.goals` (both paths).
pub(crate) fn goals_of(rows: &[&insight::Model]) -> Vec<insight::Model> {
    insights_in(InsightGroup::Goals, rows)
}
/// `account.industryTrends` (both paths).
pub(crate) fn trends_of(rows: &[&insight::Model]) -> Vec<insight::Model> {
    insights_in(InsightGroup::IndustryTrends, rows)
}
/// `account.needs` (both paths).
pub(crate) fn needs_of(rows: &[&insight::Model]) -> Vec<insight::Model> {
    insights_in(InsightGroup::Needs, rows)
}
/// `account.swot` (both paths).
pub(crate) fn swot_of(rows: &[&insight::Model]) -> Vec<insight::Model> {
    insights_in(InsightGroup::Swot, rows)
}

/// From which amount who signs.
pub type ApprovalThreshold = StoredThreshold;

object! {
    /// From which amount who signs at the customer.
    #[Object]
    impl ApprovalThreshold(self) fields threshold_fields {
        /// Purchases from this amount on need this signature.
        value "from" from(t) -> Money {
            money_of(t.minor, &t.currency)
        }
        /// Who signs (a role or a person, as the customer names it).
        leaf "signedBy" signed_by(t) -> &str {
            &t.signed_by
        }
    }
}

/// The approval thresholds of a profile (both paths).
pub(crate) fn thresholds_of(p: &profile::Model) -> Vec<StoredThreshold> {
    list_of(&p.approval_thresholds)
}

/// The customer's strategic profile.
#[derive(Clone)]
pub struct AccountProfile(pub Row<profile::Model>);

object! {
    /// The customer's strategic profile: who they are and how they buy.
    #[Object]
    impl AccountProfile(profile::Model) fields profile_fields {
        /// The customer's mission.
        leaf "mission" mission(p) -> Option<&str> {
            p.mission.as_deref()
        }
        /// The customer's vision.
        leaf "vision" vision(p) -> Option<&str> {
            p.vision.as_deref()
        }
        /// The customer's stated values.
        leaf "values" values(p) [core_values] -> Vec<String> {
            list_of(&p.core_values)
        }
        /// How the customer positions itself in its market.
        leaf "marketPositioning" market_positioning(p) -> Option<&str> {
            p.market_positioning.as_deref()
        }
        /// The steps of the customer's buying and decision process, in order.
        leaf "buyingSteps" buying_steps(p) -> Vec<String> {
            list_of(&p.buying_steps)
        }
        /// How long a purchase typically takes, in days.
        leaf "buyingCycleDays" buying_cycle_days(p) -> Option<i32> {
            p.buying_cycle_days
        }
        /// Who signs from which amount, lowest first.
        async fn approval_thresholds(&self) -> Vec<ApprovalThreshold> {
            thresholds_of(&self.0)
        }
        /// When it last changed.
        leaf "updatedAt" updated_at(p) -> DateTime<Utc> {
            p.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(p) -> i64 {
            p.version
        }
    }
}

/// Input of `addAccountInsight`.
#[derive(InputObject)]
pub struct AddAccountInsightInput {
    /// The account.
    account_id: ID,
    /// What the insight is.
    kind: InsightKind,
    /// The insight in a line (required, at most 200 characters).
    title: String,
    /// The description, or for a SWOT item the evidence (at most 5000 characters).
    detail: Option<String>,
    /// Goals and initiatives only.
    horizon: Option<Horizon>,
    /// Needs and pains only (default MEDIUM).
    priority: Option<Priority>,
}

/// Input of `updateAccountInsight`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdateAccountInsightInput {
    /// The insight.
    id: ID,
    /// New title (cannot be null).
    title: MaybeUndefined<String>,
    /// New detail.
    detail: MaybeUndefined<String>,
    /// New horizon (goals and initiatives).
    horizon: MaybeUndefined<Horizon>,
    /// New priority (needs and pains; null gives MEDIUM).
    priority: MaybeUndefined<Priority>,
}

/// Input naming one insight.
#[derive(InputObject)]
pub struct AccountInsightIdInput {
    /// The insight.
    id: ID,
}

/// Result of an insight mutation.
#[derive(SimpleObject)]
pub struct AccountInsightPayload {
    /// The insight as it is now.
    insight: AccountInsight,
}

/// One approval threshold.
#[derive(InputObject)]
pub struct ApprovalThresholdInput {
    /// Purchases from this amount on.
    from: MoneyInputGql,
    /// Who signs (required, at most 200 characters).
    signed_by: String,
}

/// Input of `updateAccountProfile`: absent fields stay unchanged, `null`
/// clears (a list set replaces the whole list).
#[derive(InputObject)]
pub struct UpdateAccountProfileInput {
    /// The account.
    account_id: ID,
    /// The customer's mission (at most 5000 characters).
    mission: MaybeUndefined<String>,
    /// The customer's vision.
    vision: MaybeUndefined<String>,
    /// The customer's values (at most 20, each at most 200 characters).
    values: MaybeUndefined<Vec<String>>,
    /// How the customer positions itself.
    market_positioning: MaybeUndefined<String>,
    /// The buying process's steps in order (at most 20).
    buying_steps: MaybeUndefined<Vec<String>>,
    /// Typical buying cycle in days (1 to 3650).
    buying_cycle_days: MaybeUndefined<i32>,
    /// Who signs from which amount: increasing amounts in one currency (at most 20).
    approval_thresholds: MaybeUndefined<Vec<ApprovalThresholdInput>>,
}

/// Result of `updateAccountProfile`.
#[derive(SimpleObject)]
pub struct AccountProfilePayload {
    /// The profile as it is now.
    profile: AccountProfile,
}

fn insight_payload(m: insight::Model) -> AccountInsightPayload {
    AccountInsightPayload {
        insight: AccountInsight(Arc::new(m)),
    }
}

#[derive(Default)]
pub struct ProfileMutation;

/// Mutations of the strategic profile (the account's writers).
#[Object]
impl ProfileMutation {
    /// Records an insight about an account's customer.
    async fn add_account_insight(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddAccountInsightInput,
    ) -> Result<AccountInsightPayload> {
        let p = principal(ctx)?;
        let account =
            AccountId(decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?);
        let raw = InsightInput {
            kind: input.kind.into(),
            title: input.title,
            detail: input.detail,
            horizon: input.horizon.map(Into::into),
            priority: input.priority.map(Into::into),
        };
        let m = svc::add_insight(&state(ctx)?.db, p, account, raw)
            .await
            .map_err(in_input)?;
        Ok(insight_payload(m))
    }

    /// Changes an insight (its kind stays).
    async fn update_account_insight(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateAccountInsightInput,
    ) -> Result<AccountInsightPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Insight, &input.id, "id").map_err(in_input)?;
        let raw = InsightPatch {
            title: patch(input.title, |v| v),
            detail: patch(input.detail, |v| v),
            horizon: patch(input.horizon, Into::into),
            priority: patch(input.priority, Into::into),
        };
        let m = svc::update_insight(&state(ctx)?.db, p, id, raw)
            .await
            .map_err(in_input)?;
        Ok(insight_payload(m))
    }

    /// Removes an insight (a tombstone stays for integrations).
    async fn remove_account_insight(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AccountInsightIdInput,
    ) -> Result<AccountInsightPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Insight, &input.id, "id").map_err(in_input)?;
        let m = svc::remove_insight(&state(ctx)?.db, p, id)
            .await
            .map_err(in_input)?;
        Ok(insight_payload(m))
    }

    /// Changes an account's strategic profile (created on its first change).
    async fn update_account_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateAccountProfileInput,
    ) -> Result<AccountProfilePayload> {
        let p = principal(ctx)?;
        let account =
            AccountId(decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?);
        let raw = ProfilePatch {
            mission: patch(input.mission, |v| v),
            vision: patch(input.vision, |v| v),
            values: patch(input.values, |v| v),
            market_positioning: patch(input.market_positioning, |v| v),
            buying_steps: patch(input.buying_steps, |v| v),
            buying_cycle_days: patch(input.buying_cycle_days, |v| v),
            approval_thresholds: patch(input.approval_thresholds, |v| {
                v.into_iter()
                    .map(|t| ThresholdInput {
                        from: t.from.into(),
                        signed_by: t.signed_by,
                    })
                    .collect()
            }),
        };
        let m = svc::update_profile(&state(ctx)?.db, p, account, raw)
            .await
            .map_err(in_input)?;
        Ok(AccountProfilePayload {
            profile: AccountProfile(Arc::new(m)),
        })
    }
}
