//! Jeopardy alerts: the `JeopardyAlert` object, `alerts` (a connection with
//! filters), `account.alerts`, `acknowledgeAlert`, `resolveAlert`,
//! `runJeopardyRules`, and the tenant's thresholds (`alertSettings`,
//! `setAlertSettings`).

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::enums::{AlertRule, AlertStatus, Tier};
use crate::graphql::common::ids::{GlobalId, Kind, decode};
use crate::graphql::common::object::object;
use crate::graphql::common::pagination::encode_cursor;
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::user::User;
use crate::graphql::{in_input, loaders, principal, reader, state};
use crate::loaders::Row;
use crate::services::alerts::{self as svc, SettingsView};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::jeopardy::AlertSettingsPatch;
use persistence::entity::jeopardy_alert as alert;
use persistence::repo::alerts::{AlertFilter, cursor_key};
use persistence::repo::page::Position;
use std::sync::Arc;

/// An account in jeopardy: a rule that held, with its evidence.
#[derive(Clone)]
pub struct JeopardyAlert(pub Row<alert::Model>);

object! {
    /// An account in jeopardy: a rule that held, with its evidence in
    /// words; acknowledged and resolved by the account's writers.
    #[Object]
    impl JeopardyAlert(alert::Model) fields jeopardy_alert_fields {
        /// The id (for `acknowledgeAlert` and `resolveAlert`).
        pub(crate) leaf "id" id(a) -> GlobalId {
            GlobalId(Kind::Alert, a.id)
        }
        /// The account's id.
        leaf "accountId" account_id(a) -> GlobalId {
            GlobalId(Kind::Account, a.account_id)
        }
        /// The account.
        async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
            let a = loaders(ctx)?
                .account(self.0.account_id)
                .await?
                .ok_or_else(|| ApiError::not_found("account"))?;
            Ok(Account(a))
        }
        /// The rule that held.
        leaf "rule" rule(a) -> AlertRule {
            AlertRule::from_db(&a.rule)
        }
        /// Where it stands.
        leaf "status" status(a) -> AlertStatus {
            AlertStatus::from_db(&a.status)
        }
        /// Why, in words (the facts when it was raised).
        leaf "evidence" evidence(a) -> &str {
            &a.evidence
        }
        /// When it was raised.
        leaf "raisedAt" raised_at(a) -> DateTime<Utc> {
            a.raised_at
        }
        /// When it was acknowledged.
        leaf "acknowledgedAt" acknowledged_at(a) -> Option<DateTime<Utc>> {
            a.acknowledged_at
        }
        /// Who acknowledged it.
        async fn acknowledged_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
            match self.0.acknowledged_by {
                Some(u) => Ok(loaders(ctx)?.user(u).await?.map(User)),
                None => Ok(None),
            }
        }
        /// Their note.
        leaf "acknowledgementNote" acknowledgement_note(a) -> Option<&str> {
            a.acknowledgement_note.as_deref()
        }
        /// When it was resolved.
        leaf "resolvedAt" resolved_at(a) -> Option<DateTime<Utc>> {
            a.resolved_at
        }
        /// Who resolved it.
        async fn resolved_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
            match self.0.resolved_by {
                Some(u) => Ok(loaders(ctx)?.user(u).await?.map(User)),
                None => Ok(None),
            }
        }
        /// How it was resolved.
        leaf "resolutionNote" resolution_note(a) -> Option<&str> {
            a.resolution_note.as_deref()
        }
        /// Increases by one with every change.
        leaf "version" version(a) -> i64 {
            a.version
        }
    }
}

/// Alerts, newest first.
pub type AlertConnection = Connection<String, JeopardyAlert, TotalCount>;

/// The order of alert lists (cursors name it).
pub(crate) const ALERT_ORDER: &str = "ALERT_RAISED_DESC";

/// The repository's filter and page of `alerts`' arguments, or the error
/// the resolver reports (both read paths use this).
pub(crate) fn list_args(
    filter: Option<AlertFilterInput>,
    relay: crate::graphql::common::filters::RelayArgs,
) -> Result<(AlertFilter, persistence::repo::page::PageArgs), ApiError> {
    let filter = filter.unwrap_or_default().resolve()?;
    Ok((
        filter,
        crate::graphql::common::filters::time_page_args(ALERT_ORDER, relay)?,
    ))
}

/// Which alerts `alerts` lists: every criterion given must hold.
#[derive(InputObject, Default)]
pub struct AlertFilterInput {
    /// Only these statuses.
    statuses: Option<Vec<AlertStatus>>,
    /// Only these rules.
    rules: Option<Vec<AlertRule>>,
    /// Only alerts of accounts this user owns.
    owner_id: Option<ID>,
    /// Only alerts of this account.
    account_id: Option<ID>,
}

pub(crate) fn statuses_of(s: Vec<AlertStatus>) -> Vec<String> {
    s.into_iter()
        .map(|s| domain::jeopardy::AlertStatus::from(s).as_str().to_owned())
        .collect()
}

impl AlertFilterInput {
    fn resolve(self) -> Result<AlertFilter, ApiError> {
        Ok(AlertFilter {
            statuses: self.statuses.map(statuses_of),
            rules: self.rules.map(|r| {
                r.into_iter()
                    .map(|r| domain::jeopardy::AlertRule::from(r).as_str().to_owned())
                    .collect()
            }),
            owner: self
                .owner_id
                .as_ref()
                .map(|o| decode(Kind::User, o, "filter.ownerId"))
                .transpose()?,
            account: self
                .account_id
                .as_ref()
                .map(|a| decode(Kind::Account, a, "filter.accountId"))
                .transpose()?,
        })
    }
}

/// An account's alerts.
pub(crate) async fn account_alerts(
    ctx: &Context<'_>,
    account: uuid::Uuid,
    statuses: Option<Vec<AlertStatus>>,
) -> Result<Vec<JeopardyAlert>> {
    let rows = loaders(ctx)?
        .account_alerts(account, statuses.map(statuses_of))
        .await?;
    Ok(rows.iter().cloned().map(JeopardyAlert).collect())
}

#[derive(Default)]
pub struct AlertQuery;

#[Object]
impl AlertQuery {
    /// Alerts of the tenant's accounts in jeopardy, newest first, with
    /// filters (status, rule, the accounts' owner, an account).
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    async fn alerts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which alerts (all when absent).")] filter: Option<AlertFilterInput>,
        #[graphql(desc = "Returns the first n alerts (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Returns alerts after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n alerts (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns alerts before this cursor.")] before: Option<String>,
    ) -> Result<AlertConnection> {
        let p = reader(ctx)?;
        let (filter, args) = list_args(filter, (first, after, last, before))?;
        let page =
            persistence::repo::alerts::page(state(ctx)?.db.read(), p.tenant_id, &filter, &args)
                .await
                .map_err(ApiError::from)?;
        let mut c = Connection::with_additional_fields(
            page.has_previous,
            page.has_next,
            TotalCount(CountOf::Alerts(filter)),
        );
        c.edges.extend(page.rows.into_iter().map(|r| {
            let cursor = encode_cursor(
                ALERT_ORDER,
                &Position {
                    key: cursor_key(&r),
                    id: r.id,
                },
            );
            Edge::new(cursor, JeopardyAlert(Arc::new(r)))
        }));
        Ok(c)
    }
}

/// A tenant's jeopardy thresholds.
pub struct AlertSettings(pub SettingsView);

/// A tier's cadence: days without activity before `NO_RECENT_ACTIVITY`.
#[derive(SimpleObject)]
pub struct TierCadence {
    /// The tier.
    tier: Tier,
    /// Days.
    days: i32,
}

/// The thresholds of the jeopardy rules (see `AlertRule`).
#[Object]
impl AlertSettings {
    /// `LOW_HEALTH` below this score (default 40).
    async fn health_below(&self) -> i32 {
        i32::from(self.0.settings.health_below)
    }
    /// `HEALTH_DROP` at a fall of this many points over 30 days (default 15).
    async fn drop_points(&self) -> i32 {
        i32::from(self.0.settings.drop_points)
    }
    /// `RENEWAL_AT_RISK`: renewals within this many days (default 90).
    async fn renewal_window_days(&self) -> i32 {
        i32::from(self.0.settings.renewal_window_days)
    }
    /// `RENEWAL_AT_RISK`: the signals of this many days (default 60).
    async fn renewal_signal_days(&self) -> i32 {
        i32::from(self.0.settings.renewal_signal_days)
    }
    /// `NO_RECENT_ACTIVITY`: each tier's cadence.
    async fn cadences(&self) -> Vec<TierCadence> {
        domain::account::Tier::ALL
            .iter()
            .map(|t| TierCadence {
                tier: (*t).into(),
                days: i32::from(self.0.settings.cadence(*t)),
            })
            .collect()
    }
    /// Whether the documented defaults hold.
    async fn is_default(&self) -> bool {
        self.0.version == 0
    }
    /// When an admin last changed them.
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.0.updated_at
    }
    /// Increases by one with every change (0 while the defaults hold).
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// A tier's new cadence.
#[derive(InputObject)]
pub struct TierCadenceInput {
    /// The tier.
    tier: Tier,
    /// Days (1 to 730).
    days: i32,
}

/// Input of `setAlertSettings`: absent values stay.
#[derive(InputObject)]
pub struct SetAlertSettingsInput {
    /// `LOW_HEALTH` below this score (1 to 100).
    health_below: Option<i32>,
    /// `HEALTH_DROP` at a fall of this many points (1 to 100).
    drop_points: Option<i32>,
    /// Renewals within this many days (1 to 730).
    renewal_window_days: Option<i32>,
    /// The signals of this many days (1 to 90).
    renewal_signal_days: Option<i32>,
    /// Tier cadences to set (each tier at most once).
    cadences: Option<Vec<TierCadenceInput>>,
}

/// Result of `setAlertSettings`.
#[derive(SimpleObject)]
pub struct AlertSettingsPayload {
    /// The thresholds as they are now.
    alert_settings: AlertSettings,
}

/// Input of `acknowledgeAlert`.
#[derive(InputObject)]
pub struct AcknowledgeAlertInput {
    /// The alert (open).
    id: ID,
    /// A note (at most 2000 characters).
    note: Option<String>,
}

/// Input of `resolveAlert`.
#[derive(InputObject)]
pub struct ResolveAlertInput {
    /// The alert (open or acknowledged).
    id: ID,
    /// How it was resolved (required, at most 2000 characters).
    note: String,
}

/// Result of an alert mutation.
#[derive(SimpleObject)]
pub struct AlertPayload {
    /// The alert as it is now.
    alert: JeopardyAlert,
}

/// Result of `runJeopardyRules`.
#[derive(SimpleObject)]
pub struct RunJeopardyRulesPayload {
    /// Accounts judged (active and at-risk ones).
    evaluated_accounts: i64,
    /// Alerts raised now.
    raised: i64,
}

#[derive(Default)]
pub struct AlertMutation;

/// Alerts: acknowledged and resolved by the account's writers; thresholds
/// and on-demand evaluation by admins.
#[Object]
impl AlertMutation {
    /// Acknowledges an open alert: someone is on it.
    async fn acknowledge_alert(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AcknowledgeAlertInput,
    ) -> Result<AlertPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Alert, &input.id, "id").map_err(in_input)?;
        let m = svc::acknowledge(&state(ctx)?.db, p, id, input.note.as_deref())
            .await
            .map_err(in_input)?;
        Ok(AlertPayload {
            alert: JeopardyAlert(Arc::new(m)),
        })
    }

    /// Resolves an alert with a note. If its rule still holds at a later
    /// evaluation, a new alert is raised.
    async fn resolve_alert(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: ResolveAlertInput,
    ) -> Result<AlertPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Alert, &input.id, "id").map_err(in_input)?;
        let m = svc::resolve(&state(ctx)?.db, p, id, &input.note)
            .await
            .map_err(in_input)?;
        Ok(AlertPayload {
            alert: JeopardyAlert(Arc::new(m)),
        })
    }

    /// Evaluates every jeopardy rule for every active account of the
    /// tenant now (admins; `steward serve` also does it on a schedule).
    async fn run_jeopardy_rules(&self, ctx: &Context<'_>) -> Result<RunJeopardyRulesPayload> {
        let p = principal(ctx)?;
        let e = svc::run_now(&state(ctx)?.db, p).await?;
        Ok(RunJeopardyRulesPayload {
            evaluated_accounts: i64::try_from(e.accounts).unwrap_or(i64::MAX),
            raised: i64::try_from(e.raised).unwrap_or(i64::MAX),
        })
    }

    /// Changes the thresholds of the jeopardy rules (admins).
    async fn set_alert_settings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SetAlertSettingsInput,
    ) -> Result<AlertSettingsPayload> {
        let p = principal(ctx)?;
        let patch = AlertSettingsPatch {
            health_below: input.health_below,
            drop_points: input.drop_points,
            renewal_window_days: input.renewal_window_days,
            renewal_signal_days: input.renewal_signal_days,
            cadence_days: input
                .cadences
                .unwrap_or_default()
                .into_iter()
                .map(|c| (c.tier.into(), c.days))
                .collect(),
        };
        let v = svc::set_settings(&state(ctx)?.db, p, patch)
            .await
            .map_err(in_input)?;
        Ok(AlertSettingsPayload {
            alert_settings: AlertSettings(v),
        })
    }
}
